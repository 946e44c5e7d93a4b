import { describe, expect, it } from 'vitest';
import type { BattleWinner } from '../../shared/contracts/battle.js';
import {
  analyseRankability,
  type FitOptions,
  fitStrengths,
  isWellPosed,
  toRatings,
  type UnrankableReason,
} from './bradley-terry.js';
import { type PairCounts, PairCountsBuilder } from './pair-counts.js';
import { createRandom } from './prng.js';

/** Written out here rather than imported, so the tests check the module's scale instead of sharing it. */
const ELO_PER_NATURAL_LOG = 400 / Math.log(10);

type BattleRow = readonly [modelA: string, modelB: string, winner: BattleWinner, weight?: number];

function countsOf(rows: Iterable<BattleRow>): PairCounts {
  const builder = new PairCountsBuilder();
  for (const [modelA, modelB, winner, weight] of rows) builder.add(modelA, modelB, winner, weight);
  return builder.build();
}

/** `times` copies of one battle, as separate rows. */
function repeat(times: number, row: BattleRow): BattleRow[] {
  return Array.from({ length: times }, () => row);
}

function ratingsOf(
  counts: PairCounts,
  options: FitOptions = {},
  anchor?: { model: string; rating: number },
): Map<string, number> {
  const ratings = toRatings(fitStrengths(counts, options).theta, counts.models, anchor);
  return new Map(counts.models.map((model, k) => [model, ratings[k] as number]));
}

function ratingOf(ratings: ReadonlyMap<string, number>, model: string): number {
  const rating = ratings.get(model);
  if (rating === undefined) throw new Error(`${model} has no rating`);
  return rating;
}

