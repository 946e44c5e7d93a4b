import { describe, expect, it } from 'vitest';
import type { Judgment, Verdict } from '../../shared/contracts/judgment.js';
import { summarisePanel } from './panel-summary.js';

function judgment(
  questionId: string,
  order: 'candidate-first' | 'reference-first',
  a: Verdict,
  b?: Verdict,
): Judgment {
  const entry = (judge: string, verdict?: Verdict) => ({
    judge,
    judgeModel: `model-${judge}`,
    ...(verdict ? { verdict } : { error: 'judge call failed after 8 attempt(s): ThrottlingException: slow' }),
    rationale: '',
    inputTokens: 1,
    outputTokens: 1,
    attempts: 1,
  });
  return {
    submissionId: 's1',
    questionId,
    mode: 'pairwise-reference',
    order,
    verdict: a,
    rationale: '',
    judgeModel: 'panel',
    promptVersion: 'pairwise-reference/v1',
    inputTokens: 2,
    outputTokens: 2,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    attempts: 2,
    flags: [],
    panel: [entry('one', a), entry('two', b)],
    panelRule: 'median',
  };
}

describe('the panel summary', () => {
  it("reports each judge's swap consistency and the pair's kappa over the tasks both judged", () => {
    const judgments = [
      // q1: both judges say the candidate wins in both orders.
      judgment('q1', 'candidate-first', 'A>B', 'A>>B'),
      judgment('q1', 'reference-first', 'B>A', 'B>A'),
      // q2: judge one prefers the candidate in both orders; judge two prefers position A (swap-inconsistent).
      judgment('q2', 'candidate-first', 'A>B', 'A>B'),
      judgment('q2', 'reference-first', 'B>A', 'A>B'),
      // q3: both say loss; judge two fails the swapped order.
      judgment('q3', 'candidate-first', 'B>A', 'B>A'),
      judgment('q3', 'reference-first', 'A>B'),
    ];
    const summary = summarisePanel(judgments, 'median');
    expect(summary?.judges).toEqual([
      { judge: 'one', judgeModel: 'model-one', judgments: 6, failed: 0, swapConsistency: 1 },
      { judge: 'two', judgeModel: 'model-two', judgments: 6, failed: 1, swapConsistency: 0.5 },
    ]);
    const pair = summary?.agreement[0];
    expect(pair).toMatchObject({ a: 'one', b: 'two', n: 5, observed: 0.8 });
    // Outcomes one: win win win win loss; two: win win win loss loss → pₑ = (0.8·0.6 + 0.2·0.4) = 0.56.
    expect(pair?.kappa).toBeCloseTo((0.8 - 0.56) / (1 - 0.56), 12);
  });

  it('is absent for judgments of a single judge', () => {
    const single = judgment('q1', 'candidate-first', 'A>B', 'A>B');
    delete single.panel;
    expect(summarisePanel([single], 'median')).toBeUndefined();
  });
});
