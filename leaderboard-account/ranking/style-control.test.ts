import { describe, expect, it } from 'vitest';
import type { AnswerStyle } from './answer-style.js';
import { createRandom } from './prng.js';
import { type StyledBattle, styleControlledRatings } from './style-control.js';

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

describe('styleControlledRatings', () => {
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
