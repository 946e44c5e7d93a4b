import * as z from 'zod';
import { RecordId } from './common.js';

/** One line of a participant's testing-data upload. Unknown keys are ignored. */
export const TestingRecord = z.object({
  id: RecordId,
  prompt: z.string().min(1, 'must not be empty'),
  category: z.string().min(1).max(64).optional(),
});
export type TestingRecord = z.infer<typeof TestingRecord>;
