import { describe, expect, it } from 'vitest';
import type { BattleWinner } from '../../shared/contracts/battle.js';
import { fitStrengths, toRatings, UNRANKABLE_REASONS } from './bradley-terry.js';
import { hubsLast, type PairCounts, PairCountsBuilder } from './pair-counts.js';
import { createRandom } from './prng.js';
import {
  AnchorNotRated,
  type RatedModel,
  type RateOptions,
  type RatingReport,
  rankUpperBounds,
  rateBattles,
  toRatingEntries,
} from './rate-battles.js';

const ROUNDS = 200;

/**
 * Battles simulated battle by battle from true Elo ratings: `battlesPerPair` per pair, 10% ties,
 * sides chosen at random.
 */
function simulatedCounts(
  trueRatings: Record<string, number>,
  battlesPerPair: number,
  seed: number,
): PairCounts {
  const random = createRandom(seed);
  const builder = new PairCountsBuilder();
  const models = Object.keys(trueRatings);
  for (const [x, first] of models.entries()) {
    for (const second of models.slice(x + 1)) {
      const firstWins =
        1 / (1 + 10 ** (((trueRatings[second] as number) - (trueRatings[first] as number)) / 400));
      for (let b = 0; b < battlesPerPair; b++) {
        const u = random.next();
        const firstIsA = random.next() < 0.5;
        const [a, bName] = firstIsA ? [first, second] : [second, first];
        const winner: BattleWinner =
          u < 0.1 ? 'tie' : u < 0.1 + 0.9 * firstWins === firstIsA ? 'model_a' : 'model_b';
        builder.add(a, bName, winner);
      }
    }
  }
  return builder.build();
}

/** Well separated: 150+ points apart with 300 battles per pair. */
const SEPARATED_RATINGS = { alpha: 1400, bravo: 1200, charlie: 1050, delta: 900, echo: 700 };
const separated = () => simulatedCounts(SEPARATED_RATINGS, 300, 7);

function countsOf(rows: ReadonlyArray<readonly [string, string, BattleWinner, number]>): PairCounts {
  const builder = new PairCountsBuilder();
  for (const [a, b, winner, weight] of rows) builder.add(a, b, winner, weight);
  return builder.build();
}

/** a, b and c beat one another in a cycle, 20 battles a pair: a well-posed core. */
const CYCLE = [
  ['a', 'b', 'model_a', 12],
  ['a', 'b', 'model_b', 8],
  ['b', 'c', 'model_a', 11],
  ['b', 'c', 'model_b', 9],
  ['c', 'a', 'model_a', 7],
  ['c', 'a', 'model_b', 13],
] as const;

function rowOf(report: RatingReport, model: string): RatedModel {
  const row = report.rated.find((r) => r.model === model);
  if (!row) throw new Error(`${model} is not rated`);
  return row;
}

function rate(counts: PairCounts, options: Partial<RateOptions> = {}): RatingReport {
  return rateBattles(counts, { bootstrapRounds: ROUNDS, seed: 1, ...options });
}

