import * as z from 'zod';
import { FiniteNumber, IsoDateTime, RecordId, Split } from './common.js';

export const RankChange = z.union([z.number().int(), z.literal('new')]);
export type RankChange = z.infer<typeof RankChange>;

/** The entry's answers the injection detector flagged on this board, and how many of each code. */
export const FlaggedAnswers = z.object({
  answers: z.number().int().positive(),
  codes: z.record(z.string(), z.number().int().positive()),
});
export type FlaggedAnswers = z.infer<typeof FlaggedAnswers>;

export const SnapshotEntry = z.object({
  rank: z.number().int().positive(),
  /** Rank upper bound: 1 + the number of entries whose CI lies wholly above this one's. */
  rankUpper: z.number().int().positive(),
  team: z.string().min(1),
  model: z.string().min(1),
  score: FiniteNumber,
  ciLow: FiniteNumber,
  ciHigh: FiniteNumber,
  /** Rubric mode: per-criterion means; empty otherwise. */
  criteria: z.record(z.string(), FiniteNumber),
  nEvals: z.number().int().nonnegative(),
  submissionId: RecordId,
  submittedAt: IsoDateTime,
  /** Positions moved since the previous snapshot (positive = up), or `new`. */
  rankChange: RankChange,
  /** Present when some of the entry's answers on this board were flagged (the board's marker). */
  flagged: FlaggedAnswers.optional(),
  /**
   * The score with answer length (win-rate boards: AlpacaEval 2's length-controlled win rate) or
   * answer style (arena boards: LMArena's style control) held equal; see `params.control`.
   */
  controlled: z.object({ score: FiniteNumber, ciLow: FiniteNumber, ciHigh: FiniteNumber }).optional(),
});
export type SnapshotEntry = z.infer<typeof SnapshotEntry>;

export const SnapshotMethod = z.enum(['win-rate', 'rubric', 'bradley-terry']);
export type SnapshotMethod = z.infer<typeof SnapshotMethod>;

export const Snapshot = z.object({
  slug: z.string().min(1),
  generatedAt: IsoDateTime,
  method: SnapshotMethod,
  params: z.object({
    numBootstrap: z.number().int().nonnegative(),
    seed: z.number().int(),
    minEvals: z.number().int().nonnegative(),
    significant: z.boolean(),
    /**
     * How `rank` was assigned: by score, or by the CI-aware rank upper bound (SIGNIFICANT); both on
     * the controlled score when `control.ranked`.
     */
    rankedBy: z.enum(['score', 'rank-upper-bound']),
    /** Length or style control: which, whether it ranks the board, and the fitted covariate effects. */
    control: z
      .object({
        method: z.enum(['length-controlled-win-rate', 'style-controlled-rating']),
        ranked: z.boolean(),
        /** Per covariate: logit per unit (length) or rating points per standard deviation (style). */
        coefficients: z.record(z.string(), FiniteNumber),
      })
      .optional(),
    selection: z.enum(['best', 'selected']),
    category: z.string().nullable(),
  }),
  split: Split,
  entries: z.array(SnapshotEntry),
  /** Teams left off the board, with why (too few evaluations, unrankable). */
  excluded: z
    .array(
      z.object({
        team: z.string(),
        model: z.string(),
        reason: z.string(),
        nEvals: z.number().int(),
        flagged: FlaggedAnswers.optional(),
      }),
    )
    .default([]),
});
export type Snapshot = z.infer<typeof Snapshot>;
