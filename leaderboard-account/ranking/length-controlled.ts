import { percentileOfSorted } from './percentile.js';
import { createRandom } from './prng.js';

/**
 * Length-controlled win rate after AlpacaEval 2 (Dubois et al. 2024, alpaca_eval/metrics/glm_winrate.py):
 * a logistic GLM of the judge's preference on a per-team intercept θ_m and a length term
 * φ·tanh(Δlen/σ), Δlen = candidate chars − reference chars, σ the std of Δlen over every game of
 * every team; ties are 0.5 in the likelihood. The LC win rate is the prediction with the length term
 * at 0: sigmoid(θ), as if the answer were as long as the reference's.
 *
 * Simplifications, stated: (1) AlpacaEval also fits an instruction-difficulty term ψ_m·γ_q with γ_q
 * fitted jointly over many models; this version has no difficulty term yet (as AlpacaEval's
 * single-model fallback would have to), so LC = sigmoid(θ) rather than a mean over questions.
 * (2) AlpacaEval uses L1 with a cross-validated C and "gamed baseline" pseudo-data; here a fixed L2
 * penalty (`ridge`, default 0.1, i.e. a N(0, ~3²) prior in logits) keeps all-win/all-loss teams finite.
 * (3) φ is shared by all teams (AlpacaEval fits φ_m per model): a per-team φ is not identified
 * when a team's length differences barely vary (a uniformly padded model), and then the
 * extrapolation to Δlen = 0 lets padding through. With one team φ is that team's own.
 * CI: percentile bootstrap over questions; each round refits the team's θ with φ held at the
 * full-data estimate (a simplification that keeps 500 teams × 200 rounds fast).
 */
export interface LengthGame {
  readonly questionId: string;
  /** The candidate's result: 1 win, 0.5 tie, 0 loss (strong verdicts are still 1/0). */
  readonly outcome: number;
  readonly candidateChars: number;
  readonly referenceChars: number;
  /**
   * An outcome the league's flag policy set, not the judge (count-as-loss): it counts in the team's
   * win rate but says nothing about the judge's length bias, so it is left out of fitting φ.
   */
  readonly forced?: boolean;
}

export interface LengthControlled {
  readonly winRate: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** φ: the fitted effect of tanh(Δlen/σ) on the logit of a win. */
  readonly lengthCoefficient: number;
  readonly nQuestions: number;
  /** The raw win rate (mean over questions of the mean outcome), for display beside it. */
  readonly rawWinRate: number;
}

export interface LengthControlOptions {
  readonly rounds: number;
  readonly seed: number;
  /** L2 penalty on θ and φ (default 0.1). */
  readonly ridge?: number;
}

interface QuestionRow {
  readonly x: number;
  readonly score: number;
  readonly games: number;
}

