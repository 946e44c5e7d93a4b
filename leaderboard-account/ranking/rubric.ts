import { type Criterion, criteriaProblems } from '../../shared/contracts/judge-criteria.js';

export { Criterion, JudgeCriteria } from '../../shared/contracts/judge-criteria.js';

import { meanWithCi, type QuestionBootstrapOptions } from './question-bootstrap.js';

/** Lowest and highest score a judge may give a criterion. */
export const RUBRIC_MIN_SCORE = 1;
export const RUBRIC_MAX_SCORE = 10;

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
