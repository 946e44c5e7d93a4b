import type { Random } from './prng.js';

/**
 * Exact binomial and multinomial sampling. Written by hand (no maintained JS library does exact,
 * seeded, fast binomials): inversion by sequential search when n·p < 10, otherwise Hörmann's
 * BTRS ("The generation of binomial random variates", 1993), the sampler TensorFlow and JAX use.
 * Both are exact: every draw follows Binomial(n, p), only the cost differs.
 */
export function sampleBinomial(n: number, p: number, random: Random): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(n, 1 - p, random);
  if (n * p < 10) return inversion(n, p, random);
  return btrs(n, p, random);
}

/** Inversion by sequential search from k = 0: about n·p + 1 steps, one exp per draw. */
function inversion(n: number, p: number, random: Random): number {
  const odds = p / (1 - p);
  let mass = Math.exp(n * Math.log1p(-p));
  let u = random.next();
  let k = 0;
  while (u > mass && k < n) {
    u -= mass;
    mass *= ((n - k) / (k + 1)) * odds;
    k += 1;
    // Rounding can leave u above the total mass; restart (rare, and exact in distribution).
    if (mass === 0) {
      mass = Math.exp(n * Math.log1p(-p));
      u = random.next();
      k = 0;
    }
  }
  return k;
}

const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

/** log(k!) − [(k + ½)·log(k + 1) − (k + 1) + ½·log(2π)]: the Stirling series remainder. */
function stirlingTail(k: number): number {
  if (k <= 9) return STIRLING_TAIL[k] as number;
  const kp1 = k + 1;
  const kp1sq = kp1 * kp1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / kp1;
}

function btrs(n: number, p: number, random: Random): number {
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = p / (1 - p);
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  let fixed = Number.NaN; // the mode's part of the acceptance bound, needed only on the slow path
  for (;;) {
    // 32-bit uniforms suffice here: their spacing (2.3e-10) is far below any k's probability mass.
    const u = random.next32() * 2.3283064365386963e-10 - 0.5;
    let v = random.next32() * 2.3283064365386963e-10;
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || k > n) continue;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (Number.isNaN(fixed)) {
      fixed = (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1))) + stirlingTail(m) + stirlingTail(n - m);
    }
    const bound =
      fixed +
      (n + 1) * Math.log((n - m + 1) / (n - k + 1)) +
      (k + 0.5) * Math.log((r * (n - k + 1)) / (k + 1)) -
      stirlingTail(k) -
      stirlingTail(n - k);
    if (v <= bound) return k;
  }
}

/**
 * Draws `total` items from the categories in proportion to `counts` (a multinomial resample of rows
 * that occur `counts[k]` times), by conditional binomials: exact, and O(categories) per draw rather
 * than O(total).
 */
export function sampleMultinomial(
  total: number,
  counts: Float64Array,
  random: Random,
  out: Float64Array = new Float64Array(counts.length),
): Float64Array {
  let remainingMass = 0;
  for (let k = 0; k < counts.length; k++) remainingMass += counts[k] as number;
  let remaining = total;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k] as number;
    if (remaining === 0 || c === 0) {
      out[k] = 0;
    } else if (c >= remainingMass) {
      out[k] = remaining;
      remaining = 0;
    } else {
      const x = sampleBinomial(remaining, c / remainingMass, random);
      out[k] = x;
      remaining -= x;
    }
    remainingMass -= c;
  }
  return out;
}
