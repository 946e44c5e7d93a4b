import * as z from 'zod';
import { FiniteNumber } from './common.js';

/** One model's rating, judgearena elo_ratings.json-compatible. */
export const RatingEntry = z.object({
  model: z.string().min(1),
  rating: FiniteNumber,
  ci_low: FiniteNumber,
  ci_high: FiniteNumber,
  n_battles: z.number().int().nonnegative(),
  source: z.string().default('evaluated'),
  /** LLM League additions (ignored by judgearena). */
  rank: z.number().int().positive().optional(),
  rank_upper: z.number().int().positive().optional(),
});
export type RatingEntry = z.infer<typeof RatingEntry>;

export const UnrankedModel = z.object({
  model: z.string(),
  reason: z.string(),
  n_battles: z.number().int().nonnegative(),
});
export type UnrankedModel = z.infer<typeof UnrankedModel>;

/**
 * The ratings file. judgearena writes `arena` and `model` where we write `slug`; all are optional on
 * read so either file loads.
 */
export const RatingsFile = z.object({
  slug: z.string().optional(),
  arena: z.string().optional(),
  model: z.string().nullish(),
  judge_model: z.string().nullish(),
  n_bootstraps: z.number().int().nonnegative(),
  seed: z.number().int(),
  ratings: z.array(RatingEntry),
  unranked: z.array(UnrankedModel).optional(),
});
export type RatingsFile = z.infer<typeof RatingsFile>;