function expectNear(actual: number, expected: number, tolerance: number, what = ''): void {
  expect(Math.abs(actual - expected), `${what} ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function expectSameRatings(
  actual: ReadonlyMap<string, number>,
  expected: ReadonlyMap<string, number>,
  tolerance: number,
): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [model, rating] of expected) expectNear(ratingOf(actual, model), rating, tolerance, model);
}

function mean(values: Iterable<number>): number {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    sum += value;
    count += 1;
  }
  return sum / count;
}

/** Fisher-Yates with the seeded generator, so a shuffled fixture is the same on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed);
  const out = [...items];
  for (let k = out.length - 1; k > 0; k--) {
    const other = random.nextInt(k + 1);
    [out[k], out[other]] = [out[other] as T, out[k] as T];
  }
  return out;
}

/**
 * Battles between models with the given true strengths (natural-log units): `battlesPerPair(i, j)`
 * battles per pair, a tie with probability `tieRate`, sides (model_a / model_b) chosen at random.
 */
function simulatedBattles(
  strengths: readonly number[],
  seed: number,
  battlesPerPair: (i: number, j: number) => number,
  tieRate = 0.1,
): BattleRow[] {
  const random = createRandom(seed);
  const rows: BattleRow[] = [];
  for (let i = 0; i < strengths.length; i++) {
    for (let j = i + 1; j < strengths.length; j++) {
      const iWins = 1 / (1 + Math.exp((strengths[j] as number) - (strengths[i] as number)));
      const battles = battlesPerPair(i, j);
      for (let b = 0; b < battles; b++) {
        const u = random.next();
        const outcome = u < tieRate ? 'tie' : u < tieRate + (1 - tieRate) * iWins ? 'i' : 'j';
        const iIsA = random.next() < 0.5;
        const [a, bName] = iIsA ? [`model-${i}`, `model-${j}`] : [`model-${j}`, `model-${i}`];
        const winner: BattleWinner =
          outcome === 'tie'
            ? b % 2 === 0
              ? 'tie'
              : 'tie (bothbad)'
            : (outcome === 'i') === iIsA
              ? 'model_a'
              : 'model_b';
        rows.push([a, bName, winner]);
      }
    }
  }
  return rows;
}

/** A small well-posed league: every pair has wins both ways. */
const LEAGUE = simulatedBattles([-0.8, -0.3, 0, 0.4, 0.9], 11, () => 60);

/**
 * Hunter's MM (Zermelo's iteration) for Bradley-Terry with a tie as half a win each way:
 * π_i ← W_i / Σ_j n_ij / (π_i + π_j). A different algorithm from the Newton fit under test, sharing
 * no code with it, so agreement means both found the maximum-likelihood estimate.
 */
function zermeloRatings(counts: PairCounts): Float64Array {
  const n = counts.models.length;
  const score = new Float64Array(n);
  for (let p = 0; p < counts.i.length; p++) {
    const halfTies = (counts.ties[p] as number) / 2;
    const i = counts.i[p] as number;
    const j = counts.j[p] as number;
    score[i] = (score[i] as number) + (counts.winsI[p] as number) + halfTies;
    score[j] = (score[j] as number) + (counts.winsJ[p] as number) + halfTies;
  }
  let strength = new Float64Array(n).fill(1);
  for (let iteration = 0; iteration < 2_000_000; iteration++) {
    const denominator = new Float64Array(n);
    for (let p = 0; p < counts.i.length; p++) {
      const i = counts.i[p] as number;
      const j = counts.j[p] as number;
      const games = (counts.winsI[p] as number) + (counts.winsJ[p] as number) + (counts.ties[p] as number);
      const share = games / ((strength[i] as number) + (strength[j] as number));
      denominator[i] = (denominator[i] as number) + share;
      denominator[j] = (denominator[j] as number) + share;
    }
    const next = score.map((s, k) => s / (denominator[k] as number));
    // Fix the scale: geometric mean 1.
    const logMean = mean(Array.from(next, Math.log));
    for (let k = 0; k < n; k++) next[k] = (next[k] as number) / Math.exp(logMean);
    let change = 0;
    for (let k = 0; k < n; k++)
      change = Math.max(change, Math.abs(Math.log(next[k] as number) - Math.log(strength[k] as number)));
    strength = next;
    if (change < 1e-13) {
      const logs = Array.from(strength, Math.log);
      const centre = mean(logs);
      return Float64Array.from(logs, (t) => 1000 + (t - centre) * ELO_PER_NATURAL_LOG);
    }
  }
  throw new Error('the MM iteration did not converge');
}

/** ∂ log L / ∂θ_k, written independently of the module's own gradient. */
function logLikelihoodGradient(counts: PairCounts, theta: Float64Array): Float64Array {
  const gradient = new Float64Array(counts.models.length);
  for (let p = 0; p < counts.i.length; p++) {
    const i = counts.i[p] as number;
    const j = counts.j[p] as number;
    const ties = counts.ties[p] as number;
    const games = (counts.winsI[p] as number) + (counts.winsJ[p] as number) + ties;
    const iWins = 1 / (1 + Math.exp((theta[j] as number) - (theta[i] as number)));
    const residual = (counts.winsI[p] as number) + ties / 2 - games * iWins;
    gradient[i] = (gradient[i] as number) + residual;
    gradient[j] = (gradient[j] as number) - residual;
  }
  return gradient;
}

describe('fitStrengths and toRatings', () => {
  it.each([
    [7, 3, 0],
    [1, 1, 0],
    [97, 3, 5],
    [3, 97, 5],
    [500, 2, 0],
    [1, 0, 1],
    [0, 0, 4],
    [12, 40, 31],
  ])(
    'rates two models with %i wins, %i losses and %i ties by the closed form 400·log10((w + t/2)/(l + t/2))',
    (wins, losses, ties) => {
      const counts = countsOf([
        ...repeat(wins, ['a', 'b', 'model_a']),
        ...repeat(losses, ['a', 'b', 'model_b']),
        ...repeat(ties, ['b', 'a', 'tie']),
      ]);
      const ratings = ratingsOf(counts);

      const expected = 400 * Math.log10((wins + ties / 2) / (losses + ties / 2));
      expectNear(ratingOf(ratings, 'a') - ratingOf(ratings, 'b'), expected, 1e-9);
      expectNear(ratingOf(ratings, 'a') + ratingOf(ratings, 'b'), 2000, 1e-9);
    },
  );

  it('gives weighted battles the same ratings as the same battles repeated', () => {
    const weighted = countsOf([
      ['a', 'b', 'model_a', 97],
      ['a', 'b', 'model_b', 3],
      ['a', 'b', 'tie', 5],
    ]);

    const ratings = ratingsOf(weighted);

    expectNear(ratingOf(ratings, 'a') - ratingOf(ratings, 'b'), 400 * Math.log10(99.5 / 5.5), 1e-9);
  });

  it('rates every model exactly 1000 when every battle is a tie', () => {
    const counts = countsOf([
      ['a', 'b', 'tie', 3],
      ['b', 'c', 'tie (bothbad)', 10],
      ['c', 'd', 'tie'],
      ['d', 'a', 'tie (bothbad)', 2],
      ['a', 'c', 'tie', 7],
    ]);

    const ratings = ratingsOf(counts);

    expect(ratings.size).toBe(4);
    for (const [model, rating] of ratings) expectNear(rating, 1000, 1e-9, model);
  });

  it('gives the same ratings when model_a and model_b are swapped and the winner flipped', () => {
    const flip: Record<BattleWinner, BattleWinner> = {
      model_a: 'model_b',
      model_b: 'model_a',
      tie: 'tie',
      'tie (bothbad)': 'tie (bothbad)',
    };
    const swapped = LEAGUE.map(([a, b, winner]): BattleRow => [b, a, flip[winner]]);

    expectSameRatings(ratingsOf(countsOf(swapped)), ratingsOf(countsOf(LEAGUE)), 1e-9);
  });

  it('gives the same ratings when the whole dataset is duplicated', () => {
    expectSameRatings(ratingsOf(countsOf([...LEAGUE, ...LEAGUE])), ratingsOf(countsOf(LEAGUE)), 1e-9);
  });

  it('gives the same ratings whatever the order of the battle rows', () => {
    const original = ratingsOf(countsOf(LEAGUE));

    for (const seed of [1, 2, 3])
      expectSameRatings(ratingsOf(countsOf(shuffled(LEAGUE, seed))), original, 1e-9);
  });

  it('centres unanchored ratings on a mean of 1000', () => {
    const ratings = ratingsOf(countsOf(LEAGUE));

    expectNear(mean(ratings.values()), 1000, 1e-9);
    // The fixture is not degenerate: the ratings spread out.
    expect(Math.max(...ratings.values()) - Math.min(...ratings.values())).toBeGreaterThan(100);
  });

  it.each([
    { model: 'model-2', rating: 1200 },
    { model: 'model-0', rating: 1000 },
    { model: 'model-4', rating: 1234.5678 },
    { model: 'model-1', rating: -250.125 },
  ])('gives the anchor $model exactly its rating $rating and keeps every difference', (anchor) => {
    const counts = countsOf(LEAGUE);
    const free = ratingsOf(counts);

    const anchored = ratingsOf(counts, {}, anchor);

    expect(ratingOf(anchored, anchor.model)).toBe(anchor.rating);
    const shift = anchor.rating - ratingOf(free, anchor.model);
    for (const [model, rating] of free) expectNear(ratingOf(anchored, model), rating + shift, 1e-9, model);
  });

  it('gives the anchor exactly its rating for any rating and any anchor model, not to within rounding', () => {
    const counts = countsOf(LEAGUE);
    const { theta } = fitStrengths(counts);
    const missed: string[] = [];

    for (const model of counts.models) {
      for (let step = 0; step < 50; step++) {
        const rating = 1000 + step / 7;
        const ratings = toRatings(theta, counts.models, { model, rating });
        const actual = ratings[counts.models.indexOf(model)];
        if (actual !== rating) missed.push(`${model} @ ${rating} → ${actual}`);
      }
    }

    expect(missed).toEqual([]);
  });

  it('refuses an anchor that is not among the rated models', () => {
    const counts = countsOf(LEAGUE);

    expect(() =>
      toRatings(fitStrengths(counts).theta, counts.models, { model: 'absent', rating: 1000 }),
    ).toThrow(RangeError);
  });

  describe('on 8 models with strongly skewed pair counts', () => {
    // True strengths spread over 2.94 natural-log units: win probabilities from 0.05 to 0.95.
    const strengths = [-1.47, -1.1, -0.7, -0.25, 0.15, 0.6, 1.05, 1.47];
    const pairSizes = [1, 2, 3, 3000, 25, 1500, 1, 400, 2, 4500];
    const sizeRandom = createRandom(99);
    const sizes = new Map<string, number>();
    const counts = countsOf(
      simulatedBattles(strengths, 2024, (i, j) => {
        const size = pairSizes[sizeRandom.nextInt(pairSizes.length)] as number;
        sizes.set(`${i}-${j}`, size);
        return size;
      }),
    );

    it('is a well-posed fixture with both tiny and huge pairs', () => {
      expect(counts.models).toHaveLength(8);
      expect(isWellPosed(counts)).toBe(true);
      expect(Math.min(...sizes.values())).toBeLessThanOrEqual(3);
      expect(Math.max(...sizes.values())).toBeGreaterThanOrEqual(3000);
    });

    it('agrees with an independent MM (Zermelo) solver to 1e-4 rating points', () => {
      const newton = toRatings(fitStrengths(counts).theta, counts.models);
      const zermelo = zermeloRatings(counts);

      counts.models.forEach((model, k) => {
        expectNear(newton[k] as number, zermelo[k] as number, 1e-4, model);
      });
    });

    it('stops where the gradient of the log-likelihood vanishes', () => {
      const { theta } = fitStrengths(counts);

      const gradient = logLikelihoodGradient(counts, theta);

      counts.models.forEach((model, k) => {
        expect(Math.abs(gradient[k] as number), model).toBeLessThan(1e-8);
      });
    });
  });

  describe('with a prior', () => {
    const withChampion = countsOf([
      ['a', 'b', 'model_a', 6],
      ['b', 'a', 'model_a', 4],
      ['b', 'c', 'model_a', 5],
      ['c', 'b', 'model_a', 5],
      ['c', 'a', 'model_a', 3],
      ['a', 'c', 'model_a', 7],
      ['champion', 'a', 'model_a', 4],
      ['b', 'champion', 'model_b', 3],
      ['champion', 'c', 'model_a', 2],
    ]);

    it('gives a model that never lost a finite rating above all others', () => {
      const { theta } = fitStrengths(withChampion, { priorSd: 200 });
      const ratings = toRatings(theta, withChampion.models);

      for (const value of [...theta, ...ratings]) expect(Number.isFinite(value)).toBe(true);
      const champion = withChampion.models.indexOf('champion');
      ratings.forEach((rating, k) => {
        if (k !== champion) expect(ratings[champion]).toBeGreaterThan(rating);
      });
    });

    it('rates a model that never lost higher the weaker the prior', () => {
      const championRating = (priorSd: number) => ratingOf(ratingsOf(withChampion, { priorSd }), 'champion');

      const ladder = [25, 100, 400, 1600].map(championRating);

      for (let k = 1; k < ladder.length; k++) expect(ladder[k]).toBeGreaterThan(ladder[k - 1] as number);
    });

    it('moves the ratings toward the maximum-likelihood estimate as priorSd grows', () => {
      const counts = countsOf(LEAGUE);
      const mle = ratingsOf(counts);
      const distanceToMle = (priorSd: number) => {
        const ratings = ratingsOf(counts, { priorSd });
        return Math.max(...[...mle].map(([model, rating]) => Math.abs(ratingOf(ratings, model) - rating)));
      };

      const distances = [25, 100, 400, 1600].map(distanceToMle);

      for (let k = 1; k < distances.length; k++)
        expect(distances[k]).toBeLessThan(distances[k - 1] as number);
      expect(distances[0]).toBeGreaterThan(10);
      expect(distanceToMle(1e6)).toBeLessThan(1e-3);
    });
  });
});

describe('analyseRankability', () => {
  /** a, b and c beat one another in a cycle: a well-posed core. */
  const CYCLE: BattleRow[] = [
    ['a', 'b', 'model_a', 3],
    ['a', 'b', 'model_b', 2],
    ['b', 'c', 'model_a', 3],
    ['b', 'c', 'model_b', 1],
    ['c', 'a', 'model_a', 2],
    ['c', 'a', 'model_b', 2],
  ];

  function analysed(
    rows: readonly BattleRow[],
    options: { minBattles?: number; priorSd?: number } = {},
  ): { rankable: string[]; unrankable: Record<string, UnrankableReason> } {
    const counts = countsOf(rows);
    const result = analyseRankability(counts, options);
    return {
      rankable: result.rankable.map((k) => counts.models[k] as string),
      unrankable: Object.fromEntries(
        result.unrankable.map(({ index, reason }) => [counts.models[index] as string, reason]),
      ),
    };
  }

  it('rates every model of a well-posed league', () => {
    expect(analysed(CYCLE)).toEqual({ rankable: ['a', 'b', 'c'], unrankable: {} });
  });

  it("reports a model that never won as 'never-won'", () => {
    const result = analysed([...CYCLE, ['loser', 'a', 'model_b', 3], ['b', 'loser', 'model_a']]);

    expect(result).toEqual({ rankable: ['a', 'b', 'c'], unrankable: { loser: 'never-won' } });
  });

  it("reports a model that never lost as 'never-lost'", () => {
    const result = analysed([...CYCLE, ['champion', 'a', 'model_a', 3], ['c', 'champion', 'model_b']]);

    expect(result).toEqual({ rankable: ['a', 'b', 'c'], unrankable: { champion: 'never-lost' } });
  });

  it('counts a tie as half a win, so a model that only tied is rankable', () => {
    const result = analysed([...CYCLE, ['drawer', 'a', 'tie'], ['b', 'drawer', 'tie (bothbad)']]);

    expect(result).toEqual({ rankable: ['a', 'b', 'c', 'drawer'], unrankable: {} });
  });

  it("reports the smaller of two groups with no battles between them as 'disconnected'", () => {
    const result = analysed([...CYCLE, ['x', 'y', 'model_a', 2], ['x', 'y', 'model_b', 1]]);

    expect(result).toEqual({
      rankable: ['a', 'b', 'c'],
      unrankable: { x: 'disconnected', y: 'disconnected' },
    });
  });

  it("reports a group that always beats the rated group as 'one-sided'", () => {
    const result = analysed([
      ...CYCLE,
      ['x', 'y', 'model_a', 2],
      ['x', 'y', 'model_b', 1],
      ['x', 'a', 'model_a', 4],
      ['b', 'y', 'model_b', 2],
    ]);

    expect(result).toEqual({ rankable: ['a', 'b', 'c'], unrankable: { x: 'one-sided', y: 'one-sided' } });
  });

  it("reports a group that always loses to the rated group as 'one-sided'", () => {
    const result = analysed([
      ...CYCLE,
      ['x', 'y', 'tie', 2],
      ['x', 'c', 'model_b', 4],
      ['a', 'y', 'model_a', 2],
    ]);

    expect(result).toEqual({ rankable: ['a', 'b', 'c'], unrankable: { x: 'one-sided', y: 'one-sided' } });
  });

  it('reports never-won and never-lost models of a one-sided group by those reasons', () => {
    const result = analysed([
      ...CYCLE,
      // x beats y outright and the rated group too: x never lost, y never won.
      ['x', 'y', 'model_a', 2],
      ['x', 'a', 'model_a', 4],
    ]);

    expect(result).toEqual({ rankable: ['a', 'b', 'c'], unrankable: { x: 'never-lost', y: 'never-won' } });
  });

  it("reports a model with fewer battles than minBattles as 'too-few-battles'", () => {
    const result = analysed([...CYCLE, ['rookie', 'a', 'model_a'], ['rookie', 'b', 'model_b']], {
      minBattles: 3,
    });

    expect(result).toEqual({ rankable: ['a', 'b', 'c'], unrankable: { rookie: 'too-few-battles' } });
  });

  it("reports a model whose every opponent had too few battles as 'disconnected', not 'never-won'", () => {
    // x won 6 of its 10 battles, but only against rookies that minBattles leaves out.
    const result = analysed(
      [
        ...CYCLE,
        ['x', 'rookie-1', 'model_a', 3],
        ['x', 'rookie-1', 'model_b', 2],
        ['x', 'rookie-2', 'model_a', 3],
        ['x', 'rookie-2', 'model_b', 2],
      ],
      { minBattles: 8 },
    );

    expect(result).toEqual({
      rankable: ['a', 'b', 'c'],
      unrankable: { 'rookie-1': 'too-few-battles', 'rookie-2': 'too-few-battles', x: 'disconnected' },
    });
  });

  it('keeps a model with exactly minBattles battles', () => {
    const result = analysed([...CYCLE, ['rookie', 'a', 'model_a'], ['rookie', 'b', 'model_b']], {
      minBattles: 2,
    });

    expect(result).toEqual({ rankable: ['a', 'b', 'c', 'rookie'], unrankable: {} });
  });

  it('with a prior, rates models that never won or never lost but still applies minBattles', () => {
    const result = analysed(
      [...CYCLE, ['loser', 'a', 'model_b', 3], ['champion', 'b', 'model_a', 3], ['rookie', 'c', 'model_a']],
      { priorSd: 200, minBattles: 2 },
    );

    expect(result).toEqual({
      rankable: ['a', 'b', 'c', 'champion', 'loser'],
      unrankable: { rookie: 'too-few-battles' },
    });
  });
});

describe('isWellPosed', () => {
  it.each<{ name: string; rows: BattleRow[] }>([
    {
      name: 'a three-model cycle',
      rows: [
        ['a', 'b', 'model_a'],
        ['b', 'c', 'model_a'],
        ['c', 'a', 'model_a'],
      ],
    },
    { name: 'two models that tied once', rows: [['a', 'b', 'tie']] },
    { name: 'battles of a model against itself only', rows: [['a', 'a', 'model_a']] },
    {
      name: 'two models that each won once',
      rows: [
        ['a', 'b', 'model_a'],
        ['a', 'b', 'model_b'],
      ],
    },
  ])('is true for $name', ({ rows }) => {
    expect(isWellPosed(countsOf(rows))).toBe(true);
  });

  it.each<{ name: string; rows: BattleRow[] }>([
    { name: 'two models where one always won', rows: [['a', 'b', 'model_a', 5]] },
    {
      name: 'a transitive chain',
      rows: [
        ['a', 'b', 'model_a'],
        ['b', 'c', 'model_a'],
        ['a', 'c', 'model_a'],
      ],
    },
    {
      name: 'two tied pairs with no battle between them',
      rows: [
        ['a', 'b', 'tie'],
        ['c', 'd', 'tie'],
      ],
    },
  ])('is false for $name', ({ rows }) => {
    expect(isWellPosed(countsOf(rows))).toBe(false);
  });
});
