import * as z from 'zod';
import { meanWithCi, type QuestionBootstrapOptions } from './question-bootstrap.js';

/** Lowest and highest score a judge may give a criterion. */
export const RUBRIC_MIN_SCORE = 1;
export const RUBRIC_MAX_SCORE = 10;

/**
 * One rubric criterion. Strict, because a misspelt key in a hand-written criteria file (`guidence`)
 * would otherwise be dropped without a word.
 */
export const Criterion = z.strictObject({
  name: z.string().min(1),
  /** Relative weight; weights are normalised to sum to 1, so 4/3/3 means 0.4/0.3/0.3. */
  weight: z.number(),
  /** Extra instructions for the judge on how to grade this criterion. */
  guidance: z.array(z.string()).optional(),
});
export type Criterion = z.infer<typeof Criterion>;

/** A judge-criteria file: the rubric the judge grades every answer on. */
export const JudgeCriteria = z.object({
  criteria: z.array(Criterion).superRefine((criteria, ctx) => {
    for (const { path, message } of criteriaProblems(criteria))
      ctx.addIssue({ code: 'custom', path, message });
  }),
});
export type JudgeCriteria = z.infer<typeof JudgeCriteria>;

interface CriteriaProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** What is wrong with a list of criteria, each problem naming the criterion it is about. */
function criteriaProblems(criteria: readonly Criterion[]): CriteriaProblem[] {
  if (criteria.length === 0) return [{ path: [], message: 'at least one criterion is needed' }];
  const problems: CriteriaProblem[] = [];
  const firstIndex = new Map<string, number>();
  criteria.forEach(({ name, weight }, index) => {
    if (name.length === 0)
      problems.push({ path: [index, 'name'], message: `criterion #${index + 1} has no name` });
    if (!Number.isFinite(weight) || weight <= 0) {
      problems.push({
        path: [index, 'weight'],
        message: `criterion "${name}" needs a finite weight greater than 0, got ${weight}`,
      });
    }
    const earlier = firstIndex.get(name);
    if (earlier === undefined) firstIndex.set(name, index);
    else {
      problems.push({
        path: [index, 'name'],
        message: `criterion "${name}" is listed twice (#${earlier + 1} and #${index + 1})`,
      });
    }
  });
  return problems;
}

/** The criteria with weights scaled to sum to 1, in the same order. */
export function normaliseWeights(criteria: readonly Criterion[]): Criterion[] {
  const problems = criteriaProblems(criteria);
  if (problems.length > 0) throw new RangeError(problems.map((problem) => problem.message).join('; '));
  const total = criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  return criteria.map((criterion) => ({ ...criterion, weight: criterion.weight / total }));
}

/** The judge's grades for one answer: criterion name → score 1–10. */
export interface RubricGrade {
  readonly questionId: string;
  readonly scores: Readonly<Record<string, number>>;
}

export interface RubricScore {
  /** Mean over questions of the weighted per-question score, on the 1–10 scale. */
  readonly score: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly nQuestions: number;
  /** Per-criterion mean over questions. */
  readonly criteria: Record<string, number>;
}

/**
 * The weighted rubric score: per question the weighted mean of its criteria scores, then the mean over
 * questions with a bootstrap CI over questions. Score keys that are not criteria are ignored (a judge
 * may grade more than it is asked to); a missing or out-of-range criterion score is an error, since
 * averaging around it would silently reweight the rubric.
 */
export function rubricScore(
  grades: readonly RubricGrade[],
  criteria: readonly Criterion[],
  options: QuestionBootstrapOptions,
): RubricScore {
  const weighted = normaliseWeights(criteria);
  if (grades.length === 0) throw new RangeError('a rubric score needs at least one graded question');
  // Sorted by question id so that the bootstrap, and so the CI, does not depend on the input order.
  const sorted = [...grades].sort((a, b) => compareCodeUnits(a.questionId, b.questionId));
  const criterionSums = new Float64Array(weighted.length);
  const questionScores = sorted.map((grade, index) => {
    if (index > 0 && sorted[index - 1]?.questionId === grade.questionId) {
      throw new RangeError(`question ${grade.questionId} is graded more than once`);
    }
    let score = 0;
    weighted.forEach((criterion, k) => {
      const value = Object.hasOwn(grade.scores, criterion.name) ? grade.scores[criterion.name] : undefined;
      if (value === undefined) {
        throw new RangeError(`question ${grade.questionId} has no score for criterion "${criterion.name}"`);
      }
      if (!(value >= RUBRIC_MIN_SCORE && value <= RUBRIC_MAX_SCORE)) {
        throw new RangeError(
          `question ${grade.questionId} scores criterion "${criterion.name}" ${value}, ` +
            `outside ${RUBRIC_MIN_SCORE}–${RUBRIC_MAX_SCORE}`,
        );
      }
      score += criterion.weight * value;
      criterionSums[k] = (criterionSums[k] as number) + value;
    });
    return score;
  });

  const { mean, ciLow, ciHigh, n } = meanWithCi(questionScores, options);
  return {
    score: mean,
    ciLow,
    ciHigh,
    nQuestions: n,
    criteria: Object.fromEntries(
      weighted.map((criterion, k) => [criterion.name, (criterionSums[k] as number) / n]),
    ),
  };
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
