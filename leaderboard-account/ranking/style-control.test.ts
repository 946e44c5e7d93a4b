import { describe, expect, it } from 'vitest';
import type { AnswerStyle } from './answer-style.js';
import { createRandom } from './prng.js';
import {
  type StyleControlled,
  type StyleControlOptions,
  type StyledBattle,
  styleControlledRatings,
} from './style-control.js';

const style = (chars: number): AnswerStyle => ({ chars, headers: 0, listItems: 0, bold: 0, codeBlocks: 0 });

/** Battles of each model against the reference, judged with a bias towards the longer answer. */
function battles(
  models: { name: string; quality: number; pad: number }[],
  bias: number,
  perModel: number,
  seed: number,
): StyledBattle[] {
  const random = createRandom(seed);
  const out: StyledBattle[] = [];
  for (const model of models) {
    const lengths = createRandom(11);
    for (let q = 0; q < perModel; q++) {
      const reference = 800 + lengths.nextInt(800);
      const candidate = 600 + lengths.nextInt(1200) + model.pad;
      const logit = model.quality + bias * ((candidate - reference) / (candidate + reference));
      const won = random.next() < 1 / (1 + Math.exp(-logit));
      out.push({
        modelA: model.name,
        modelB: 'reference',
        winner: won ? 'model_a' : 'model_b',
        styleA: style(candidate),
        styleB: style(reference),
      });
    }
  }
  return out;
}

/**
 * A board's battles: each of `count` models against 'reference', either side first, with ties,
 * weights and all four style features varying, so every block of the arrow system is exercised.
 */
function starBattles(count: number, perModel: number, seed: number): StyledBattle[] {
  const random = createRandom(seed);
  const varied = (): AnswerStyle => ({
    chars: 300 + random.nextInt(2000),
    headers: random.nextInt(4),
    listItems: random.nextInt(9),
    bold: random.nextInt(6),
    codeBlocks: 0,
  });
  const out: StyledBattle[] = [];
  for (let m = 0; m < count; m++) {
    const quality = 2 * random.next() - 1;
    for (let q = 0; q < perModel; q++) {
      const candidate = varied();
      const reference = varied();
      const lengthBias = (candidate.chars - reference.chars) / (candidate.chars + reference.chars);
      const won = random.next() < 1 / (1 + Math.exp(-quality - 2 * lengthBias));
      const candidateFirst = random.next() < 0.5;
      const outcome = random.next();
      const winner =
        outcome < 0.08
          ? 'tie'
          : outcome < 0.1
            ? 'tie (bothbad)'
            : won === candidateFirst
              ? 'model_a'
              : 'model_b';
      out.push({
        modelA: candidateFirst ? `m${m}` : 'reference',
        modelB: candidateFirst ? 'reference' : `m${m}`,
        winner,
        styleA: candidateFirst ? candidate : reference,
        styleB: candidateFirst ? reference : candidate,
        weight: 1 + random.nextInt(3),
      });
    }
  }
  return out;
}

function expectSameResult(fast: StyleControlled, dense: StyleControlled): void {
  expect([...fast.ratings.keys()]).toEqual([...dense.ratings.keys()]);
  for (const [model, d] of dense.ratings) {
    const f = fast.ratings.get(model);
    expect(Math.abs((f?.rating ?? Number.NaN) - d.rating)).toBeLessThan(1e-6);
    expect(Math.abs((f?.ciLow ?? Number.NaN) - d.ciLow)).toBeLessThan(1e-6);
    expect(Math.abs((f?.ciHigh ?? Number.NaN) - d.ciHigh)).toBeLessThan(1e-6);
  }
  for (const feature of ['length', 'headers', 'listItems', 'bold'] as const) {
    expect(Math.abs(fast.coefficients[feature] - dense.coefficients[feature])).toBeLessThan(1e-6);
  }
}

