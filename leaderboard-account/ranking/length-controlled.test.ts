import { describe, expect, it } from 'vitest';
import { type LengthGame, lengthControlledWinRates } from './length-controlled.js';
import { createRandom } from './prng.js';

/** A judge whose P(win) rises with the length difference: logit = quality + bias·tanh(Δ/800). */
function judged(quality: number, bias: number, pad: number, questions: number, seed: number): LengthGame[] {
  const random = createRandom(seed);
  const lengths = createRandom(7);
  const games: LengthGame[] = [];
  for (let q = 0; q < questions; q++) {
    const referenceChars = 800 + lengths.nextInt(800);
    const candidateChars = 600 + lengths.nextInt(1200) + pad;
    const logit = quality + bias * Math.tanh((candidateChars - referenceChars) / 800);
    const p = 1 / (1 + Math.exp(-logit));
    games.push({ questionId: `q${q}`, outcome: random.next() < p ? 1 : 0, candidateChars, referenceChars });
  }
  return games;
}

describe('lengthControlledWinRates', () => {
  it('does not raise a model that only gets longer, though its raw win rate rises', () => {
    const teams = new Map([
      ['x', judged(0, 2, 0, 2000, 1)],
      ['x-padded', judged(0, 2, 1500, 2000, 2)],
    ]);
    const result = lengthControlledWinRates(teams, { rounds: 0, seed: 1 });
    const x = result.get('x');
    const padded = result.get('x-padded');
    expect(padded?.rawWinRate).toBeGreaterThan((x?.rawWinRate ?? 1) + 0.1);
    expect(padded?.winRate).toBeLessThanOrEqual((x?.winRate ?? 0) + 0.05);
  });

  it('is close to the raw win rate when the judge has no length bias', () => {
    const result = lengthControlledWinRates(new Map([['x', judged(0.8, 0, 0, 1000, 3)]]), {
      rounds: 0,
      seed: 1,
    });
    const x = result.get('x');
    expect(Math.abs((x?.winRate ?? 0) - (x?.rawWinRate ?? 1))).toBeLessThan(0.05);
  });

  it('equals the regularised raw rate when no length varies, and stays finite when every game is won', () => {
    const games = Array.from({ length: 20 }, (_, q) => ({
      questionId: `q${q}`,
      outcome: 1,
      candidateChars: 5,
      referenceChars: 5,
    }));
    const lc = lengthControlledWinRates(new Map([['x', games]]), { rounds: 50, seed: 1 }).get('x');
    expect(lc?.lengthCoefficient).toBe(0);
    expect(lc?.winRate).toBeGreaterThan(0.95);
    expect(lc?.winRate).toBeLessThan(1);
  });

  it('gives a CI that contains the estimate and widens with fewer questions', () => {
    const many = lengthControlledWinRates(new Map([['x', judged(0.5, 1, 0, 400, 4)]]), {
      rounds: 200,
      seed: 5,
    }).get('x');
    const few = lengthControlledWinRates(new Map([['x', judged(0.5, 1, 0, 40, 4)]]), {
      rounds: 200,
      seed: 5,
    }).get('x');
    for (const r of [many, few]) {
      expect(r?.ciLow).toBeLessThanOrEqual(r?.winRate ?? Number.NaN);
      expect(r?.ciHigh).toBeGreaterThanOrEqual(r?.winRate ?? Number.NaN);
    }
    expect((few?.ciHigh ?? 0) - (few?.ciLow ?? 0)).toBeGreaterThan((many?.ciHigh ?? 0) - (many?.ciLow ?? 0));
  });

  it('keeps a better model above a worse one after control', () => {
    const result = lengthControlledWinRates(
      new Map([
        ['better', judged(1, 2, 0, 1000, 8)],
        ['worse-but-long', judged(-0.5, 2, 1500, 1000, 9)],
      ]),
      { rounds: 0, seed: 1 },
    );
    expect(result.get('better')?.winRate).toBeGreaterThan(result.get('worse-but-long')?.winRate ?? 1);
  });
});
