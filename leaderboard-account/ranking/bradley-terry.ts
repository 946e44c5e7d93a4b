import { battlesPerModel, type PairCounts } from './pair-counts.js';

/**
 * Bradley-Terry maximum likelihood, LMArena-compatible: P(a beats b) = 1 / (1 + 10^((R_b − R_a)/400)),
 * a tie is half a win each way. Strengths θ are fitted in natural-log units by Newton's method on the
 * graph Laplacian (the Hessian), with step halving so every step raises the likelihood; ratings are
 * R = centre + θ·400/ln 10. Hand-written rather than a general optimiser because an exact Newton solve
 * on the aggregated pair counts converges in a handful of steps to 1e-10, which is what makes a
 * thousand bootstrap refits cheap.
 */
export const ELO_PER_NAT = 400 / Math.LN10;
export const DEFAULT_CENTRE = 1000;

export interface FitOptions {
  /**
   * Optional Gaussian prior on every strength: θ ~ N(0, (priorSd / ELO_PER_NAT)²), i.e. a standard
   * deviation of `priorSd` rating points around the centre. It makes every model rankable (a model
   * that never lost gets a high but finite rating) at the price of shrinking ratings toward the centre.
   * Without it the fit is the exact maximum-likelihood estimate, which exists only for well-posed data.
   */
  readonly priorSd?: number;
  /** Convergence: max |Δθ| in natural-log units. Default 1e-10. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Warm start (e.g. the full-data fit when refitting a bootstrap sample). */
  readonly initial?: Float64Array;
  /** A Cholesky factor from {@link factorHessian} to reuse for every step (the chord method). */
  readonly fixedFactor?: Float64Array;
}

export interface FitResult {
  /** Strengths in natural-log units; mean 0 when no prior is used. */
  readonly theta: Float64Array;
  readonly iterations: number;
}

export class FitDidNotConverge extends Error {
  override readonly name = 'FitDidNotConverge';
}

/** Fits strengths for every model in `counts`. Without a prior the data must be well-posed (see {@link analyseRankability}). */
export function fitStrengths(counts: PairCounts, options: FitOptions = {}): FitResult {
  const n = counts.models.length;
  if (n <= 1) return { theta: new Float64Array(n), iterations: 0 };
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 200;
  const problem = prepare(counts, options.priorSd);
  const theta = options.initial ? Float64Array.from(options.initial) : new Float64Array(n);
  if (problem.precision === 0) centre(theta);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  const candidate = new Float64Array(n);
  // A fixed factor (the full-data Hessian) turns Newton into the chord method: each step costs a
  // triangular solve instead of a factorisation, and on a bootstrap resample, whose Hessian differs
  // by sampling noise only, it still gains about two digits a step. It falls back to full Newton
  // the moment a step fails to shrink quickly.
  let chord = options.fixedFactor;
  let previousStep = Number.POSITIVE_INFINITY;
  let current = Number.NaN;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const factor = chord ?? hessian;
    accumulate(problem, theta, gradient, chord ? undefined : hessian);
    if (!chord && !choleskyInPlace(hessian, n))
      throw new FitDidNotConverge('the comparison graph is not connected');
    const step = choleskySolve(factor, n, gradient);
    let maxStep = 0;
    for (let k = 0; k < n; k++) maxStep = Math.max(maxStep, Math.abs(step[k] as number));
    if (!Number.isFinite(maxStep)) break;
    if (chord && maxStep > previousStep * 0.7) {
      // Not contracting fast enough: recompute the Hessian from here on. A chord step costs
      // O(pairs + n²) against O(n³) for a factorisation, so even slow contraction pays for many.
      chord = undefined;
    }
    let scale = 1;
    if (maxStep > 1 || maxStep >= previousStep) {
      // Far from the optimum a full Newton step can overshoot: halve it until the likelihood rises.
      if (Number.isNaN(current)) current = objective(problem, theta);
      for (let halvings = 0; halvings < 60; halvings++) {
        for (let k = 0; k < n; k++) candidate[k] = (theta[k] as number) + scale * (step[k] as number);
        const next = objective(problem, candidate);
        // Near the optimum rounding noise exceeds the change in likelihood; accept those steps.
        if (next >= current - 1e-12 * (1 + Math.abs(current))) {
          current = next;
          break;
        }
        scale /= 2;
      }
    } else {
      current = Number.NaN;
    }
    for (let k = 0; k < n; k++) theta[k] = (theta[k] as number) + scale * (step[k] as number);
    if (problem.precision === 0) centre(theta);
    previousStep = maxStep * scale;
    // Converged when the full Newton step, the distance to the optimum, is below the tolerance
    // (a step shortened by the line search says nothing about that distance).
    if (maxStep < tolerance) return { theta, iterations: iteration };
  }
  throw new FitDidNotConverge(`Bradley-Terry fit did not converge in ${maxIterations} Newton steps`);
}

