import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate, warningsOf } from './test-helpers.js';
import { validateTestingData } from './validate-testing-data.js';

describe('validateTestingData: empty file', () => {
  it('rejects a file of no bytes as a whole-file error (line null)', async () => {
    expect(await validate('')).toEqual({
      valid: false,
      records: 0,
      errors: [{ line: null, code: 'E_EMPTY', message: 'the file holds no records' }],
      errorCount: 1,
      warnings: [],
    });
  });

  it('rejects a source that yields no chunks, or only empty ones', async () => {
    expect(errorsOf(await validateTestingData([]))).toEqual([[null, 'E_EMPTY']]);
    expect(errorsOf(await validateTestingData([new Uint8Array(0), new Uint8Array(0)]))).toEqual([
      [null, 'E_EMPTY'],
    ]);
  });

  it('rejects a file of blank lines as empty, without blank-line findings', async () => {
    const report = await validate('\n \r\n\t\n');
    expect(report.errors).toEqual([
      { line: null, code: 'E_EMPTY', message: 'the file holds no records, only blank lines' },
    ]);
    expect(warningsOf(report)).toEqual([]);
  });

  it('does not call a file with only unusable lines empty', async () => {
    const report = await validate('nope\n');
    expect(errorsOf(report)).toEqual([[1, 'E_JSON']]);
    expect(report.records).toBe(1);
  });

  it('accepts a file of one record', async () => {
    expect((await validate(line('a'))).valid).toBe(true);
  });
});
