import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate, validRecords } from './test-helpers.js';

/** A file whose line 2 is the raw JSON text given (so `__proto__` survives as written). */
const secondLine = (text: string) => validate(`${line('first')}\n${text}\n${line('third')}\n`);

describe('validateTestingData: forbidden keys', () => {
  it.each([
    ['__proto__', '{"id":"b","prompt":"p","__proto__":{"polluted":true}}', '__proto__'],
    ['constructor', '{"id":"b","prompt":"p","constructor":{"prototype":{}}}', 'constructor'],
    ['prototype', '{"id":"b","prompt":"p","prototype":1}', 'prototype'],
  ])('rejects a top-level %s key', async (_, text, path) => {
    const report = await secondLine(text);
    expect(report.errors).toEqual([
      { line: 2, code: 'E_FORBIDDEN_KEY', message: `forbidden key at ${path}` },
    ]);
  });

  it('finds one nested in objects, naming where it is', async () => {
    const report = await secondLine('{"id":"b","prompt":"p","meta":{"a":{"ok":1,"constructor":1}}}');
    expect(report.errors).toEqual([
      { line: 2, code: 'E_FORBIDDEN_KEY', message: 'forbidden key at meta.a.constructor' },
    ]);
  });

  it('finds one inside nested arrays', async () => {
    const report = await secondLine('{"id":"b","prompt":"p","x":[1,{"y":[[],{"prototype":0}]}]}');
    expect(report.errors).toEqual([
      { line: 2, code: 'E_FORBIDDEN_KEY', message: 'forbidden key at x[1].y[1].prototype' },
    ]);
  });

  it('finds one written with escapes', async () => {
    const report = await secondLine('{"id":"b","prompt":"p","\\u005f_proto__":{}}');
    expect(errorsOf(report)).toEqual([[2, 'E_FORBIDDEN_KEY']]);
  });

  it('finds one 20,000 levels deep without overflowing the stack', async () => {
    const depth = 20_000;
    const text = `{"id":"b","prompt":"p","deep":${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}}`;
    const report = await validate(`${text}\n`, {}, [4096]);
    expect(errorsOf(report)).toEqual([[1, 'E_FORBIDDEN_KEY']]);
  });

  it('allows the three words as values', async () => {
    const report = await secondLine('{"id":"constructor","prompt":"__proto__","category":"prototype"}');
    expect(report.valid).toBe(true);
  });

  it('quotes a key path that holds unusual characters, escaping control characters', async () => {
    const report = await secondLine('{"id":"b","prompt":"p","a b\\u001b":{"__proto__":1}}');
    expect(report.errors[0]?.message).toBe('forbidden key at ["a b\\u001b"].__proto__');
  });

  it('reports a schema problem on the same line as well', async () => {
    const report = await secondLine('{"id":"b","__proto__":{}}');
    expect(errorsOf(report)).toEqual([
      [2, 'E_FORBIDDEN_KEY'],
      [2, 'E_SCHEMA'],
    ]);
  });

  it('never pollutes a prototype and never hands such a record on', async () => {
    const input = [
      '{"id":"a","prompt":"p","__proto__":{"polluted":"yes"}}',
      '{"id":"b","prompt":"p","constructor":{"prototype":{"polluted":"yes"}}}',
      '{"id":"c","prompt":"p","x":{"__proto__":{"polluted":"yes"}}}',
      line('d'),
    ].join('\n');
    const report = await validate(input);
    expect(errorsOf(report)).toEqual([
      [1, 'E_FORBIDDEN_KEY'],
      [2, 'E_FORBIDDEN_KEY'],
      [3, 'E_FORBIDDEN_KEY'],
    ]);
    const records = await validRecords(input);
    expect(records).toEqual([[4, { id: 'd', prompt: 'prompt for d' }]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(records[0]?.[1])).toBe(Object.prototype);
  });
});
