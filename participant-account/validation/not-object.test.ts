import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate } from './test-helpers.js';

describe('validateTestingData: not an object', () => {
  it.each([
    ['an array', '[{"id":"b","prompt":"p"}]', 'expected a JSON object, got an array'],
    ['a string', '"b"', 'expected a JSON object, got a string'],
    ['a number', '42', 'expected a JSON object, got a number'],
    ['a boolean', 'true', 'expected a JSON object, got a boolean'],
    ['null', 'null', 'expected a JSON object, got null'],
  ])('rejects a line holding %s', async (_, text, message) => {
    const report = await validate(`${line('a')}\n${text}\n${line('c')}\n`);
    expect(report.errors).toEqual([{ line: 2, code: 'E_NOT_OBJECT', message }]);
  });

  it('reports such a line once, not also as a schema error', async () => {
    const report = await validate('[]\n{"id":"a","prompt":"p"}\n[1,2]\n');
    expect(errorsOf(report)).toEqual([
      [1, 'E_NOT_OBJECT'],
      [3, 'E_NOT_OBJECT'],
    ]);
    expect(report.records).toBe(3);
  });
});
