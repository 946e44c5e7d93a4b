import type { AnswerStyle } from './answer-style.js';
import { ELO_PER_NAT, toRatings } from './bradley-terry.js';
import { percentileOfSorted } from './percentile.js';
import { createRandom } from './prng.js';

/**
 * Style control for Bradley-Terry ratings after LMArena ("Does style matter?", Aug 2024): a logistic
 * regression on battles with model columns (+1 model_a, −1 model_b) and style columns, the normalised
 * differences (a − b)/(a + b) of length (chars stand in for tokens), headers, list items and bold,
 * each standardised over the battles. Ties, either kind, are half a win. Ratings are
 * 1000 + 400/ln 10 · β (or shifted so `anchor` has its rating). Fitted by Newton's method on the
 * dense (models + 4) system, hand-written because bradley-terry.ts's solver takes no covariates.
 * Simplifications: a tiny ridge (1e-6) keeps the system definite when no prior is given (the shift
 * is then removed by centring/anchoring); the dense solve costs O((models + 4)³) a step, fine for
 * tens of models, slow for hundreds. CI: percentile bootstrap over battles (rows resampled), each
 * round warm-started from the full fit.
 */
export interface StyledBattle {
  readonly modelA: string;
  readonly modelB: string;
  readonly winner: 'model_a' | 'model_b' | 'tie' | 'tie (bothbad)';
  readonly styleA: AnswerStyle;
  readonly styleB: AnswerStyle;
  /** Counts the battle this many times (e.g. 3 for a strong verdict). Default 1. */
  readonly weight?: number;
}

export type StyleFeature = 'length' | 'headers' | 'listItems' | 'bold';

export interface StyleControlled {
  readonly ratings: Map<string, { rating: number; ciLow: number; ciHigh: number }>;
  /** Per standardised feature, in rating points per standard deviation of the normalised difference. */
  readonly coefficients: Record<StyleFeature, number>;
}

export interface StyleControlOptions {
  readonly bootstrapRounds: number;
  readonly seed: number;
  readonly anchor?: { model: string; rating: number };
  /** Gaussian prior on each model's rating (rating points), so a team that won every battle is rated. */
  readonly priorSd?: number;
}

const FEATURES: readonly StyleFeature[] = ['length', 'headers', 'listItems', 'bold'];
const F = FEATURES.length;

function featureOf(style: AnswerStyle, feature: StyleFeature): number {
  return feature === 'length' ? style.chars : style[feature];
}