/**
 * The Cholesky factor of the negative Hessian at `theta` (plus J/n without a prior), for
 * {@link FitOptions.fixedFactor}.
 */
export function factorHessian(counts: PairCounts, theta: Float64Array, priorSd?: number): Float64Array {
  const n = counts.models.length;
  const hessian = new Float64Array(n * n);
  accumulate(prepare(counts, priorSd), theta, new Float64Array(n), hessian);
  if (!choleskyInPlace(hessian, n)) throw new FitDidNotConverge('the comparison graph is not connected');
  return hessian;
}

interface Problem {
  readonly n: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  /** Wins of i plus half the ties, per pair. */
  readonly scoreI: Float64Array;
  readonly total: Float64Array;
  readonly precision: number;
}

function prepare(counts: PairCounts, priorSd: number | undefined): Problem {
  const pairs = counts.i.length;
  const scoreI = new Float64Array(pairs);
  const total = new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const ties = counts.ties[p] as number;
    scoreI[p] = (counts.winsI[p] as number) + ties / 2;
    total[p] = (counts.winsI[p] as number) + (counts.winsJ[p] as number) + ties;
  }
  const precision = priorSd === undefined ? 0 : (ELO_PER_NAT / priorSd) ** 2;
  return { n: counts.models.length, i: counts.i, j: counts.j, scoreI, total, precision };
}

function objective(problem: Problem, theta: Float64Array): number {
  const { i, j, scoreI, total, precision } = problem;
  let ll = 0;
  for (let p = 0; p < i.length; p++) {
    const d = (theta[i[p] as number] as number) - (theta[j[p] as number] as number);
    const a = scoreI[p] as number;
    ll += a * logSigmoid(d) + ((total[p] as number) - a) * logSigmoid(-d);
  }
  if (precision > 0) for (const t of theta) ll -= (precision * t * t) / 2;
  return ll;
}

/**
 * Gradient of the log-likelihood and, when asked, the negative Hessian: the weighted graph
 * Laplacian. Without a prior the Laplacian is singular along the all-ones vector; adding J/n makes it
 * positive definite and keeps the step centred (the gradient sums to zero).
 */
function accumulate(
  problem: Problem,
  theta: Float64Array,
  gradient: Float64Array,
  hessian?: Float64Array,
): void {
  const { n, i: is, j: js, scoreI, total, precision } = problem;
  for (let k = 0; k < n; k++) gradient[k] = -precision * (theta[k] as number);
  if (hessian) {
    hessian.fill(precision === 0 ? 1 / n : 0);
    for (let k = 0; k < n; k++) hessian[k * n + k] = (hessian[k * n + k] as number) + precision;
  }
  for (let p = 0; p < is.length; p++) {
    const i = is[p] as number;
    const j = js[p] as number;
    const prob = sigmoid((theta[i] as number) - (theta[j] as number));
    const residual = (scoreI[p] as number) - (total[p] as number) * prob;
    gradient[i] = (gradient[i] as number) + residual;
    gradient[j] = (gradient[j] as number) - residual;
    if (!hessian) continue;
    const w = (total[p] as number) * prob * (1 - prob);
    hessian[i * n + i] = (hessian[i * n + i] as number) + w;
    hessian[j * n + j] = (hessian[j * n + j] as number) + w;
    hessian[i * n + j] = (hessian[i * n + j] as number) - w;
    hessian[j * n + i] = (hessian[j * n + i] as number) - w;
  }
}

export type UnrankableReason = 'never-won' | 'never-lost' | 'disconnected' | 'one-sided' | 'too-few-battles';

export const UNRANKABLE_REASONS: Record<UnrankableReason, string> = {
  'never-won': 'never won or tied a battle, so its maximum-likelihood rating is −∞',
  'never-lost': 'never lost or tied a battle, so its maximum-likelihood rating is +∞',
  disconnected: 'no chain of battles connects it to the ranked models, so the ratings are not comparable',
  'one-sided': 'it only wins, or only loses, against the ranked group, so its rating is unbounded',
  'too-few-battles': 'fewer battles than the minimum required',
};

export interface Rankability {
  /** Indices of the models that can be rated together. */
  readonly rankable: number[];
  readonly unrankable: { index: number; reason: UnrankableReason }[];
}

/**
 * Decides which models have a finite maximum-likelihood rating. The MLE exists exactly when the
 * "won at least half a battle against" graph is strongly connected (Zermelo, Ford 1957). The largest
 * strongly connected component is rated; every other model is reported with the reason.
 * With a prior every model with enough battles is rankable.
 */
