import type { RatingEntry, UnrankedModel } from '../../shared/contracts/ratings.js';
import { bootstrapRatings } from './bootstrap.js';
import { analyseRankability, fitStrengths, toRatings, UNRANKABLE_REASONS } from './bradley-terry.js';
import { battlesPerModel, hubsLast, type PairCounts, restrictCounts } from './pair-counts.js';
import { percentileOfSorted } from './percentile.js';

export interface RateOptions {
  readonly bootstrapRounds: number;
  readonly seed: number;
  readonly anchor?: { model: string; rating: number };
  readonly minBattles?: number;
  readonly priorSd?: number;
  /** Rank by the rank upper bound (ties share a rank) instead of by rating. */
  readonly significant?: boolean;
  readonly onPhase?: (phase: 'fit' | 'bootstrap') => void;
  readonly onRound?: (done: number, rounds: number) => void;
}

export interface RatedModel {
  readonly model: string;
  readonly rating: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly nBattles: number;
  readonly rank: number;
  readonly rankUpper: number;
}

export interface RatingReport {
  readonly rated: RatedModel[];
  readonly unranked: UnrankedModel[];
  readonly redrawnRounds: number;
  readonly iterations: number;
}

export class AnchorNotRated extends Error {
  override readonly name = 'AnchorNotRated';
}

/** Full-data Bradley-Terry fit, bootstrap CIs, and ranks: what `league rank` and the arena board show. */
export function rateBattles(counts: PairCounts, options: RateOptions): RatingReport {
  const battles = battlesPerModel(counts);
  const rankability = analyseRankability(counts, {
    ...(options.minBattles !== undefined ? { minBattles: options.minBattles } : {}),
    ...(options.priorSd !== undefined ? { priorSd: options.priorSd } : {}),
  });
  const unranked = rankability.unrankable.map(({ index, reason }) => ({
    model: counts.models[index] as string,
    reason:
      reason === 'too-few-battles' && options.minBattles
        ? `fewer than ${options.minBattles} battles`
        : UNRANKABLE_REASONS[reason],
    n_battles: battles[index] as number,
  }));
  // Hubs last: the solver's cost follows the Hessian's envelope (see hubsLast).
  const rankedCounts = hubsLast(restrictCounts(counts, rankability.rankable));
  const n = rankedCounts.models.length;
  if (options.anchor && !rankedCounts.models.includes(options.anchor.model)) {
    const why = unranked.find((u) => u.model === options.anchor?.model);
    throw new AnchorNotRated(
      `anchor model ${options.anchor.model} ${why ? `cannot be rated: ${why.reason}` : 'does not appear in the battles'}`,
    );
  }
  if (n === 0) return { rated: [], unranked, redrawnRounds: 0, iterations: 0 };

  options.onPhase?.('fit');
  const fit = fitStrengths(rankedCounts, options.priorSd !== undefined ? { priorSd: options.priorSd } : {});
  const ratings = toRatings(fit.theta, rankedCounts.models, options.anchor);
  const ciLow = Float64Array.from(ratings);
  const ciHigh = Float64Array.from(ratings);
  let redrawnRounds = 0;
  if (options.bootstrapRounds > 0 && n > 1) {
    options.onPhase?.('bootstrap');
    const boot = bootstrapRatings(rankedCounts, {
      rounds: options.bootstrapRounds,
      seed: options.seed,
      warmStart: fit.theta,
      ...(options.anchor ? { anchor: options.anchor } : {}),
      ...(options.priorSd !== undefined ? { priorSd: options.priorSd } : {}),
      ...(options.onRound ? { onRound: options.onRound } : {}),
    });
    redrawnRounds = boot.redrawn;
    const column = new Float64Array(boot.rounds);
    for (let k = 0; k < n; k++) {
      for (let r = 0; r < boot.rounds; r++) column[r] = boot.samples[r * n + k] as number;
      column.sort();
      ciLow[k] = percentileOfSorted(column, 2.5);
      ciHigh[k] = percentileOfSorted(column, 97.5);
    }
  }
  const rankedBattles = battlesPerModel(rankedCounts);
  const rows = rankedCounts.models.map((model, k) => ({
    model,
    rating: ratings[k] as number,
    ciLow: ciLow[k] as number,
    ciHigh: ciHigh[k] as number,
    nBattles: rankedBattles[k] as number,
  }));
  const upper = rankUpperBounds(rows.map((r) => ({ low: r.ciLow, high: r.ciHigh })));
  const ordered = rows
    .map((row, k) => ({ ...row, rankUpper: upper[k] as number }))
    .sort((a, b) =>
      options.significant
        ? a.rankUpper - b.rankUpper || b.rating - a.rating || compare(a.model, b.model)
        : b.rating - a.rating || b.ciLow - a.ciLow || compare(a.model, b.model),
    );
  const rated = ordered.map((row, position) => ({
    ...row,
    rank: options.significant ? row.rankUpper : position + 1,
  }));
  return { rated, unranked, redrawnRounds, iterations: fit.iterations };
}

/** Rank upper bound: 1 + the number of others whose CI lies wholly above this one's. */
export function rankUpperBounds(intervals: readonly { low: number; high: number }[]): number[] {
  const lows = intervals.map((x) => x.low).sort((a, b) => a - b);
  return intervals.map(({ high }) => {
    // Count of lows strictly greater than `high`, by binary search.
    let lo = 0;
    let hi = lows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((lows[mid] as number) > high) hi = mid;
      else lo = mid + 1;
    }
    return 1 + (lows.length - lo);
  });
}

export function toRatingEntries(report: RatingReport, source = 'evaluated'): RatingEntry[] {
  return report.rated.map((r) => ({
    model: r.model,
    rating: r.rating,
    ci_low: r.ciLow,
    ci_high: r.ciHigh,
    n_battles: r.nBattles,
    source,
    rank: r.rank,
    rank_upper: r.rankUpper,
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
