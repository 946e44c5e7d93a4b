import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS, ValidationReport } from './report.js';
import { line, validate, validRecords } from './test-helpers.js';
import { validateTestingData } from './validate-testing-data.js';

describe('validateTestingData: the report', () => {
  it('keeps the first 100 errors and counts them all', async () => {
    const input = `${Array.from({ length: 150 }, (_, k) => `bad ${k}`).join('\n')}\n`;
    const report = await validate(input, {}, [7, 1000]);
    expect(MAX_REPORTED_ERRORS).toBe(100);
    expect(report.valid).toBe(false);
    expect(report.errorCount).toBe(150);
    expect(report.errors).toHaveLength(100);
    expect(report.errors.map((error) => error.line)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(report.records).toBe(150);
  });

  it('counts whole-file errors past the cap too', async () => {
    const report = await validate('nope\n'.repeat(120), { maxRecords: 110 });
    expect(report.errorCount).toBe(111);
    expect(report.errors).toHaveLength(100);
    expect(report.errors.some((error) => error.code === 'E_TOO_MANY_RECORDS')).toBe(false);
  });

  it('ignores unknown keys, and hands on records holding only the known fields', async () => {
    const input = [
      JSON.stringify({
        id: 'a',
        prompt: 'p',
        category: 'maths',
        difficulty: 3,
        tags: ['x'],
        meta: { a: null },
      }),
      JSON.stringify({ id: 'b', prompt: 'q', extra: 'ignored' }),
    ].join('\n');
    expect(await validate(input)).toEqual({
      valid: true,
      records: 2,
      errors: [],
      errorCount: 0,
      warnings: [],
    });
    expect(await validRecords(input)).toEqual([
      [1, { id: 'a', prompt: 'p', category: 'maths' }],
      [2, { id: 'b', prompt: 'q' }],
    ]);
  });

  it('hands on only the lines that passed every line-level rule, with their line numbers', async () => {
    const input = `${line('a')}\nnope\n${line('b')}\n${line('a')}\n${JSON.stringify({ id: 'c', prompt: '' })}\n${line('d')}\n`;
    const seen = await validRecords(input);
    expect(seen.map(([lineNumber, record]) => [lineNumber, record.id])).toEqual([
      [1, 'a'],
      [3, 'b'],
      [6, 'd'],
    ]);
  });

  it('survives a JSON round trip: whole-file findings keep line null', async () => {
    const report = await validate('');
    expect(ValidationReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.errors[0]?.line).toBeNull();
  });

  it('has a schema that refuses an inconsistent report', () => {
    const error = { line: 1, code: 'E_JSON', message: 'not valid JSON' };
    const ok = { valid: false, records: 1, errors: [error], errorCount: 1, warnings: [] };
    expect(ValidationReport.safeParse(ok).success).toBe(true);
    expect(ValidationReport.safeParse({ ...ok, valid: true }).success).toBe(false);
    expect(ValidationReport.safeParse({ ...ok, errorCount: 2 }).success).toBe(false);
    expect(ValidationReport.safeParse({ ...ok, errors: [{ ...error, line: 0 }] }).success).toBe(false);
    expect(ValidationReport.safeParse({ ...ok, errors: [{ ...error, code: 'E_OTHER' }] }).success).toBe(
      false,
    );
    const many = Array.from({ length: 101 }, () => error);
    expect(ValidationReport.safeParse({ ...ok, errors: many, errorCount: 101 }).success).toBe(false);
  });

  it('refuses limits that are not positive integers', async () => {
    await expect(validateTestingData([], { maxBytes: 0 })).rejects.toThrow(RangeError);
    await expect(validateTestingData([], { maxRecords: 1.5 })).rejects.toThrow(RangeError);
    await expect(validateTestingData([], { maxLineBytes: Number.NaN })).rejects.toThrow(RangeError);
  });

  it('rejects, rather than reports, a source that fails', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(`${line('a')}\n`);
      throw new Error('connection reset');
    }
    await expect(validateTestingData(failing())).rejects.toThrow('connection reset');
  });
});
