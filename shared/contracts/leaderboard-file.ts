import * as z from 'zod';
import { FiniteNumber, IsoDateTime, RecordId } from './common.js';
import { SnapshotMethod } from './snapshot.js';

/**
 * The key of a result in `leaderboard.json`: one entry per team and model (ts-bench's `agent-model`).
 * It always contains a dash, so it is never an array-index-like key and object key order is insertion order.
 */
export function leaderboardKey(team: string, model: string): string {
  return `${team}-${model}`;
}

/** One team model's latest standing: who submitted what, and how it scored. */
export const LeaderboardResult = z.object({
  metadata: z.object({
    team: z.string().min(1),
    model: z.string().min(1),
    submissionId: RecordId,
    submittedAt: IsoDateTime,
    judgeModel: z.string().min(1).optional(),
    /** Only http(s): the link may be rendered, and a `javascript:` URL must never reach a page. */
    runUrl: z.url({ protocol: /^https?$/ }).optional(),
    questionSetId: RecordId.optional(),
  }),
  summary: z.object({
    /** Win rate as a fraction 0–1, rubric mean on the 1–10 scale, or a Bradley-Terry rating. */
    score: FiniteNumber,
    ciLow: FiniteNumber,
    ciHigh: FiniteNumber,
    nEvals: z.number().int().nonnegative(),
    method: SnapshotMethod,
    /** Rubric mode: per-criterion means. */
    criteria: z.record(z.string(), FiniteNumber).optional(),
  }),
});
export type LeaderboardResult = z.infer<typeof LeaderboardResult>;

/**
 * The single public `leaderboard.json` (ts-bench style): the latest result per `team-model` key.
 * A key that does not match its entry's team and model is rejected, so an upsert can never leave
 * a stale twin of an entry behind.
 */
export const LeaderboardFile = z
  .object({
    lastUpdated: IsoDateTime,
    results: z.record(z.string(), LeaderboardResult),
  })
  .superRefine((file, ctx) => {
    for (const [key, result] of Object.entries(file.results)) {
      const expected = leaderboardKey(result.metadata.team, result.metadata.model);
      if (key !== expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['results', key],
          message: `key must be "${expected}" (team-model)`,
        });
      }
    }
  });
export type LeaderboardFile = z.infer<typeof LeaderboardFile>;
