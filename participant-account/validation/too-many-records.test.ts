import { describe, expect, it } from 'vitest';
import { endlessSource, errorsOf, line, validate, warningsOf } from './test-helpers.js';
import { DEFAULT_MAX_RECORDS, validateTestingData } from './validate-testing-data.js';

const encoder = new TextEncoder();
const records = (count: number, from = 0) =>
  Array.from({ length: count }, (_, k) => `${line(`q${from + k}`)}\n`).join('');

describe('validateTestingData: record count', () => {
  it('defaults to 10,000 records: exactly that many are accepted, one more is not', async () => {
    expect(DEFAULT_MAX_RECORDS).toBe(10_000);
    const exactly = await validateTestingData([encoder.encode(records(10_000))]);
    expect(exactly).toMatchObject({ valid: true, records: 10_000 });
    const oneMore = await validateTestingData([encoder.encode(records(10_001))]);
    expect(oneMore.errors).toEqual([
      {
        line: null,
        code: 'E_TOO_MANY_RECORDS',
        message: 'more than 10000 records: reading stopped at line 10001',
      },
    ]);
    expect(oneMore.records).toBe(10_000);
  });

  it('applies a smaller maxRecords, as a whole-file error naming where reading stopped', async () => {
    expect((await validate(records(3), { maxRecords: 3 })).valid).toBe(true);
    const report = await validate(records(5), { maxRecords: 3 });
    expect(report.errors).toEqual([
      { line: null, code: 'E_TOO_MANY_RECORDS', message: 'more than 3 records: reading stopped at line 4' },
    ]);
    expect(report.records).toBe(3);
  });

  it('does not count blank lines as records', async () => {
    const report = await validate(`${records(2)}\n\n`, { maxRecords: 2 });
    expect(report.valid).toBe(true);
    expect(warningsOf(report)).toEqual([[3, 'W_TRAILING_BLANK_LINES']]);
  });

  it('counts lines that fail other rules as records, and reports the blank lines before the stop', async () => {
    const report = await validate('nope\n\n[]\n{\n', { maxRecords: 2 });
    expect(errorsOf(report)).toEqual([
      [1, 'E_JSON'],
      [2, 'E_BLANK_LINE'],
      [3, 'E_NOT_OBJECT'],
      [null, 'E_TOO_MANY_RECORDS'],
    ]);
    expect(report.errors.at(-1)?.message).toBe('more than 2 records: reading stopped at line 4');
  });

  it('stops reading at the first record past the limit, and closes the source', async () => {
    const endless = endlessSource((n) => encoder.encode(`${line(`q${n}`)}\n`));
    const report = await validateTestingData(endless.source, { maxRecords: 50 });
    expect(errorsOf(report)).toEqual([[null, 'E_TOO_MANY_RECORDS']]);
    expect(endless.pulled()).toBe(51);
    expect(endless.closed()).toBe(true);
  });
});