describe('styleControlledRatings', () => {
  const anchor = { model: 'reference', rating: 1000 };
  it.each<[string, Omit<StyleControlOptions, 'solver'>]>([
    ['a prior and an anchor', { bootstrapRounds: 40, seed: 5, priorSd: 400, anchor }],
    ['no prior (the ridge) and an anchor', { bootstrapRounds: 40, seed: 6, anchor }],
    ['a prior and no anchor (centred)', { bootstrapRounds: 40, seed: 7, priorSd: 200 }],
  ])('solves a star (30 models vs the reference) as the dense solver does, with %s', (_, options) => {
    const data = starBattles(30, 40, 21);
    const fast = styleControlledRatings(data, options);
    const dense = styleControlledRatings(data, { ...options, solver: 'dense' });
    expectSameResult(fast, dense);
    // Not vacuous: the style and the models both moved the fit.
    expect(Math.abs(dense.coefficients.length)).toBeGreaterThan(10);
    const ratings = [...dense.ratings.values()].map((r) => r.rating);
    expect(Math.max(...ratings) - Math.min(...ratings)).toBeGreaterThan(100);
  });

  it('falls back to the dense solver when no model is in every battle, with the same answer', () => {
    const across: StyledBattle = {
      modelA: 'm0',
      modelB: 'm1',
      winner: 'model_a',
      styleA: style(500),
      styleB: style(700),
    };
    const data = [...starBattles(5, 30, 22), across];
    const options = { bootstrapRounds: 10, seed: 1, priorSd: 400, anchor };
    expectSameResult(
      styleControlledRatings(data, options),
      styleControlledRatings(data, { ...options, solver: 'dense' }),
    );
  });

  it('does not raise a model that only gets longer, while its raw rating (no style) rises', () => {
    const data = battles(
      [
        { name: 'x', quality: 0, pad: 0 },
        { name: 'x-padded', quality: 0, pad: 1500 },
        { name: 'y', quality: 0.5, pad: 300 },
      ],
      3,
      1500,
      1,
    );
    const anchor = { model: 'reference', rating: 1000 };
    const controlled = styleControlledRatings(data, { bootstrapRounds: 0, seed: 1, anchor });
    const raw = styleControlledRatings(
      data.map((battle) => ({ ...battle, styleA: style(1), styleB: style(1) })),
      { bootstrapRounds: 0, seed: 1, anchor },
    );
    const rating = (r: typeof raw, m: string): number => r.ratings.get(m)?.rating ?? Number.NaN;
    expect(rating(raw, 'x-padded')).toBeGreaterThan(rating(raw, 'x') + 50);
    expect(rating(controlled, 'x-padded')).toBeLessThanOrEqual(rating(controlled, 'x') + 25);
    expect(controlled.coefficients.length).toBeGreaterThan(0);
  });

  it('keeps a better model above a worse, longer one after control, and the CI contains the rating', () => {
    const data = battles(
      [
        { name: 'better', quality: 1, pad: 0 },
        { name: 'worse-long', quality: -0.5, pad: 1500 },
      ],
      3,
      800,
      2,
    );
    const result = styleControlledRatings(data, { bootstrapRounds: 50, seed: 3, priorSd: 400 });
    const better = result.ratings.get('better');
    const worse = result.ratings.get('worse-long');
    expect(better?.rating).toBeGreaterThan(worse?.rating ?? Number.POSITIVE_INFINITY);
    for (const r of [better, worse]) {
      expect(r?.ciLow).toBeLessThanOrEqual(r?.rating ?? Number.NaN);
      expect(r?.ciHigh).toBeGreaterThanOrEqual(r?.rating ?? Number.NaN);
    }
  });

  it('rates a model that won every battle when a prior is given', () => {
    const data: StyledBattle[] = Array.from({ length: 20 }, () => ({
      modelA: 'ace',
      modelB: 'reference',
      winner: 'model_a' as const,
      styleA: style(100),
      styleB: style(100),
    }));
    const result = styleControlledRatings(data, {
      bootstrapRounds: 10,
      seed: 1,
      priorSd: 200,
      anchor: { model: 'reference', rating: 1000 },
    });
    const ace = result.ratings.get('ace')?.rating ?? Number.NaN;
    expect(Number.isFinite(ace)).toBe(true);
    expect(ace).toBeGreaterThan(1000);
  });
});
