import { describe, expect, it } from 'vitest';
import { meanWithCi } from './question-bootstrap.js';

describe('meanWithCi', () => {
  it('returns the plain mean and its count', () => {
    const result = meanWithCi([1, 0, 0.5, 0.5], { rounds: 200, seed: 7 });
    expect(result.mean).toBe(0.5);
    expect(result.n).toBe(4);
  });

  it('collapses the CI to the mean when rounds is 0', () => {
    expect(meanWithCi([1, 0, 0, 0], { rounds: 0, seed: 1 })).toEqual({
      mean: 0.25,
      ciLow: 0.25,
      ciHigh: 0.25,
      n: 4,
    });
  });

  it('gives identical CIs for the same seed and different ones for another seed', () => {
    const values = Array.from({ length: 40 }, (_, k) => (k * 7) % 11);
    const first = meanWithCi(values, { rounds: 300, seed: 42 });
    expect(meanWithCi(values, { rounds: 300, seed: 42 })).toEqual(first);
    expect(meanWithCi(values, { rounds: 300, seed: 43 })).not.toEqual(first);
  });

  it('gives a CI that contains the mean and lies within the range of the values', () => {
    const values = Array.from({ length: 30 }, (_, k) => (k % 5) / 4);
    const { mean, ciLow, ciHigh } = meanWithCi(values, { rounds: 500, seed: 3 });
    expect(ciLow).toBeLessThan(mean);
    expect(ciHigh).toBeGreaterThan(mean);
    expect(ciLow).toBeGreaterThanOrEqual(0);
    expect(ciHigh).toBeLessThanOrEqual(1);
  });

  it('spans the whole range for two questions, as resampling with replacement must', () => {
    // Resampled means of [0, 1] are 0, 0.5, 1 with probability 1/4, 1/2, 1/4: both tails pass 2.5%.
    expect(meanWithCi([0, 1], { rounds: 1000, seed: 5 })).toMatchObject({ ciLow: 0, ciHigh: 1 });
  });

  it('matches the normal-theory 95% interval for a large half-won sample', () => {
    // 100 questions, half won: standard error 0.05, so the interval is close to 0.5 ± 0.098.
    const values = Array.from({ length: 100 }, (_, k) => k % 2);
    const { ciLow, ciHigh } = meanWithCi(values, { rounds: 2000, seed: 11 });
    expect(ciLow).toBeCloseTo(0.402, 1);
    expect(ciHigh).toBeCloseTo(0.598, 1);
  });

  it('collapses the CI to the value when every question scores the same', () => {
    expect(meanWithCi([0.75, 0.75, 0.75], { rounds: 100, seed: 9 })).toEqual({
      mean: 0.75,
      ciLow: 0.75,
      ciHigh: 0.75,
      n: 3,
    });
  });

  it('rejects an empty sample', () => {
    expect(() => meanWithCi([], { rounds: 10, seed: 1 })).toThrow(RangeError);
  });

  it('rejects a negative or fractional number of rounds', () => {
    expect(() => meanWithCi([1], { rounds: -1, seed: 1 })).toThrow(/rounds/);
    expect(() => meanWithCi([1], { rounds: 2.5, seed: 1 })).toThrow(/rounds/);
  });

  it('rejects a value that is not finite, naming its position', () => {
    expect(() => meanWithCi([1, Number.NaN], { rounds: 10, seed: 1 })).toThrow(/value 1/);
  });
});
