import { describe, expect, it } from 'vitest';
import { type Criterion, JudgeCriteria, normaliseWeights, type RubricGrade, rubricScore } from './rubric.js';

const criteria: Criterion[] = [
  { name: 'accuracy', weight: 0.4 },
  { name: 'coherence', weight: 0.3 },
  { name: 'relevance', weight: 0.3 },
];

// q1: 0.4·8 + 0.3·6 + 0.3·10 = 8.0;  q2: 0.4·5 + 0.3·9 + 0.3·7 = 6.8;  mean 7.4.
const grades: RubricGrade[] = [
  { questionId: 'q1', scores: { accuracy: 8, coherence: 6, relevance: 10 } },
  { questionId: 'q2', scores: { accuracy: 5, coherence: 9, relevance: 7 } },
];

/** The messages of a failed parse. */
function messages(input: unknown): string[] {
  const result = JudgeCriteria.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('JudgeCriteria', () => {
  it('parses a criteria file with guidance', () => {
    const file = {
      criteria: [
        { name: 'accuracy', weight: 0.4, guidance: ['Check facts against the reference answer.'] },
        { name: 'coherence', weight: 0.3 },
        { name: 'relevance', weight: 0.3 },
      ],
    };
    expect(JudgeCriteria.parse(file)).toEqual(file);
  });

  it('rejects a criterion listed twice, naming it', () => {
    expect(
      messages({
        criteria: [
          { name: 'accuracy', weight: 1 },
          { name: 'accuracy', weight: 2 },
        ],
      }),
    ).toEqual(['criterion "accuracy" is listed twice (#1 and #2)']);
  });

  it('rejects a zero or negative weight, naming the criterion', () => {
    const result = JudgeCriteria.safeParse({
      criteria: [
        { name: 'accuracy', weight: 0 },
        { name: 'coherence', weight: -1 },
        { name: 'relevance', weight: 1 },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['criteria.0.weight', 'criterion "accuracy" needs a finite weight greater than 0, got 0'],
      ['criteria.1.weight', 'criterion "coherence" needs a finite weight greater than 0, got -1'],
    ]);
  });

  it('rejects a file with no criteria', () => {
    expect(messages({ criteria: [] })).toEqual(['at least one criterion is needed']);
  });

  it('rejects a misspelt key rather than dropping it', () => {
    const result = JudgeCriteria.safeParse({ criteria: [{ name: 'accuracy', weight: 1, guidence: ['x'] }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['criteria', 0]);
  });

  it('rejects a weight that is not a number at the criterion path', () => {
    const result = JudgeCriteria.safeParse({ criteria: [{ name: 'accuracy', weight: '0.4' }] });
    expect(result.error?.issues[0]?.path).toEqual(['criteria', 0, 'weight']);
  });
});

describe('normaliseWeights', () => {
  it('scales the weights to sum to 1, keeping their order', () => {
    const normalised = normaliseWeights([
      { name: 'accuracy', weight: 4 },
      { name: 'coherence', weight: 3 },
      { name: 'relevance', weight: 3 },
    ]);
    expect(normalised).toEqual(criteria);
    expect(normalised.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 12);
  });

  it('rejects criteria the schema would reject', () => {
    expect(() => normaliseWeights([])).toThrow(RangeError);
    expect(() => normaliseWeights([{ name: 'accuracy', weight: Number.POSITIVE_INFINITY }])).toThrow(
      /criterion "accuracy" needs a finite weight/,
    );
  });
});

describe('rubricScore', () => {
  it('takes the weighted mean per question, then the mean over questions', () => {
    const result = rubricScore(grades, criteria, { rounds: 0, seed: 1 });
    expect(result.score).toBeCloseTo(7.4, 12);
    expect(result.nQuestions).toBe(2);
    expect(result.criteria).toEqual({ accuracy: 6.5, coherence: 7.5, relevance: 8.5 });
  });

  it('gives the same score for weights 4/3/3 as for 0.4/0.3/0.3', () => {
    const relative = criteria.map((c) => ({ ...c, weight: c.weight * 10 }));
    expect(rubricScore(grades, relative, { rounds: 100, seed: 5 })).toEqual(
      rubricScore(grades, criteria, { rounds: 100, seed: 5 }),
    );
  });

  it('collapses the CI to the score when rounds is 0', () => {
    const { score, ciLow, ciHigh } = rubricScore(grades, criteria, { rounds: 0, seed: 1 });
    expect([ciLow, ciHigh]).toEqual([score, score]);
  });

  it('bootstraps the weighted per-question score: two questions span 6.8 to 8.0', () => {
    const { ciLow, ciHigh } = rubricScore(grades, criteria, { rounds: 1000, seed: 2 });
    expect(ciLow).toBeCloseTo(6.8, 12);
    expect(ciHigh).toBeCloseTo(8, 12);
  });

  it('gives the same CI for the same seed, containing the score, whatever the order of the grades', () => {
    const many: RubricGrade[] = Array.from({ length: 25 }, (_, k) => ({
      questionId: `q${k}`,
      scores: { accuracy: 1 + (k % 10), coherence: 1 + ((k * 3) % 10), relevance: 1 + ((k * 7) % 10) },
    }));
    const first = rubricScore(many, criteria, { rounds: 300, seed: 8 });
    expect(rubricScore([...many].reverse(), criteria, { rounds: 300, seed: 8 })).toEqual(first);
    expect(first.ciLow).toBeLessThan(first.score);
    expect(first.ciHigh).toBeGreaterThan(first.score);
  });

  it('ignores scores for criteria that are not in the rubric', () => {
    const extra = grades.map((g) => ({ ...g, scores: { ...g.scores, style: 1 } }));
    expect(rubricScore(extra, criteria, { rounds: 0, seed: 1 })).toEqual(
      rubricScore(grades, criteria, { rounds: 0, seed: 1 }),
    );
  });

  it('rejects a grade missing a criterion, naming the question and the criterion', () => {
    const missing: RubricGrade[] = [...grades, { questionId: 'q3', scores: { accuracy: 5, relevance: 7 } }];
    expect(() => rubricScore(missing, criteria, { rounds: 0, seed: 1 })).toThrow(
      new RangeError('question q3 has no score for criterion "coherence"'),
    );
  });

  it('rejects a score outside 1–10, naming the question and the criterion', () => {
    for (const bad of [0, 11, Number.NaN]) {
      const grade = { questionId: 'q9', scores: { accuracy: 5, coherence: bad, relevance: 7 } };
      expect(() => rubricScore([grade], criteria, { rounds: 0, seed: 1 })).toThrow(
        /question q9 scores criterion "coherence" .*, outside 1–10/,
      );
    }
  });

  it('rejects a question graded twice', () => {
    expect(() => rubricScore([...grades, ...grades], criteria, { rounds: 0, seed: 1 })).toThrow(
      /question q1 is graded more than once/,
    );
  });

  it('rejects no grades', () => {
    expect(() => rubricScore([], criteria, { rounds: 0, seed: 1 })).toThrow(RangeError);
  });
});
