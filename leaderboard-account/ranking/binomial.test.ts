import { describe, expect, it } from 'vitest';
import { sampleBinomial, sampleMultinomial } from './binomial.js';
import { createRandom } from './prng.js';

const DRAWS = 200_000;

/** Lanczos approximation (g = 7, 9 terms) of log Γ(x) for x ≥ 1: about 15 significant digits. */
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  const z = x - 1;
  let series = LANCZOS[0] as number;
  for (let k = 1; k < LANCZOS.length; k++) series += (LANCZOS[k] as number) / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/** The exact Binomial(n, p) probability mass function, 0 < p < 1. */
function binomialPmf(n: number, p: number): Float64Array {
  const logChoose = (k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return Float64Array.from({ length: n + 1 }, (_, k) =>
    Math.exp(logChoose(k) + k * Math.log(p) + (n - k) * Math.log1p(-p)),
  );
}

interface Moments {
  readonly mean: number;
  readonly variance: number;
  readonly fourthCentral: number;
}

function momentsOf(pmf: Float64Array): Moments {
  let mean = 0;
  pmf.forEach((mass, k) => {
    mean += mass * k;
  });
  let variance = 0;
  let fourthCentral = 0;
  pmf.forEach((mass, k) => {
    variance += mass * (k - mean) ** 2;
    fourthCentral += mass * (k - mean) ** 4;
  });
  return { mean, variance, fourthCentral };
}

describe('the reference binomial pmf used by these tests', () => {
  it('agrees with log(k!) computed directly and sums to 1', () => {
    let logFactorial = 0;
    for (let k = 1; k <= 30; k++) {
      logFactorial += Math.log(k);
      expect(Math.abs(logGamma(k + 1) - logFactorial)).toBeLessThan(1e-12 * Math.max(1, logFactorial));
    }
    const pmf = binomialPmf(100_000, 0.0002);
    expect(Math.abs(pmf.reduce((sum, mass) => sum + mass, 0) - 1)).toBeLessThan(1e-9);
    expect(momentsOf(binomialPmf(50, 0.3)).mean).toBeCloseTo(15, 10);
  });
});

describe('sampleBinomial', () => {
  // The cases hit both samplers (inversion when n·p < 10, BTRS otherwise) and the p > 0.5 mirror.
  // Their standard deviations stay below 7 because the total variation distance of 200,000 draws
  // from their own distribution grows like √σ: about 0.002·√σ, so < 0.01 is a fair test only there.
  it.each([
    { n: 1, p: 0.3, branch: 'inversion (a Bernoulli draw)' },
    { n: 20, p: 0.1, branch: 'inversion, n·p = 2' },
    { n: 1000, p: 0.003, branch: 'inversion, n·p = 3' },
    { n: 30, p: 0.8, branch: 'mirrored inversion, 30 − Binomial(30, 0.2)' },
    { n: 40, p: 0.25, branch: 'BTRS at its threshold n·p = 10' },
    { n: 50, p: 0.3, branch: 'BTRS, n·p = 15' },
    { n: 100, p: 0.5, branch: 'BTRS at p = 0.5' },
    { n: 200, p: 0.9, branch: 'mirrored BTRS, 200 − Binomial(200, 0.1)' },
    { n: 1000, p: 0.05, branch: 'BTRS, n·p = 50' },
    { n: 100_000, p: 0.0002, branch: 'BTRS with large n, n·p = 20' },
  ])('draws Binomial($n, $p) exactly ($branch)', ({ n, p }) => {
    const random = createRandom(n * 7919 + Math.round(p * 1e6));
    const pmf = binomialPmf(n, p);
    const exact = momentsOf(pmf);
    const histogram = new Float64Array(n + 1);
    let outside = 0;
    let sum = 0;
    let squaredDeviation = 0;

    for (let d = 0; d < DRAWS; d++) {
      const k = sampleBinomial(n, p, random);
      if (!Number.isInteger(k) || k < 0 || k > n) outside += 1;
      else histogram[k] = (histogram[k] as number) + 1;
      sum += k;
      squaredDeviation += (k - exact.mean) ** 2;
    }

    expect(outside).toBe(0);
    const meanStandardError = Math.sqrt(exact.variance / DRAWS);
    expect(Math.abs(sum / DRAWS - n * p)).toBeLessThan(5 * meanStandardError);
    const varianceStandardError = Math.sqrt((exact.fourthCentral - exact.variance ** 2) / DRAWS);
    expect(Math.abs(squaredDeviation / DRAWS - n * p * (1 - p))).toBeLessThan(5 * varianceStandardError);
    let distance = 0;
    histogram.forEach((count, k) => {
      distance += Math.abs(count / DRAWS - (pmf[k] as number));
    });
    expect(distance / 2).toBeLessThan(0.01);
  });

  it.each([
    { n: 0, p: 0.4, expected: 0 },
    { n: 0, p: 1, expected: 0 },
    { n: 25, p: 0, expected: 0 },
    { n: 25, p: 1, expected: 25 },
    { n: 100_000, p: 1, expected: 100_000 },
  ])('always draws $expected from Binomial($n, $p)', ({ n, p, expected }) => {
    const random = createRandom(3);
    const draws = new Set<number>();

    for (let d = 0; d < DRAWS; d++) draws.add(sampleBinomial(n, p, random));

    expect([...draws]).toEqual([expected]);
  });

  it('gives the same draws for the same seed and different draws for another', () => {
    const drawsWith = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 200 }, (_, d) => sampleBinomial(d % 2 === 0 ? 30 : 500, 0.4, random));
    };

    expect(drawsWith(17)).toEqual(drawsWith(17));
    expect(drawsWith(17)).not.toEqual(drawsWith(18));
  });
});