export function styleControlledRatings(
  battles: readonly StyledBattle[],
  options: StyleControlOptions,
): StyleControlled {
  const models = [...new Set(battles.flatMap((b) => [b.modelA, b.modelB]))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const index = new Map(models.map((m, k) => [m, k]));
  const n = models.length;
  const rows = battles.length;
  const a = new Int32Array(rows);
  const b = new Int32Array(rows);
  const y = new Float64Array(rows);
  const w = new Float64Array(rows);
  const x = new Float64Array(rows * F);
  battles.forEach((battle, r) => {
    a[r] = index.get(battle.modelA) as number;
    b[r] = index.get(battle.modelB) as number;
    y[r] = battle.winner === 'model_a' ? 1 : battle.winner === 'model_b' ? 0 : 0.5;
    w[r] = battle.weight ?? 1;
    FEATURES.forEach((feature, f) => {
      const fa = featureOf(battle.styleA, feature);
      const fb = featureOf(battle.styleB, feature);
      x[r * F + f] = fa + fb === 0 ? 0 : (fa - fb) / (fa + fb);
    });
  });
  // Standardise each style column over the battles; a constant column stays 0.
  for (let f = 0; f < F; f++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += x[r * F + f] as number;
    mean /= Math.max(1, rows);
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += ((x[r * F + f] as number) - mean) ** 2;
    const sd = Math.sqrt(variance / Math.max(1, rows));
    for (let r = 0; r < rows; r++) x[r * F + f] = sd > 1e-12 ? ((x[r * F + f] as number) - mean) / sd : 0;
  }
  const modelPrecision = options.priorSd === undefined ? 1e-6 : (ELO_PER_NAT / options.priorSd) ** 2;
  const problem: Problem = { n, a, b, y, x, modelPrecision };
  const full = fitStyled(problem, w, new Float64Array(n + F));
  const point = toRatings(full.subarray(0, n), models, options.anchor);
  const low = Float64Array.from(point);
  const high = Float64Array.from(point);
  if (options.bootstrapRounds > 0 && rows > 0) {
    const random = createRandom(options.seed);
    const samples = new Float64Array(options.bootstrapRounds * n);
    const resampled = new Float64Array(rows);
    for (let round = 0; round < options.bootstrapRounds; round++) {
      resampled.fill(0);
      for (let k = 0; k < rows; k++) {
        const r = random.nextInt(rows);
        resampled[r] = (resampled[r] as number) + (w[r] as number);
      }
      const beta = fitStyled(problem, resampled, Float64Array.from(full));
      samples.set(toRatings(beta.subarray(0, n), models, options.anchor), round * n);
    }
    const column = new Float64Array(options.bootstrapRounds);
    for (let k = 0; k < n; k++) {
      for (let r = 0; r < options.bootstrapRounds; r++) column[r] = samples[r * n + k] as number;
      column.sort();
      low[k] = Math.min(point[k] as number, percentileOfSorted(column, 2.5));
      high[k] = Math.max(point[k] as number, percentileOfSorted(column, 97.5));
    }
  }
  const ratings = new Map(
    models.map((m, k) => [
      m,
      { rating: point[k] as number, ciLow: low[k] as number, ciHigh: high[k] as number },
    ]),
  );
  const coefficients = Object.fromEntries(
    FEATURES.map((feature, f) => [feature, (full[n + f] as number) * ELO_PER_NAT]),
  ) as Record<StyleFeature, number>;
  return { ratings, coefficients };
}

interface Problem {
  readonly n: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly y: Float64Array;
  readonly x: Float64Array;
  readonly modelPrecision: number;
}

/** Newton's method on the penalised log-likelihood (concave), steps capped at 5 nats. */
function fitStyled(problem: Problem, w: Float64Array, beta: Float64Array): Float64Array {
  const { n, a, b, y, x, modelPrecision } = problem;
  const d = n + F;
  const g = new Float64Array(d);
  const h = new Float64Array(d * d);
  const column = new Int32Array(2 + F);
  const value = new Float64Array(2 + F);
  for (let iteration = 0; iteration < 100; iteration++) {
    g.fill(0);
    h.fill(0);
    for (let k = 0; k < d; k++) {
      const precision = k < n ? modelPrecision : 1e-6;
      g[k] = -precision * (beta[k] as number);
      h[k * d + k] = precision;
    }
    for (let r = 0; r < a.length; r++) {
      const weight = w[r] as number;
      if (weight === 0) continue;
      column[0] = a[r] as number;
      value[0] = 1;
      column[1] = b[r] as number;
      value[1] = -1;
      let logit = (beta[a[r] as number] as number) - (beta[b[r] as number] as number);
      for (let f = 0; f < F; f++) {
        column[2 + f] = n + f;
        value[2 + f] = x[r * F + f] as number;
        logit += (beta[n + f] as number) * (value[2 + f] as number);
      }
      const p = sigmoid(logit);
      const residual = weight * ((y[r] as number) - p);
      const curvature = weight * p * (1 - p);
      for (let i = 0; i < 2 + F; i++) {
        const ci = column[i] as number;
        const vi = value[i] as number;
        g[ci] = (g[ci] as number) + residual * vi;
        for (let j = 0; j < 2 + F; j++) {
          const idx = ci * d + (column[j] as number);
          h[idx] = (h[idx] as number) + curvature * vi * (value[j] as number);
        }
      }
    }
    const step = solveSpd(h, d, g);
    let size = 0;
    for (let k = 0; k < d; k++) size = Math.max(size, Math.abs(step[k] as number));
    const scale = size > 5 ? 5 / size : 1;
    for (let k = 0; k < d; k++) beta[k] = (beta[k] as number) + scale * (step[k] as number);
    if (size < 1e-9) break;
  }
  return beta;
}

/** Solves H·s = g for a symmetric positive definite H by Cholesky (H is overwritten). */
function solveSpd(h: Float64Array, d: number, g: Float64Array): Float64Array {
  for (let j = 0; j < d; j++) {
    let diagonal = h[j * d + j] as number;
    for (let k = 0; k < j; k++) diagonal -= (h[j * d + k] as number) ** 2;
    const root = Math.sqrt(Math.max(diagonal, 1e-300));
    h[j * d + j] = root;
    for (let i = j + 1; i < d; i++) {
      let sum = h[i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (h[i * d + k] as number) * (h[j * d + k] as number);
      h[i * d + j] = sum / root;
    }
  }
  const s = Float64Array.from(g);
  for (let i = 0; i < d; i++) {
    let sum = s[i] as number;
    for (let k = 0; k < i; k++) sum -= (h[i * d + k] as number) * (s[k] as number);
    s[i] = sum / (h[i * d + i] as number);
  }
  for (let i = d - 1; i >= 0; i--) {
    let sum = s[i] as number;
    for (let k = i + 1; k < d; k++) sum -= (h[k * d + i] as number) * (s[k] as number);
    s[i] = sum / (h[i * d + i] as number);
  }
  return s;
}

function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
