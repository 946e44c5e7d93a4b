import type { AnswerStyle } from './answer-style.js';
import { ELO_PER_NAT, toRatings } from './bradley-terry.js';
import { percentileOfSorted } from './percentile.js';
import { createRandom } from './prng.js';

/**
 * Style control for Bradley-Terry ratings after LMArena ("Does style matter?", Aug 2024): a logistic
 * regression on battles with model columns (+1 model_a, −1 model_b) and style columns, the normalised
 * differences (a − b)/(a + b) of length (chars stand in for tokens), headers, list items and bold,
 * each standardised over the battles. Ties, either kind, are half a win. Ratings are
 * 1000 + 400/ln 10 · β (or shifted so `anchor` has its rating). Fitted by Newton's method,
 * hand-written because bradley-terry.ts's solver takes no covariates. Simplifications: a tiny ridge
 * (1e-6) keeps the system definite when no prior is given (the shift is then removed by
 * centring/anchoring). CI: percentile bootstrap over battles (rows resampled), each round
 * warm-started from the full fit.
 *
 * Two solvers for the same Newton step. In general the (models + 4) system is solved densely,
 * O((models + 4)³) a step: fine for tens of models, slow for hundreds. On a board every battle is a
 * submission against one reference (a star), so the Hessian is an arrow: the block of the other
 * models is diagonal (each meets only the hub), bordered by the hub and the 4 style columns. That
 * small border is solved through its Schur complement, O(models · 5²) a step. The hub keeps its
 * free β and prior, as in the dense system, rather than being pinned at 0: pinning it would move
 * each model's prior from the common mean to the reference and so change the ratings whenever
 * `priorSd` is given. The step is the dense step, up to rounding.
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
  /**
   * For tests: 'dense' forces the general solver, to check the star-shaped (arrow) solver against.
   * Default 'auto': the arrow solver when one model is in every battle.
   */
  readonly solver?: 'auto' | 'dense';
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
  const hub = options.solver === 'dense' ? undefined : commonModel(a, b);
  const problem: Problem = {
    n,
    a,
    b,
    y,
    x,
    modelPrecision,
    star: hub === undefined ? undefined : star(a, b, hub),
  };
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
  /** Set when one model (the hub) is in every battle: the Newton system is then an arrow. */
  readonly star: Star | undefined;
}

interface Star {
  readonly hub: number;
  /** Per battle, the model facing the hub, or −1 when the hub met itself (no model term). */
  readonly other: Int32Array;
  /** Per battle, +1 when `other` is model_a, −1 when it is model_b. */
  readonly sign: Float64Array;
}

/** The model (index) in every battle, if any; with several (one pair only), the lower index. */
function commonModel(a: Int32Array, b: Int32Array): number | undefined {
  if (a.length === 0) return undefined;
  const candidates = [a[0] as number, b[0] as number].sort((p, q) => p - q);
  return candidates.find((m) => {
    for (let r = 0; r < a.length; r++) if (a[r] !== m && b[r] !== m) return false;
    return true;
  });
}

function star(a: Int32Array, b: Int32Array, hub: number): Star {
  const other = new Int32Array(a.length);
  const sign = new Float64Array(a.length);
  for (let r = 0; r < a.length; r++) {
    const isA = a[r] !== hub;
    other[r] = isA ? (a[r] as number) : b[r] === hub ? -1 : (b[r] as number);
    sign[r] = isA ? 1 : -1;
  }
  return { hub, other, sign };
}

