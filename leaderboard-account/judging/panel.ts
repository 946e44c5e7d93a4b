import type { JudgeOrder, PanelRule, Verdict } from '../../shared/contracts/judgment.js';

/**
 * The judge panel's combining rule, pure and deterministic.
 *
 * Each judge's pairwise verdict becomes a candidate score on a five-point scale, oriented by the
 * task's order so that position does not matter: candidate much better +2, better +1, tie 0,
 * worse −1, much worse −2. The panel's score is the `median` (default) or the `mean` of the scores
 * of the judges that gave a verdict, rounded to the nearest integer with halves toward 0 (a split
 * panel is a tie, never a win), and mapped back to the label in the task's order. A judge that
 * failed is left out; with none left there is no panel verdict and the task fails as it would with
 * one judge. Rubric scores are combined per criterion by the same rule, unrounded.
 */

const CANDIDATE_FIRST: Record<Verdict, number> = { 'A>>B': 2, 'A>B': 1, 'A=B': 0, 'B>A': -1, 'B>>A': -2 };
const FROM_SCORE_CANDIDATE_FIRST: Verdict[] = ['B>>A', 'B>A', 'A=B', 'A>B', 'A>>B'];

/** The verdict as a candidate score in −2…+2, whichever position the candidate sat in. */
export function candidatePoints(verdict: Verdict, order: Exclude<JudgeOrder, 'single'>): number {
  const points = CANDIDATE_FIRST[verdict];
  return order === 'candidate-first' ? points : -points;
}

/** The label in `order` for a candidate score in −2…+2. */
export function verdictFromPoints(points: number, order: Exclude<JudgeOrder, 'single'>): Verdict {
  if (!Number.isInteger(points) || points < -2 || points > 2)
    throw new RangeError(`candidate points must be an integer in -2..2, got ${points}`);
  const oriented = order === 'candidate-first' ? points : -points;
  return FROM_SCORE_CANDIDATE_FIRST[oriented + 2] as Verdict;
}

/** Nearest integer, halves toward 0: 1.5 → 1, −0.5 → 0, 0.6 → 1. */
export function roundTowardTie(x: number): number {
  const rounded = Math.sign(x) * Math.ceil(Math.abs(x) - 0.5);
  return rounded === 0 ? 0 : rounded; // no −0
}

/** The rule's centre of the values (median: the mean of the two middle ones for an even count). */
export function centre(values: readonly number[], rule: PanelRule): number {
  if (values.length === 0) throw new RangeError('no values to combine');
  if (rule === 'mean') return values.reduce((sum, v) => sum + v, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** The panel's verdict from the verdicts of the judges that gave one; undefined when none did. */
export function combineVerdicts(
  verdicts: readonly Verdict[],
  order: Exclude<JudgeOrder, 'single'>,
  rule: PanelRule,
): Verdict | undefined {
  if (verdicts.length === 0) return undefined;
  const points = verdicts.map((v) => candidatePoints(v, order));
  return verdictFromPoints(roundTowardTie(centre(points, rule)), order);
}

/** The panel's rubric scores: per criterion, the rule's centre over the judges that graded it. */
export function combineScores(
  sheets: readonly Readonly<Record<string, number>>[],
  rule: PanelRule,
): Record<string, number> | undefined {
  if (sheets.length === 0) return undefined;
  const names = [...new Set(sheets.flatMap((s) => Object.keys(s)))].sort();
  const combined: Record<string, number> = {};
  for (const name of names) {
    const values = sheets.flatMap((s) => (s[name] === undefined ? [] : [s[name]]));
    combined[name] = centre(values, rule);
  }
  return combined;
}
