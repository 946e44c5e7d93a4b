import * as z from 'zod';
import { ValidationReport } from '../../validation/report.js';

/** The Participant API's answers, as the web app reads them (unknown keys ignored). */

export const PublicQuestions = z.object({
  questionSetId: z.string(),
  questions: z.array(z.object({ id: z.string(), prompt: z.string(), category: z.string().optional() })),
});
export type PublicQuestions = z.infer<typeof PublicQuestions>;

export const UploadTicket = z.object({
  testingDataId: z.string(),
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  expiresInSeconds: z.number(),
  maxBytes: z.number(),
});
export type UploadTicket = z.infer<typeof UploadTicket>;

export const TestingDataStatus = z.object({
  testingDataId: z.string(),
  status: z.enum(['pending', 'valid', 'invalid']),
  report: ValidationReport.optional(),
});
export type TestingDataStatus = z.infer<typeof TestingDataStatus>;

export const InferenceRun = z.object({
  runId: z.string(),
  testingDataId: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  model: z.string().optional(),
  error: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type InferenceRun = z.infer<typeof InferenceRun>;

export const EvaluationView = z.object({
  status: z.string(),
  scoreKind: z.enum(['win-rate', 'rubric']).optional(),
  reason: z.string().optional(),
  summary: z
    .object({
      score: z.number().nullable(),
      ciLow: z.number().nullable(),
      ciHigh: z.number().nullable(),
      nQuestions: z.number(),
      flaggedQuestions: z.number().optional(),
    })
    .optional(),
});

export const SubmissionView = z.object({
  submissionId: z.string(),
  runId: z.string(),
  modelName: z.string(),
  submittedAt: z.string(),
  evaluation: EvaluationView,
});
export type SubmissionView = z.infer<typeof SubmissionView>;

export const SubmissionQuota = z.object({
  day: z.string(),
  cap: z.number(),
  used: z.number(),
  remaining: z.number(),
  resetsAt: z.string(),
});
export type SubmissionQuota = z.infer<typeof SubmissionQuota>;

export const Submissions = z.object({
  submissions: z.array(SubmissionView),
  quota: SubmissionQuota.nullable().optional(),
});
export type Submissions = z.infer<typeof Submissions>;

/** POST /submissions: the Judge API's answer, passed through (202 new, 200 already submitted). */
export const SubmitAnswer = z.object({ submissionId: z.string(), status: z.string() });
export type SubmitAnswer = z.infer<typeof SubmitAnswer>;