/** Newton's method on the penalised log-likelihood (concave), steps capped at 5 nats. */
function fitStyled(problem: Problem, w: Float64Array, beta: Float64Array): Float64Array {
  if (problem.star) return fitStar(problem, problem.star, w, beta);
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

/**
 * fitStyled for a star: the same gradient, Hessian and capped Newton steps, but each step solved by
 * eliminating the diagonal block of the non-hub models. The border (E = 1 + F unknowns: the hub's
 * β, then the style coefficients) gets the Schur complement S = B − Cᵀ·D⁻¹·C, where D is the
 * diagonal, C the n × E coupling and B the border's own block; then each model's step follows from
 * its own row. Row `hub` of D, C and g is unused (the hub lives in the border).
 */
function fitStar(problem: Problem, star: Star, w: Float64Array, beta: Float64Array): Float64Array {
  const { n, y, x, modelPrecision } = problem;
  const { hub, other, sign } = star;
  const E = 1 + F;
  const g = new Float64Array(n);
  const diagonal = new Float64Array(n);
  const coupling = new Float64Array(n * E);
  const borderG = new Float64Array(E);
  const border = new Float64Array(E * E);
  const step = new Float64Array(n + F);
  for (let iteration = 0; iteration < 100; iteration++) {
    for (let k = 0; k < n; k++) {
      g[k] = -modelPrecision * (beta[k] as number);
      diagonal[k] = modelPrecision;
    }
    coupling.fill(0);
    border.fill(0);
    borderG[0] = -modelPrecision * (beta[hub] as number);
    border[0] = modelPrecision;
    for (let f = 0; f < F; f++) {
      borderG[1 + f] = -1e-6 * (beta[n + f] as number);
      border[(1 + f) * E + 1 + f] = 1e-6;
    }
    const hubBeta = beta[hub] as number;
    for (let r = 0; r < other.length; r++) {
      const weight = w[r] as number;
      if (weight === 0) continue;
      const k = other[r] as number;
      const s = sign[r] as number;
      let logit = k < 0 ? 0 : s * ((beta[k] as number) - hubBeta);
      for (let f = 0; f < F; f++) logit += (beta[n + f] as number) * (x[r * F + f] as number);
      const p = sigmoid(logit);
      const residual = weight * ((y[r] as number) - p);
      const curvature = weight * p * (1 - p);
      // The style block, upper triangle only (mirrored below).
      for (let f = 0; f < F; f++) {
        const xf = x[r * F + f] as number;
        borderG[1 + f] = (borderG[1 + f] as number) + residual * xf;
        for (let e = f; e < F; e++) {
          const idx = (1 + f) * E + 1 + e;
          border[idx] = (border[idx] as number) + curvature * xf * (x[r * F + e] as number);
        }
      }
      if (k < 0) continue;
      // The row's model column is s at k and −s at the hub.
      g[k] = (g[k] as number) + residual * s;
      diagonal[k] = (diagonal[k] as number) + curvature;
      borderG[0] = (borderG[0] as number) - residual * s;
      border[0] = (border[0] as number) + curvature;
      coupling[k * E] = (coupling[k * E] as number) - curvature;
      for (let f = 0; f < F; f++) {
        const term = curvature * s * (x[r * F + f] as number);
        coupling[k * E + 1 + f] = (coupling[k * E + 1 + f] as number) + term;
        border[1 + f] = (border[1 + f] as number) - term;
      }
    }
    for (let i = 0; i < E; i++) for (let j = 0; j < i; j++) border[i * E + j] = border[j * E + i] as number;
    // Schur complement: S = B − Cᵀ·D⁻¹·C and its right-hand side g_B − Cᵀ·D⁻¹·g_D.
    for (let k = 0; k < n; k++) {
      if (k === hub) continue;
      const inverse = 1 / (diagonal[k] as number);
      const gk = (g[k] as number) * inverse;
      for (let i = 0; i < E; i++) {
        const ci = coupling[k * E + i] as number;
        if (ci === 0) continue;
        borderG[i] = (borderG[i] as number) - ci * gk;
        for (let j = 0; j < E; j++) {
          border[i * E + j] = (border[i * E + j] as number) - ci * inverse * (coupling[k * E + j] as number);
        }
      }
    }
    const borderStep = solveSpd(border, E, borderG);
    step[hub] = borderStep[0] as number;
    for (let f = 0; f < F; f++) step[n + f] = borderStep[1 + f] as number;
    for (let k = 0; k < n; k++) {
      if (k === hub) continue;
      let rhs = g[k] as number;
      for (let j = 0; j < E; j++) rhs -= (coupling[k * E + j] as number) * (borderStep[j] as number);
      step[k] = rhs / (diagonal[k] as number);
    }
    let size = 0;
    for (let k = 0; k < n + F; k++) size = Math.max(size, Math.abs(step[k] as number));
    const scale = size > 5 ? 5 / size : 1;
    for (let k = 0; k < n + F; k++) beta[k] = (beta[k] as number) + scale * (step[k] as number);
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
