import { describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../validation/report.js';
import {
  formatInterval,
  formatScore,
  quotaText,
  reportHeadline,
  reportRows,
  runProgressText,
} from './format.js';

const invalid: ValidationReport = {
  valid: false,
  records: 4,
  errors: [
    { line: 2, code: 'E_JSON', message: 'not JSON' },
    { line: null, code: 'E_TOO_MANY_RECORDS', message: 'too many' },
  ],
  errorCount: 2,
  warnings: [{ line: 1, code: 'W_BOM', message: 'byte order mark' }],
};

describe('the workspace formats', () => {
  it('shows a win rate as a percentage and a rubric score out of ten, with their intervals', () => {
    expect(formatScore('win-rate', 0.625)).toBe('62.5%');
    expect(formatInterval('win-rate', 0.5, 0.7)).toBe('50.0–70.0%');
    expect(formatScore('rubric', 7.25)).toBe('7.25 / 10');
    expect(formatInterval('rubric', 6.5, 8)).toBe('6.50–8.00');
    expect(formatScore('win-rate', null)).toBe('—');
    expect(formatInterval('rubric', null, 3)).toBe('—');
  });

  it('lists errors before warnings, each at its line or the whole file', () => {
    expect(reportRows(invalid)).toEqual([
      { where: 'line 2', code: 'E_JSON', message: 'not JSON', severity: 'error' },
      { where: 'whole file', code: 'E_TOO_MANY_RECORDS', message: 'too many', severity: 'error' },
      { where: 'line 1', code: 'W_BOM', message: 'byte order mark', severity: 'warning' },
    ]);
  });

  it('says when only the first errors of a report are listed', () => {
    expect(reportHeadline(invalid)).toBe(
      'Not valid: 2 errors. Fix the lines below and upload the file again.',
    );
    const truncated = { ...invalid, errorCount: 250 };
    expect(reportHeadline(truncated)).toMatch(/^Not valid: 250 errors \(the first 2 are listed\)/);
    expect(reportHeadline({ valid: true, records: 1, errors: [], errorCount: 0, warnings: [] })).toBe(
      'Valid: 1 record, ready for an inference run.',
    );
  });

  it('gives the cap left today, and when the next submission is allowed once it is used up', () => {
    expect(quotaText({ cap: 5, remaining: 4, resetsAt: '2026-11-23T00:00:00.000Z' })).toBe(
      '4 of 5 submissions left today.',
    );
    expect(quotaText({ cap: 5, remaining: 0, resetsAt: '2026-11-23T00:00:00.000Z' })).toBe(
      '0 of 5 submissions left today; the next is allowed at 2026-11-23 00:00 UTC.',
    );
  });

  it('describes a run at each stage, failures included', () => {
    expect(runProgressText({ status: 'running', done: 10, total: 50, failed: 2 })).toBe(
      'Running: 10 of 50 answered, 2 failed.',
    );
    expect(runProgressText({ status: 'completed', done: 50, total: 50, failed: 2 })).toBe(
      'Completed: 48 of 50 answered, 2 failed. Ready to submit.',
    );
    expect(runProgressText({ status: 'failed', done: 0, total: 50, failed: 0, error: 'model missing' })).toBe(
      'Failed: model missing.',
    );
  });
});