describe('rateBattles', () => {
  it('gives deep-equal and byte-identical JSON output for the same input and seed', () => {
    const first = rate(separated(), { seed: 12345 });
    const second = rate(separated(), { seed: 12345 });

    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('keeps the point ratings but draws other CIs with another seed', () => {
    const counts = separated();

    const one = rate(counts, { seed: 1 });
    const other = rate(counts, { seed: 2 });

    expect(other.rated.map((r) => [r.model, r.rating])).toEqual(one.rated.map((r) => [r.model, r.rating]));
    expect(other.rated.map((r) => [r.ciLow, r.ciHigh])).not.toEqual(
      one.rated.map((r) => [r.ciLow, r.ciHigh]),
    );
  });

  it('puts each point rating inside its CI and ranks well-separated models by rating, each alone', () => {
    const report = rate(separated());

    expect(report.rated.map((r) => r.model)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    for (const row of report.rated) {
      expect(row.ciLow, row.model).toBeLessThan(row.rating);
      expect(row.ciHigh, row.model).toBeGreaterThan(row.rating);
    }
    expect(report.rated.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(report.rated.map((r) => r.rankUpper)).toEqual([1, 2, 3, 4, 5]);
    expect(report.unranked).toEqual([]);
    expect(report.redrawnRounds).toBe(0);
    expect(report.rated.map((r) => r.nBattles)).toEqual([1200, 1200, 1200, 1200, 1200]);
  });

  it('reports as point ratings the fit to the full data', () => {
    const counts = separated();
    const full = toRatings(fitStrengths(counts).theta, counts.models);

    const report = rate(counts);

    counts.models.forEach((model, k) => {
      expect(Math.abs(rowOf(report, model).rating - (full[k] as number)), model).toBeLessThan(1e-9);
    });
  });

  it('reports the point ratings as CI bounds when there are no bootstrap rounds', () => {
    const report = rate(separated(), { bootstrapRounds: 0 });

    for (const row of report.rated) expect([row.ciLow, row.ciHigh]).toEqual([row.rating, row.rating]);
  });

  it.each([
    { model: 'charlie', rating: 1500 },
    { model: 'alpha', rating: 1000 },
    { model: 'echo', rating: 1234.5678 },
    { model: 'delta', rating: 1000 + 1 / 7 },
  ])('applies the anchor $model = $rating in the fit and in every bootstrap round', (anchor) => {
    const counts = separated();
    const free = rate(counts);

    const anchored = rate(counts, { anchor });

    const row = rowOf(anchored, anchor.model);
    expect([row.rating, row.ciLow, row.ciHigh]).toEqual([anchor.rating, anchor.rating, anchor.rating]);
    const shift = anchor.rating - rowOf(free, anchor.model).rating;
    for (const other of free.rated) {
      expect(
        Math.abs(rowOf(anchored, other.model).rating - (other.rating + shift)),
        other.model,
      ).toBeLessThan(1e-9);
      if (other.model !== anchor.model) {
        const anchoredRow = rowOf(anchored, other.model);
        expect(anchoredRow.ciHigh - anchoredRow.ciLow, other.model).toBeGreaterThan(0);
      }
    }
  });

  it('ranks by the rank upper bound in significant mode, so models with overlapping CIs share a rank', () => {
    const counts = simulatedCounts({ top: 1400, close1: 1010, close2: 1000, bottom: 600 }, 60, 3);

    const report = rate(counts, { significant: true });

    expect(report.rated.map((r) => [r.model, r.rank])).toEqual([
      ['top', 1],
      ['close1', 2],
      ['close2', 2],
      ['bottom', 4],
    ]);
    for (const row of report.rated) expect(row.rank).toBe(row.rankUpper);
  });

  it('ranks by position in the default mode even when CIs overlap', () => {
    const counts = simulatedCounts({ top: 1400, close1: 1010, close2: 1000, bottom: 600 }, 60, 3);

    const report = rate(counts);

    expect(report.rated.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(report.rated.map((r) => r.rankUpper)).toEqual([1, 2, 2, 4]);
    const ratings = report.rated.map((r) => r.rating);
    expect(ratings).toEqual([...ratings].sort((x, y) => y - x));
  });

  it("lists a model with fewer battles than minBattles as unranked 'fewer than N battles'", () => {
    const counts = countsOf([...CYCLE, ['rookie', 'a', 'model_a', 3], ['rookie', 'b', 'model_b', 2]]);

    const report = rate(counts, { minBattles: 10 });

    expect(report.rated.map((r) => r.model).sort()).toEqual(['a', 'b', 'c']);
    expect(report.unranked).toEqual([{ model: 'rookie', reason: 'fewer than 10 battles', n_battles: 5 }]);
  });

  it('lists a model that never won as unranked and writes no NaN or Infinity anywhere', () => {
    const counts = countsOf([...CYCLE, ['loser', 'a', 'model_b', 6], ['b', 'loser', 'model_a', 4]]);

    const report = rate(counts);

    expect(report.rated.map((r) => r.model).sort()).toEqual(['a', 'b', 'c']);
    expect(report.unranked).toEqual([
      { model: 'loser', reason: UNRANKABLE_REASONS['never-won'], n_battles: 10 },
    ]);
    // NaN and ±Infinity become null in JSON, so a lossless round trip proves there are none.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    for (const row of report.rated) {
      for (const value of [row.rating, row.ciLow, row.ciHigh]) expect(Number.isFinite(value)).toBe(true);
    }
  });

  it('rates a model that never won, lowest, when a prior is given', () => {
    const counts = countsOf([...CYCLE, ['loser', 'a', 'model_b', 6], ['b', 'loser', 'model_a', 4]]);

    const report = rate(counts, { priorSd: 200 });

    expect(report.unranked).toEqual([]);
    expect(report.rated.at(-1)?.model).toBe('loser');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('throws AnchorNotRated when the anchor model cannot be rated', () => {
    const counts = countsOf([...CYCLE, ['loser', 'a', 'model_b', 6]]);

    expect(() => rate(counts, { anchor: { model: 'loser', rating: 1000 } })).toThrow(AnchorNotRated);
    expect(() => rate(counts, { anchor: { model: 'loser', rating: 1000 } })).toThrow(
      `anchor model loser cannot be rated: ${UNRANKABLE_REASONS['never-won']}`,
    );
  });

  it('throws AnchorNotRated when the anchor model does not appear in the battles', () => {
    const counts = countsOf([...CYCLE]);

    expect(() => rate(counts, { anchor: { model: 'absent', rating: 1000 } })).toThrow(AnchorNotRated);
    expect(() => rate(counts, { anchor: { model: 'absent', rating: 1000 } })).toThrow(
      'anchor model absent does not appear in the battles',
    );
  });

  it('writes rating entries in the ratings-file field names', () => {
    const report = rate(separated());

    const entries = toRatingEntries(report, 'llm-judge');

    const first = report.rated[0];
    expect(entries[0]).toEqual({
      model: first?.model,
      rating: first?.rating,
      ci_low: first?.ciLow,
      ci_high: first?.ciHigh,
      n_battles: first?.nBattles,
      source: 'llm-judge',
      rank: first?.rank,
      rank_upper: first?.rankUpper,
    });
    expect(entries).toHaveLength(5);
  });
});

describe('the League’s star of teams against the reference', () => {
  /** 60 teams, each with 70 battles against one reference whose name sorts among them. */
  function star(): PairCounts {
    const builder = new PairCountsBuilder();
    const random = createRandom(11);
    for (let t = 0; t < 60; t++) {
      const strength = 0.15 + 0.7 * (t / 60);
      for (let q = 0; q < 70; q++) {
        const u = random.next();
        builder.add(
          `team-${String(t).padStart(2, '0')}`,
          'm-reference',
          u < strength ? 'model_a' : u < strength + 0.1 ? 'tie' : 'model_b',
        );
      }
    }
    return builder.build();
  }

  it('relabels the reference last and keeps every pair as it was', () => {
    const counts = star();
    const relabelled = hubsLast(counts);
    expect(relabelled.models.at(-1)).toBe('m-reference');
    expect([...relabelled.models].sort()).toEqual([...counts.models].sort());
    for (let p = 0; p < counts.i.length; p++) {
      expect(relabelled.models[relabelled.i[p] as number]).toBe(counts.models[counts.i[p] as number]);
      expect(relabelled.models[relabelled.j[p] as number]).toBe(counts.models[counts.j[p] as number]);
    }
    expect(relabelled.winsI).toBe(counts.winsI);
  });

  it('rates it as the dense solver does, to 1e-6 points', () => {
    const counts = star();
    const dense = toRatings(fitStrengths(counts, { priorSd: 400 }).theta, counts.models);
    const expected = new Map(counts.models.map((model, k) => [model, dense[k] as number]));
    const report = rateBattles(counts, { bootstrapRounds: 20, seed: 3, priorSd: 400 });
    expect(report.rated).toHaveLength(61);
    for (const row of report.rated) expect(row.rating).toBeCloseTo(expected.get(row.model) as number, 6);
  });
});

describe('rankUpperBounds', () => {
  it.each<{ name: string; intervals: [number, number][]; expected: number[] }>([
    {
      name: 'two overlapping intervals below a separate one',
      intervals: [
        [10, 20],
        [15, 25],
        [30, 40],
      ],
      expected: [2, 2, 1],
    },
    {
      name: 'disjoint intervals',
      intervals: [
        [0, 1],
        [4, 5],
        [2, 3],
      ],
      expected: [3, 1, 2],
    },
    {
      name: 'intervals that all overlap',
      intervals: [
        [0, 10],
        [5, 15],
        [9, 20],
      ],
      expected: [1, 1, 1],
    },
    {
      name: 'intervals that only touch at an end',
      intervals: [
        [10, 20],
        [20, 30],
      ],
      expected: [1, 1],
    },
    {
      name: 'identical intervals',
      intervals: [
        [10, 20],
        [10, 20],
        [30, 40],
      ],
      expected: [2, 2, 1],
    },
    {
      name: 'point intervals',
      intervals: [
        [5, 5],
        [5, 5],
        [6, 6],
      ],
      expected: [2, 2, 1],
    },
    { name: 'no intervals', intervals: [], expected: [] },
  ])('counts the intervals wholly above each one, plus one, for $name', ({ intervals, expected }) => {
    expect(rankUpperBounds(intervals.map(([low, high]) => ({ low, high })))).toEqual(expected);
  });
});
