import * as z from 'zod';
import { IsoDateTime, RecordId, TeamId } from '../../shared/contracts/common.js';
import { EvaluationStatus } from '../../shared/contracts/evaluation.js';
import { Verdict } from '../../shared/contracts/judgment.js';
import { objectKey, objectPrefix } from '../../shared/storage/object-key.js';

/** What the leaderboard account stores about one evaluation, and what a participant may read back. */
export const EvaluationSummary = z.object({
  score: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  nQuestions: z.number().int(),
  swapConsistency: z.number().nullable(),
  criteria: z.record(z.string(), z.number()),
  judgments: z.number().int(),
  failed: z.number().int(),
  retries: z.number().int(),
  countedAsLoss: z.number().int(),
  flaggedQuestions: z.number().int(),
  tokens: z.object({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() }),
  costUsd: z.number().nullable(),
  /** A judge panel: each judge's record and each pair's agreement (judging/panel-summary.ts). */
  panel: z
    .object({
      rule: z.string(),
      judges: z.array(
        z.object({
          judge: z.string(),
          judgeModel: z.string(),
          judgments: z.number().int(),
          failed: z.number().int(),
          swapConsistency: z.number().nullable(),
        }),
      ),
      agreement: z.array(
        z.object({
          a: z.string(),
          b: z.string(),
          n: z.number().int(),
          observed: z.number(),
          kappa: z.number().nullable(),
          weightedKappa: z.number().nullable(),
        }),
      ),
    })
    .optional(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

export const EvaluationRecord = z.object({
  submissionId: RecordId,
  team: TeamId,
  modelName: z.string(),
  questionSetId: RecordId,
  resultsUrl: z.string(),
  resultsSha256: z.string(),
  status: EvaluationStatus,
  /** Why it failed, in words a participant can act on. */
  reason: z.string().optional(),
  /** Machine-readable detail of a failure (e.g. the missing and unexpected question ids). */
  details: z.record(z.string(), z.unknown()).optional(),
  /** Public-split summary only: the private split stays hidden until the organiser reveals it. */
  summary: EvaluationSummary.optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** When its message was last handed to the queue (absent: never confirmed sent). */
  enqueuedAt: IsoDateTime.optional(),
});
export type EvaluationRecord = z.infer<typeof EvaluationRecord>;

/** A team's submissions counted against the daily cap, per UTC day. */
export const DailyCount = z.object({ submissionIds: z.array(z.string()) });

/** A team's changes of selected submission, counted against the daily selection cap. */
export const DailySelections = z.object({
  selections: z.array(z.object({ submissionId: RecordId, at: IsoDateTime })),
});

/** The start of the next UTC day, when the daily caps start again. */
export function nextUtcDay(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
}

/** Compact judged outcome of one submission, kept in the board state. */
export const JudgedGame = z.tuple([RecordId, z.enum(['c', 'r']), Verdict]);
export const StoredSubmission = z.object({
  model: z.string(),
  submittedAt: IsoDateTime,
  /** Pairwise: [questionId, c(andidate-first)|r(eference-first), verdict]. */
  games: z.array(JudgedGame).optional(),
  /** Rubric: questionId → criterion → score. */
  grades: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  /** questionId → the injection detector's flag codes for the team's answer (flagged answers only). */
  flags: z.record(z.string(), z.array(z.string())).optional(),
  /** questionId → the answer's style: [characters, headers, list items, bold spans, code blocks]. */
  styles: z
    .record(z.string(), z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]))
    .optional(),
});
export type StoredSubmission = z.infer<typeof StoredSubmission>;

export const BoardState = z.object({
  /** Bumped by every change; published files carry it, so an older publish never overwrites a newer one. */
  version: z.number().int().nonnegative(),
  frozen: z.boolean(),
  revealed: z.boolean(),
  /** The organiser's choice, overriding the config's default. */
  selection: z.enum(['best', 'selected']).optional(),
  teams: z.record(
    z.string(),
    z.object({
      selected: z.string().optional(),
      submissions: z.record(z.string(), StoredSubmission),
    }),
  ),
});
export type BoardState = z.infer<typeof BoardState>;

export const EMPTY_BOARD_STATE: BoardState = { version: 0, frozen: false, revealed: false, teams: {} };

/** Where each thing lives in the state bucket; every segment checked by {@link objectKey}. */
export const keys = {
  evaluation: (team: string, submissionId: string) => objectKey('evaluations', team, `${submissionId}.json`),
  evaluationsOf: (team: string) => objectPrefix('evaluations', team),
  dailyCount: (team: string, day: string) => objectKey('caps', team, `${day}.json`),
  dailySelections: (team: string, day: string) => objectKey('selections', team, `${day}.json`),
  judgment: (team: string, submissionId: string, taskKey: string) =>
    objectKey('judgments', team, submissionId, `${taskKey.replace('/', '~')}.json`),
  judgmentsOf: (team: string, submissionId: string) => objectPrefix('judgments', team, submissionId),
  results: (team: string, submissionId: string) => objectKey('results', team, `${submissionId}.jsonl`),
  questionSet: (questionSetId: string) => objectKey('question-sets', `${questionSetId}.jsonl`),
  boardState: () => 'state/board.json',
  snapshot: (day: string) => objectKey('snapshots', `${day}.json`),
} as const;

/** Published files, under the site bucket's `data/` prefix (served at /data/* by CloudFront). */
export const publicKeys = {
  leaderboard: () => 'data/leaderboard.json',
  board: (split: string, category: string | null) =>
    objectKey('data', 'boards', split, `${category ?? 'overall'}.json`),
  team: (team: string) => objectKey('data', 'teams', `${team}.json`),
  battles: () => 'data/battles.jsonl',
  ratings: () => 'data/ratings.json',
  snapshot: (day: string) => objectKey('data', 'snapshots', `${day}.json`),
  snapshotIndex: () => 'data/snapshots/index.json',
} as const;

export const EvaluationMessage = z.object({ team: TeamId, submissionId: RecordId });
export type EvaluationMessage = z.infer<typeof EvaluationMessage>;
