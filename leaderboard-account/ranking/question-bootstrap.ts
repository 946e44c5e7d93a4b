import { percentileOfSorted } from './percentile.js';
import { createRandom } from './prng.js';

export interface QuestionBootstrapOptions {
  /** Bootstrap rounds; 0 skips the bootstrap and collapses the CI to the mean. */
  readonly rounds: number;
  readonly seed: number;
}

export interface MeanWithCi {
  readonly mean: number;
  /** 2.5th percentile of the bootstrap means. */
  readonly ciLow: number;
  /** 97.5th percentile of the bootstrap means. */
  readonly ciHigh: number;
  /** How many values (questions) the mean is over. */
  readonly n: number;
}

/**
 * The mean of per-question values with a 95% percentile-bootstrap CI over questions: each round
 * draws n questions with replacement and takes their mean. Questions, not games, are the unit that
 * is resampled, because the games of one question (both judge orders) are not independent.
 *
 * A column is enough for every caller: a weighted rubric score is bootstrapped as the weighted
 * per-question score, so the weights are applied before, not inside, the bootstrap.
 */
export function meanWithCi(values: readonly number[], options: QuestionBootstrapOptions): MeanWithCi {
  const n = values.length;
  if (n === 0) throw new RangeError('cannot take the mean of no questions');
  const { rounds, seed } = options;
  if (!Number.isSafeInteger(rounds) || rounds < 0) {
    throw new RangeError(`bootstrap rounds must be a whole number ≥ 0, got ${rounds}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`bootstrap seed must be a finite number, got ${seed}`);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const value = values[k] as number;
    if (!Number.isFinite(value)) throw new RangeError(`value ${k} is not a finite number: ${value}`);
    sum += value;
  }
  const mean = sum / n;
  if (rounds === 0) return { mean, ciLow: mean, ciHigh: mean, n };

  const random = createRandom(seed);
  const means = new Float64Array(rounds);
  for (let round = 0; round < rounds; round++) {
    let total = 0;
    for (let k = 0; k < n; k++) total += values[random.nextInt(n)] as number;
    means[round] = total / n;
  }
  means.sort();
  return { mean, ciLow: percentileOfSorted(means, 2.5), ciHigh: percentileOfSorted(means, 97.5), n };
}
