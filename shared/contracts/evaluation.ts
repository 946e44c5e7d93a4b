import * as z from 'zod';
import { ModelName, RecordId } from './common.js';

/** What a participant account sends to the Judge API. The team is never part of it: it comes from the caller. */
export const EvaluationRequest = z.object({
  submissionId: RecordId,
  modelName: ModelName,
  questionSetId: RecordId,
  resultsUrl: z.url({ protocol: /^https?$/ }),
  resultsSha256: z.string().regex(/^[a-f0-9]{64}$/, 'must be a lowercase hex SHA-256'),
});
export type EvaluationRequest = z.infer<typeof EvaluationRequest>;

export const EvaluationStatus = z.enum(['queued', 'running', 'completed', 'failed']);
export type EvaluationStatus = z.infer<typeof EvaluationStatus>;
