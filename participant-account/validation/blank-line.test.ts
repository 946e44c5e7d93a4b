import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate, warningsOf } from './test-helpers.js';

describe('validateTestingData: blank lines', () => {
  it('rejects an empty line between records', async () => {
    const report = await validate(`${line('a')}\n\n${line('b')}\n`);
    expect(report.errors).toEqual([{ line: 2, code: 'E_BLANK_LINE', message: 'blank line between records' }]);
    expect(report.records).toBe(2);
  });

  it('rejects whitespace-only lines between records, CRLF included', async () => {
    const report = await validate(`${line('a')}\r\n \t \r\n\r\n${line('b')}\r\n`);
    expect(errorsOf(report)).toEqual([
      [2, 'E_BLANK_LINE'],
      [3, 'E_BLANK_LINE'],
    ]);
  });

  it('rejects blank lines before the first record', async () => {
    const report = await validate(`\n  \n${line('a')}\n`);
    expect(errorsOf(report)).toEqual([
      [1, 'E_BLANK_LINE'],
      [2, 'E_BLANK_LINE'],
    ]);
  });

  it('reports each blank line of a run, in line order with the other errors', async () => {
    const report = await validate(`${line('a')}\n\n\n\nnope\n${line('a')}\n`);
    expect(errorsOf(report)).toEqual([
      [2, 'E_BLANK_LINE'],
      [3, 'E_BLANK_LINE'],
      [4, 'E_BLANK_LINE'],
      [5, 'E_JSON'],
      [6, 'E_DUPLICATE_ID'],
    ]);
  });

  it('takes one final newline as the end of the last line, with no warning', async () => {
    const report = await validate(`${line('a')}\n`);
    expect(report).toEqual({ valid: true, records: 1, errors: [], errorCount: 0, warnings: [] });
  });

  it('accepts one empty line after the final newline, with a warning', async () => {
    const report = await validate(`${line('a')}\n${line('b')}\n\n`);
    expect(report.valid).toBe(true);
    expect(report.warnings).toEqual([
      { line: 3, code: 'W_TRAILING_BLANK_LINES', message: 'blank line 3 at the end of the file was ignored' },
    ]);
  });

  it('accepts several trailing blank lines with one warning naming them', async () => {
    const report = await validate(`${line('a')}\r\n\r\n  \r\n\t\r\n`);
    expect(report.valid).toBe(true);
    expect(report.warnings).toEqual([
      {
        line: 2,
        code: 'W_TRAILING_BLANK_LINES',
        message: '3 blank lines at the end of the file (lines 2–4) were ignored',
      },
    ]);
  });

  it('counts whitespace after the final newline as a trailing blank line', async () => {
    const report = await validate(`${line('a')}\n   `);
    expect(report.valid).toBe(true);
    expect(warningsOf(report)).toEqual([[2, 'W_TRAILING_BLANK_LINES']]);
  });

  it('tells blank lines between records from trailing ones in the same file', async () => {
    const report = await validate(`${line('a')}\n\n${line('b')}\n\n\n`);
    expect(errorsOf(report)).toEqual([[2, 'E_BLANK_LINE']]);
    expect(warningsOf(report)).toEqual([[4, 'W_TRAILING_BLANK_LINES']]);
  });
});
