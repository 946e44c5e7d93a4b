import { describe, expect, it } from 'vitest';
import { createRandom } from '../ranking/prng.js';
import { cohensKappa, weightedKappa } from './agreement.js';

describe("Cohen's kappa between two judges", () => {
  it('is 1 when the judges agree on every item', () => {
    const a = ['win', 'tie', 'loss', 'win', 'loss'];
    expect(cohensKappa(a, [...a])).toEqual({ n: 5, observed: 1, kappa: 1 });
  });

  it('matches the textbook example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no gives 0.4', () => {
    const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
    const b = [
      ...Array(20).fill('yes'),
      ...Array(5).fill('no'),
      ...Array(10).fill('yes'),
      ...Array(15).fill('no'),
    ];
    const result = cohensKappa(a, b);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it('is near 0 for two judges that pick independently at random', () => {
    const random = createRandom(11);
    const pick = () => ['win', 'tie', 'loss'][random.nextInt(3)] as string;
    const a = Array.from({ length: 20_000 }, pick);
    const b = Array.from({ length: 20_000 }, pick);
    const kappa = cohensKappa(a, b).kappa;
    expect(kappa).not.toBeNull();
    expect(Math.abs(kappa ?? 1)).toBeLessThan(0.02);
  });

  it('is negative for judges that always disagree, and undefined when both always say the same thing', () => {
    expect(cohensKappa(['win', 'loss', 'win', 'loss'], ['loss', 'win', 'loss', 'win']).kappa).toBe(-1);
    expect(cohensKappa(['tie', 'tie'], ['tie', 'tie']).kappa).toBeNull();
    expect(cohensKappa([], []).kappa).toBeNull();
  });

  it('weights a near miss less than a flip in the quadratic weighted kappa', () => {
    const a = [2, 1, 0, -1, -2, 1, -1, 0];
    expect(weightedKappa(a, [...a])).toBe(1);
    const nearMiss = weightedKappa(a, [1, 1, 0, -1, -1, 1, -1, 0]) ?? Number.NaN;
    const flip = weightedKappa(a, [-2, 1, 0, -1, 2, 1, -1, 0]) ?? Number.NaN;
    expect(nearMiss).toBeGreaterThan(flip);
    expect(nearMiss).toBeLessThan(1);
  });
});