export function analyseRankability(
  counts: PairCounts,
  options: { minBattles?: number; priorSd?: number } = {},
): Rankability {
  const n = counts.models.length;
  const battles = battlesPerModel(counts);
  const minBattles = options.minBattles ?? 0;
  const unrankable: { index: number; reason: UnrankableReason }[] = [];
  const eligible: number[] = [];
  for (let k = 0; k < n; k++) {
    if ((battles[k] as number) < minBattles || battles[k] === 0)
      unrankable.push({ index: k, reason: 'too-few-battles' });
    else eligible.push(k);
  }
  if (options.priorSd !== undefined) return { rankable: eligible, unrankable };

  const isEligible = new Uint8Array(n);
  for (const k of eligible) isEligible[k] = 1;
  const wins = new Float64Array(n);
  const losses = new Float64Array(n);
  for (let p = 0; p < counts.i.length; p++) {
    const i = counts.i[p] as number;
    const j = counts.j[p] as number;
    if (!isEligible[i] || !isEligible[j]) continue;
    const t = (counts.ties[p] as number) / 2;
    wins[i] = (wins[i] as number) + (counts.winsI[p] as number) + t;
    losses[i] = (losses[i] as number) + (counts.winsJ[p] as number) + t;
    wins[j] = (wins[j] as number) + (counts.winsJ[p] as number) + t;
    losses[j] = (losses[j] as number) + (counts.winsI[p] as number) + t;
  }
  const components = stronglyConnectedComponents(counts, isEligible);
  const weak = weaklyConnectedComponents(counts, isEligible);
  // The rated group: the strongly connected component with the most models, then the most battles.
  let best = -1;
  let bestSize = 0;
  let bestBattles = -1;
  const sizes = new Map<number, { size: number; battles: number }>();
  for (const k of eligible) {
    const c = components[k] as number;
    const entry = sizes.get(c) ?? { size: 0, battles: 0 };
    entry.size += 1;
    entry.battles += battles[k] as number;
    sizes.set(c, entry);
  }
  for (const k of eligible) {
    const c = components[k] as number;
    const entry = sizes.get(c) as { size: number; battles: number };
    if (entry.size > bestSize || (entry.size === bestSize && entry.battles > bestBattles)) {
      best = c;
      bestSize = entry.size;
      bestBattles = entry.battles;
    }
  }
  const rankable: number[] = [];
  const anchorMember = eligible.find((k) => components[k] === best);
  for (const k of eligible) {
    if (components[k] === best && bestSize >= 2) rankable.push(k);
    else if ((wins[k] as number) + (losses[k] as number) === 0)
      unrankable.push({ index: k, reason: 'disconnected' });
    else if (wins[k] === 0) unrankable.push({ index: k, reason: 'never-won' });
    else if (losses[k] === 0) unrankable.push({ index: k, reason: 'never-lost' });
    else if (anchorMember === undefined || weak[k] !== weak[anchorMember])
      unrankable.push({ index: k, reason: 'disconnected' });
    else unrankable.push({ index: k, reason: 'one-sided' });
  }
  unrankable.sort((a, b) => a.index - b.index);
  return { rankable, unrankable };
}

/** True when every model in `counts` has a finite MLE: the win graph is strongly connected. */
export function isWellPosed(counts: PairCounts): boolean {
  const n = counts.models.length;
  if (n <= 1) return true;
  const all = new Uint8Array(n).fill(1);
  const components = stronglyConnectedComponents(counts, all);
  for (let k = 1; k < n; k++) if (components[k] !== components[0]) return false;
  return true;
}

/** Ratings on the Elo scale: mean `centre`, or shifted so that `anchor` has its given rating. */
export function toRatings(
  theta: Float64Array,
  models: readonly string[],
  anchor?: { model: string; rating: number },
): Float64Array {
  const out = new Float64Array(theta.length);
  let offset: number;
  if (anchor) {
    const k = models.indexOf(anchor.model);
    if (k < 0) throw new RangeError(`anchor model ${anchor.model} is not among the rated models`);
    offset = anchor.rating - (theta[k] as number) * ELO_PER_NAT;
  } else {
    let mean = 0;
    for (const t of theta) mean += t;
    offset = DEFAULT_CENTRE - (mean / Math.max(1, theta.length)) * ELO_PER_NAT;
  }
  for (let k = 0; k < theta.length; k++) out[k] = offset + (theta[k] as number) * ELO_PER_NAT;
  // Exactly the anchor's rating, not the rating give or take a rounding error.
  if (anchor) out[models.indexOf(anchor.model)] = anchor.rating;
  return out;
}

