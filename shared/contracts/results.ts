import * as z from 'zod';
import { RecordId } from './common.js';

/** One line of inference output: the team model's answer to one prompt. */
export const ResultRecord = z.object({
  id: RecordId,
  prompt: z.string(),
  response: z.string(),
  model: z.string().min(1),
  latencyMs: z.number().int().nonnegative().optional(),
  /** Set when the model call failed; `response` is then empty. */
  error: z.string().optional(),
});
export type ResultRecord = z.infer<typeof ResultRecord>;
