import { describe, expect, it } from 'vitest';
import { checkCoverage, describeCoverage } from './coverage.js';

describe('results coverage of the question set', () => {
  it('accepts results that answer every question exactly once', () => {
    expect(checkCoverage(['q1', 'q2'], ['q2', 'q1']).ok).toBe(true);
  });

  it('lists missing, unexpected and duplicated ids', () => {
    const report = checkCoverage(['q1', 'q2', 'q3'], ['q1', 'q1', 'q4']);
    expect(report).toEqual({ ok: false, missing: ['q2', 'q3'], unexpected: ['q4'], duplicated: ['q1'] });
    expect(describeCoverage(report)).toBe(
      'missing answers for 2 question(s): q2, q3; answers to 1 unknown question id(s): q4; more than one answer for: q1',
    );
  });

  it('shortens a long list and says how many there are', () => {
    const ids = Array.from({ length: 30 }, (_, k) => `q${k}`);
    expect(describeCoverage(checkCoverage(ids, []), 3)).toMatch(/q0, q1, q10, … \(30 in all\)$/);
  });
});
