import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate, warningsOf } from './test-helpers.js';

describe('validateTestingData: line endings', () => {
  it('accepts LF line endings', async () => {
    const report = await validate(`${line('a')}\n${line('b')}\n${line('c')}\n`);
    expect(report).toEqual({ valid: true, records: 3, errors: [], errorCount: 0, warnings: [] });
  });

  it('accepts CRLF line endings', async () => {
    const report = await validate(`${line('a')}\r\n${line('b')}\r\n${line('c')}\r\n`);
    expect(report).toEqual({ valid: true, records: 3, errors: [], errorCount: 0, warnings: [] });
  });

  it('accepts a file that mixes LF and CRLF', async () => {
    const report = await validate(`${line('a')}\r\n${line('b')}\n${line('c')}\r\n`);
    expect(report.valid).toBe(true);
    expect(report.records).toBe(3);
  });

  it('accepts a last line without a final newline, with the same verdict as with one', async () => {
    const without = await validate(`${line('a')}\n${line('b')}`);
    const withLf = await validate(`${line('a')}\n${line('b')}\n`);
    const withCrlf = await validate(`${line('a')}\r\n${line('b')}\r\n`);
    expect(without).toEqual({ valid: true, records: 2, errors: [], errorCount: 0, warnings: [] });
    expect(withLf).toEqual(without);
    expect(withCrlf).toEqual(without);
  });

  it('numbers lines from 1 across CRLF endings', async () => {
    const report = await validate(`${line('a')}\r\n${line('b')}\r\nnot json\r\n${line('d')}`);
    expect(errorsOf(report)).toEqual([[3, 'E_JSON']]);
  });

  it('does not treat a lone CR as a line ending', async () => {
    // Two records joined by a bare CR are one line, and not one JSON value.
    const report = await validate(`${line('a')}\r${line('b')}\n${line('c')}\n`);
    expect(errorsOf(report)).toEqual([[1, 'E_JSON']]);
    expect(report.records).toBe(2);
  });

  it('warns about nothing for a file whose only ending is the final newline', async () => {
    const report = await validate(`${line('a')}\r\n`);
    expect(warningsOf(report)).toEqual([]);
  });
});