describe('sampleMultinomial', () => {
  const COUNTS = Float64Array.from([3, 0, 10, 1, 0, 6, 250, 0, 30]);
  const MASS = COUNTS.reduce((sum, c) => sum + c, 0);

  it.each([0, 1, 7, 1000, 123_457])('draws exactly %i items, none from an empty category', (total) => {
    const random = createRandom(total + 1);

    for (let d = 0; d < 2000; d++) {
      const draw = sampleMultinomial(total, COUNTS, random);
      expect(draw.reduce((sum, x) => sum + x, 0)).toBe(total);
      draw.forEach((x, k) => {
        expect(Number.isInteger(x) && x >= 0).toBe(true);
        if (COUNTS[k] === 0) expect(x).toBe(0);
      });
    }
  });

  it('draws each category in proportion to its count', () => {
    const total = 1000;
    const draws = 20_000;
    const random = createRandom(42);
    const sums = new Float64Array(COUNTS.length);

    for (let d = 0; d < draws; d++) {
      sampleMultinomial(total, COUNTS, random).forEach((x, k) => {
        sums[k] = (sums[k] as number) + x;
      });
    }

    COUNTS.forEach((count, k) => {
      const share = count / MASS;
      const standardError = Math.sqrt((total * share * (1 - share)) / draws);
      expect(Math.abs((sums[k] as number) / draws - total * share), `category ${k}`).toBeLessThanOrEqual(
        5 * standardError,
      );
    });
  });

  it('overwrites every entry of a reused output array', () => {
    const out = new Float64Array(COUNTS.length).fill(99);

    const draw = sampleMultinomial(50, COUNTS, createRandom(1), out);

    expect(draw).toBe(out);
    expect(draw.reduce((sum, x) => sum + x, 0)).toBe(50);
    COUNTS.forEach((count, k) => {
      if (count === 0) expect(draw[k]).toBe(0);
    });
  });

  it('gives the same draws for the same seed and different draws for another', () => {
    const drawsWith = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 50 }, () => Array.from(sampleMultinomial(5000, COUNTS, random)));
    };

    expect(drawsWith(5)).toEqual(drawsWith(5));
    expect(drawsWith(5)).not.toEqual(drawsWith(6));
  });
});
