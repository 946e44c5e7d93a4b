import { describe, expect, it } from 'vitest';
import { BOM, bytes, errorsOf, line, validate, validRecords, warningsOf } from './test-helpers.js';

describe('validateTestingData: byte order mark', () => {
  it('strips a leading UTF-8 BOM with a warning on line 1, and the file stays valid', async () => {
    const report = await validate(bytes(BOM, `${line('a')}\n${line('b')}\n`));
    expect(report.valid).toBe(true);
    expect(report.records).toBe(2);
    expect(warningsOf(report)).toEqual([[1, 'W_BOM']]);
  });

  it('reads the first record as if the BOM were not there', async () => {
    const input = bytes(BOM, `${line('a')}\r\n${line('a')}\r\n`);
    const report = await validate(input);
    // The id on line 1 is "a", not "\uFEFFa": line 2 repeats it.
    expect(errorsOf(report)).toEqual([[2, 'E_DUPLICATE_ID']]);
    expect(await validRecords(input)).toEqual([[1, { id: 'a', prompt: 'prompt for a' }]]);
  });

  it('does not strip a BOM that starts a later line', async () => {
    const report = await validate(bytes(`${line('a')}\n`, BOM, `${line('b')}\n`));
    expect(errorsOf(report)).toEqual([[2, 'E_JSON']]);
    expect(warningsOf(report)).toEqual([]);
  });

  it('strips only one BOM: a second one is content', async () => {
    const report = await validate(bytes(BOM, BOM, `${line('a')}\n`));
    expect(errorsOf(report)).toEqual([[1, 'E_JSON']]);
    expect(warningsOf(report)).toEqual([[1, 'W_BOM']]);
  });

  it('treats a first line holding only a BOM as a blank line', async () => {
    const report = await validate(bytes(BOM, `\n${line('a')}\n`));
    expect(errorsOf(report)).toEqual([[1, 'E_BLANK_LINE']]);
    expect(warningsOf(report)).toEqual([[1, 'W_BOM']]);
  });

  it('reports a file holding only a BOM as empty', async () => {
    const report = await validate(bytes(BOM));
    expect(errorsOf(report)).toEqual([[null, 'E_EMPTY']]);
    expect(warningsOf(report)).toEqual([[1, 'W_BOM']]);
  });
});
