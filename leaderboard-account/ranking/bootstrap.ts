import { sampleMultinomial } from './binomial.js';
import { type FitOptions, factorHessian, fitStrengths, isWellPosed, toRatings } from './bradley-terry.js';
import type { PairCounts } from './pair-counts.js';
import { createRandom } from './prng.js';

export interface BootstrapOptions {
  readonly rounds: number;
  readonly seed: number;
  readonly anchor?: { model: string; rating: number };
  readonly priorSd?: number;
  /** The full-data strengths: each refit starts from them, which halves the Newton steps. */
  readonly warmStart?: Float64Array;
  readonly onRound?: (done: number, rounds: number) => void;
}

export interface BootstrapResult {
  /** rounds × models ratings, round-major: samples[r * models + k]. */
  readonly samples: Float64Array;
  readonly rounds: number;
  /** Resamples drawn again because a model in them never won or never lost (no finite MLE). */
  readonly redrawn: number;
}

export class BootstrapIllPosed extends Error {
  override readonly name = 'BootstrapIllPosed';
}

/**
 * Bootstrap of Bradley-Terry ratings, LMArena's "fast" method: the battle rows are aggregated into
 * unique (pair, outcome) rows with counts and each round draws a multinomial resample of them, so a
 * round costs O(pairs) instead of O(battles). Rows that are the same observation for the fit
 * (`a` won as model_a, `a` won as model_b; tie and tie (bothbad)) are merged before sampling; merging
 * categories of a multinomial gives exactly the multinomial of the merged counts, so the ratings'
 * distribution is unchanged.
 *
 * Without a prior a resample can leave a model with no win (or no loss), whose MLE is infinite; such
 * a round is drawn again (the bootstrap is conditioned on a rankable sample) and counted in `redrawn`.
 * When more than half the draws would be redrawn the data are too thin: use a prior or MIN_EVALS.
 */
export function bootstrapRatings(counts: PairCounts, options: BootstrapOptions): BootstrapResult {
  const n = counts.models.length;
  const pairs = counts.i.length;
  const categories = new Float64Array(pairs * 3);
  let total = 0;
  for (let p = 0; p < pairs; p++) {
    categories[3 * p] = counts.winsI[p] as number;
    categories[3 * p + 1] = counts.winsJ[p] as number;
    categories[3 * p + 2] = counts.ties[p] as number;
    total += (counts.winsI[p] as number) + (counts.winsJ[p] as number) + (counts.ties[p] as number);
  }
  if (!Number.isInteger(total)) throw new RangeError('bootstrap needs whole battle counts (integer weights)');
  const random = createRandom(options.seed);
  const samples = new Float64Array(options.rounds * n);
  const drawn = new Float64Array(categories.length);
  const resample: PairCounts = {
    models: counts.models,
    i: counts.i,
    j: counts.j,
    winsI: new Float64Array(pairs),
    winsJ: new Float64Array(pairs),
    ties: new Float64Array(pairs),
  };
  // Each refit converges to 1e-8 nats (4e-6 rating points), far below the 0.1 points a CI is shown
  // to; the full-data fit keeps the 1e-10 of the point ratings.
  const fitOptions: FitOptions = {
    tolerance: 1e-8,
    ...(options.priorSd !== undefined ? { priorSd: options.priorSd } : {}),
    ...(options.warmStart
      ? { initial: options.warmStart, fixedFactor: factorHessian(counts, options.warmStart, options.priorSd) }
      : {}),
  };
  let redrawn = 0;
  for (let round = 0; round < options.rounds; ) {
    sampleMultinomial(total, categories, random, drawn);
    for (let p = 0; p < pairs; p++) {
      resample.winsI[p] = drawn[3 * p] as number;
      resample.winsJ[p] = drawn[3 * p + 1] as number;
      resample.ties[p] = drawn[3 * p + 2] as number;
    }
    if (options.priorSd === undefined && !isWellPosed(resample)) {
      redrawn += 1;
      if (redrawn > Math.max(options.rounds, 20)) {
        throw new BootstrapIllPosed(
          `more than half the bootstrap resamples leave a model with no win or no loss (${redrawn} redrawn); ` +
            'the data are too thin for unregularised ratings: raise MIN_EVALS or set a prior',
        );
      }
      continue;
    }
    const ratings = toRatings(fitStrengths(resample, fitOptions).theta, counts.models, options.anchor);
    samples.set(ratings, round * n);
    round += 1;
    options.onRound?.(round, options.rounds);
  }
  return { samples, rounds: options.rounds, redrawn };
}
