import { describe, expect, it } from 'vitest';
import {
  candidatePoints,
  combineScores,
  combineVerdicts,
  roundTowardTie,
  verdictFromPoints,
} from './panel.js';

describe('the judge panel combining rule', () => {
  it('orients each verdict to the candidate by the order, and back', () => {
    expect(candidatePoints('A>>B', 'candidate-first')).toBe(2);
    expect(candidatePoints('A>>B', 'reference-first')).toBe(-2);
    expect(candidatePoints('B>A', 'reference-first')).toBe(1);
    for (const order of ['candidate-first', 'reference-first'] as const)
      for (const v of ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'] as const)
        expect(verdictFromPoints(candidatePoints(v, order), order)).toBe(v);
  });

  it('rounds halves toward a tie', () => {
    expect([1.5, -1.5, 0.5, -0.5, 0.6, 2].map(roundTowardTie)).toEqual([1, -1, 0, 0, 1, 2]);
  });

  it('makes a split two-judge panel a tie, and one strong and one weak win a weak win', () => {
    expect(combineVerdicts(['A>B', 'B>A'], 'candidate-first', 'median')).toBe('A=B');
    expect(combineVerdicts(['A>>B', 'A>B'], 'candidate-first', 'median')).toBe('A>B');
    // Reference in A: the candidate's strong win is B>>A.
    expect(combineVerdicts(['B>>A', 'B>A'], 'reference-first', 'mean')).toBe('B>A');
  });

  it('takes the middle judge of three under the median and the rounded average under the mean', () => {
    expect(combineVerdicts(['A>>B', 'A>>B', 'B>>A'], 'candidate-first', 'median')).toBe('A>>B');
    expect(combineVerdicts(['A>>B', 'A>>B', 'B>>A'], 'candidate-first', 'mean')).toBe('A>B');
  });

  it('leaves failed judges out: one verdict is the verdict, none is no verdict', () => {
    expect(combineVerdicts(['B>A'], 'reference-first', 'median')).toBe('B>A');
    expect(combineVerdicts([], 'candidate-first', 'median')).toBeUndefined();
  });

  it('combines rubric scores per criterion', () => {
    expect(
      combineScores(
        [
          { accuracy: 8, coherence: 6 },
          { accuracy: 5, coherence: 7 },
        ],
        'mean',
      ),
    ).toEqual({ accuracy: 6.5, coherence: 6.5 });
    expect(combineScores([{ accuracy: 2 }, { accuracy: 9 }, { accuracy: 7 }], 'median')).toEqual({
      accuracy: 7,
    });
    expect(combineScores([], 'mean')).toBeUndefined();
  });
});