export function lengthControlledWinRates(
  teams: ReadonlyMap<string, readonly LengthGame[]>,
  options: LengthControlOptions,
): Map<string, LengthControlled> {
  const ridge = options.ridge ?? 0.1;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (const games of teams.values()) {
    for (const g of games) {
      if (!(g.outcome >= 0 && g.outcome <= 1))
        throw new RangeError(`outcome must be in [0, 1], got ${g.outcome}`);
      if (g.forced) continue; // σ, like φ, describes the judged games
      const d = g.candidateChars - g.referenceChars;
      n += 1;
      sum += d;
      sumSq += d * d;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) : 0;
  const out = new Map<string, LengthControlled>();
  const prepared: { team: string; rows: QuestionRow[] }[] = [];
  const judged: { rows: QuestionRow[] }[] = [];
  const rowsOf = (games: readonly LengthGame[]): QuestionRow[] => {
    const byQuestion = new Map<string, { x: number; score: number; games: number }>();
    for (const g of games) {
      // Zero length variance: the length term is 0 everywhere and LC is the (regularised) raw rate.
      const x = sd > 0 ? Math.tanh((g.candidateChars - g.referenceChars) / sd) : 0;
      const row = byQuestion.get(g.questionId) ?? { x: 0, score: 0, games: 0 };
      row.x += x;
      row.score += g.outcome;
      row.games += 1;
      byQuestion.set(g.questionId, row);
    }
    const rows: QuestionRow[] = [...byQuestion.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => ({ x: r.x / r.games, score: r.score, games: r.games }));
    return rows;
  };
  for (const [team, games] of teams) {
    if (games.length === 0) continue;
    prepared.push({ team, rows: rowsOf(games) });
    const unforced = games.filter((g) => !g.forced);
    if (unforced.length > 0) judged.push({ rows: rowsOf(unforced) });
  }
  const phi = fitSharedLength(judged, ridge);
  for (const { team, rows } of prepared) {
    const weights = new Float64Array(rows.length).fill(1);
    const theta = fitIntercept(rows, weights, ridge, phi, 0);
    const raw = rows.reduce((s, r) => s + r.score / r.games, 0) / rows.length;
    const point = sigmoid(theta);
    let ciLow = point;
    let ciHigh = point;
    if (options.rounds > 0) {
      const random = createRandom(options.seed);
      const samples = new Float64Array(options.rounds);
      for (let round = 0; round < options.rounds; round++) {
        weights.fill(0);
        for (let k = 0; k < rows.length; k++) {
          const q = random.nextInt(rows.length);
          weights[q] = (weights[q] as number) + 1;
        }
        samples[round] = sigmoid(fitIntercept(rows, weights, ridge, phi, theta));
      }
      samples.sort();
      ciLow = Math.min(point, percentileOfSorted(samples, 2.5));
      ciHigh = Math.max(point, percentileOfSorted(samples, 97.5));
    }
    out.set(team, {
      winRate: point,
      ciLow,
      ciHigh,
      lengthCoefficient: phi,
      nQuestions: rows.length,
      rawWinRate: raw,
    });
  }
  return out;
}

/**
 * Joint penalised fit of θ_m per team and one shared φ by Newton: the θ's are eliminated by their
 * (diagonal) block, leaving a scalar Schur complement for φ.
 */
function fitSharedLength(teams: readonly { rows: readonly QuestionRow[] }[], ridge: number): number {
  const theta = new Float64Array(teams.length);
  let phi = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let gPhi = -ridge * phi;
    let hPhi = ridge;
    let schurG = 0;
    let schurH = 0;
    const gm = new Float64Array(teams.length);
    const hm = new Float64Array(teams.length);
    const hx = new Float64Array(teams.length);
    teams.forEach(({ rows }, m) => {
      const t = theta[m] as number;
      let g = -ridge * t;
      let h = ridge;
      let c = 0;
      for (const row of rows) {
        const p = sigmoid(t + phi * row.x);
        const r = row.score - row.games * p;
        const v = row.games * p * (1 - p);
        g += r;
        h += v;
        c += v * row.x;
        gPhi += r * row.x;
        hPhi += v * row.x * row.x;
      }
      gm[m] = g;
      hm[m] = h;
      hx[m] = c;
      schurG += (c * g) / h;
      schurH += (c * c) / h;
    });
    let dPhi = (gPhi - schurG) / (hPhi - schurH);
    let size = Math.abs(dPhi);
    const dTheta = new Float64Array(teams.length);
    for (let m = 0; m < teams.length; m++) {
      dTheta[m] = ((gm[m] as number) - (hx[m] as number) * dPhi) / (hm[m] as number);
      size = Math.max(size, Math.abs(dTheta[m] as number));
    }
    // Concave objective; far steps are capped so a logit cannot jump past overflow.
    const scale = size > 5 ? 5 / size : 1;
    dPhi *= scale;
    phi += dPhi;
    for (let m = 0; m < teams.length; m++) theta[m] = (theta[m] as number) + scale * (dTheta[m] as number);
    if (size < 1e-10) break;
  }
  return phi;
}

/** The team's intercept with φ held fixed: one-dimensional Newton. */
function fitIntercept(
  rows: readonly QuestionRow[],
  weights: Float64Array,
  ridge: number,
  phi: number,
  theta0: number,
): number {
  let theta = theta0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let g = -ridge * theta;
    let h = ridge;
    for (let k = 0; k < rows.length; k++) {
      const w = weights[k] as number;
      if (w === 0) continue;
      const row = rows[k] as QuestionRow;
      const p = sigmoid(theta + phi * row.x);
      g += w * (row.score - row.games * p);
      h += w * row.games * p * (1 - p);
    }
    const step = Math.max(-5, Math.min(5, g / h));
    theta += step;
    if (Math.abs(step) < 1e-10) break;
  }
  return theta;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