function centre(theta: Float64Array): void {
  let mean = 0;
  for (const t of theta) mean += t;
  mean /= theta.length;
  for (let k = 0; k < theta.length; k++) theta[k] = (theta[k] as number) - mean;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** Cholesky factorisation A = L·Lᵀ in place (lower triangle); false if A is not positive definite. */
/**
 * Each factor's envelope: per row, the column of its first non-zero. Cholesky fills nothing to the
 * left of it, so factorisation and solves skip those zeros: O(Σ width²) and O(Σ width) instead of
 * O(n³) and O(n²). Kept beside the factor (a chord step reuses one factor for many solves).
 */
const envelopes = new WeakMap<Float64Array, Int32Array>();

function envelopeOf(a: Float64Array, n: number): Int32Array {
  const first = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let k = 0;
    while (k < i && a[row + k] === 0) k++;
    first[i] = k;
  }
  return first;
}

function choleskyInPlace(a: Float64Array, n: number): boolean {
  const first = envelopeOf(a, n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const startJ = first[j] as number;
    let diagonal = a[rowJ + j] as number;
    for (let k = startJ; k < j; k++) diagonal -= (a[rowJ + k] as number) ** 2;
    if (!(diagonal > 0)) return false;
    const root = Math.sqrt(diagonal);
    a[rowJ + j] = root;
    for (let i = j + 1; i < n; i++) {
      const startI = first[i] as number;
      if (startI > j) continue; // outside row i's envelope: stays zero
      const rowI = i * n;
      let sum = a[rowI + j] as number;
      for (let k = Math.max(startI, startJ); k < j; k++)
        sum -= (a[rowI + k] as number) * (a[rowJ + k] as number);
      a[rowI + j] = sum / root;
    }
  }
  envelopes.set(a, first);
  return true;
}

function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const first = envelopes.get(l) ?? envelopeOf(l, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let sum = b[i] as number;
    for (let k = first[i] as number; k < i; k++) sum -= (l[row + k] as number) * (y[k] as number);
    y[i] = sum / (l[row + i] as number);
  }
  // Lᵀx = y by columns of Lᵀ (rows of L), so the envelope bounds this half too.
  const x = y;
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const xi = (x[i] as number) / (l[row + i] as number);
    x[i] = xi;
    for (let k = first[i] as number; k < i; k++) x[k] = (x[k] as number) - (l[row + k] as number) * xi;
  }
  return x;
}

/** Tarjan's algorithm, iterative. Edge i→j when i won at least half a battle (a tie) against j. */
function stronglyConnectedComponents(counts: PairCounts, include: Uint8Array): Int32Array {
  const n = counts.models.length;
  const adjacency = buildAdjacency(counts, include, true);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (!include[root] || (index[root] as number) >= 0) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; edge: number };
      const edges = adjacency[frame.node] as number[];
      if (frame.edge < edges.length) {
        const next = edges[frame.edge++] as number;
        if ((index[next] as number) < 0) {
          index[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = 1;
          work.push({ node: next, edge: 0 });
        } else if (onStack[next]) {
          low[frame.node] = Math.min(low[frame.node] as number, index[next] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number);
      if (low[frame.node] === index[frame.node]) {
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          component[member] = components;
        } while (member !== frame.node);
        components += 1;
      }
    }
  }
  return component;
}

function weaklyConnectedComponents(counts: PairCounts, include: Uint8Array): Int32Array {
  const n = counts.models.length;
  const adjacency = buildAdjacency(counts, include, false);
  const component = new Int32Array(n).fill(-1);
  let label = 0;
  for (let root = 0; root < n; root++) {
    if (!include[root] || (component[root] as number) >= 0) continue;
    const queue = [root];
    component[root] = label;
    while (queue.length > 0) {
      const node = queue.pop() as number;
      for (const next of adjacency[node] as number[]) {
        if ((component[next] as number) < 0) {
          component[next] = label;
          queue.push(next);
        }
      }
    }
    label += 1;
  }
  return component;
}

function buildAdjacency(counts: PairCounts, include: Uint8Array, directed: boolean): number[][] {
  const adjacency: number[][] = Array.from({ length: counts.models.length }, () => []);
  for (let p = 0; p < counts.i.length; p++) {
    const i = counts.i[p] as number;
    const j = counts.j[p] as number;
    if (!include[i] || !include[j]) continue;
    const ties = counts.ties[p] as number;
    const iScored = (counts.winsI[p] as number) + ties > 0;
    const jScored = (counts.winsJ[p] as number) + ties > 0;
    if (!directed) {
      if (iScored || jScored) {
        (adjacency[i] as number[]).push(j);
        (adjacency[j] as number[]).push(i);
      }
      continue;
    }
    if (iScored) (adjacency[i] as number[]).push(j);
    if (jScored) (adjacency[j] as number[]).push(i);
  }
  return adjacency;
}
