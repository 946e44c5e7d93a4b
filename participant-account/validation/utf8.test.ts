import { describe, expect, it } from 'vitest';
import { bytes, errorsOf, line, validate } from './test-helpers.js';

const before = `${line('a')}\n`;
const after = `\n${line('c')}\n`;
/** A record line whose prompt holds the given raw bytes. */
const withRawBytes = (raw: number[]) => bytes(before, '{"id":"b","prompt":"x', raw, 'y"}', after);

describe('validateTestingData: UTF-8', () => {
  it('rejects a line holding a byte that is never UTF-8 (0xFF), naming its line', async () => {
    const report = await validate(withRawBytes([0xff]));
    expect(errorsOf(report)).toEqual([[2, 'E_UTF8']]);
    expect(report.errors[0]?.message).toBe('not valid UTF-8');
  });

  it('rejects a multi-byte sequence cut short', async () => {
    expect(errorsOf(await validate(withRawBytes([0xe2, 0x82])))).toEqual([[2, 'E_UTF8']]);
  });

  it('rejects an overlong encoding', async () => {
    expect(errorsOf(await validate(withRawBytes([0xc0, 0xaf])))).toEqual([[2, 'E_UTF8']]);
  });

  it('rejects an encoded UTF-16 surrogate', async () => {
    expect(errorsOf(await validate(withRawBytes([0xed, 0xa0, 0x80])))).toEqual([[2, 'E_UTF8']]);
  });

  it('rejects a sequence cut short by the end of the file', async () => {
    const report = await validate(bytes(before, '{"id":"b","prompt":"x', [0xf0, 0x9f, 0x99]));
    expect(errorsOf(report)).toEqual([[2, 'E_UTF8']]);
  });

  it('accepts multi-byte characters, whichever chunk boundaries fall inside them', async () => {
    const report = await validate(`${line('a', { prompt: 'café 東京 🙂 naïve' })}\n${line('b')}\n`);
    expect(report.valid).toBe(true);
  });

  it('counts an unreadable line as a record and goes on checking the lines after it', async () => {
    const report = await validate(bytes(before, [0xff], '\n', `${line('a')}\n`));
    expect(errorsOf(report)).toEqual([
      [2, 'E_UTF8'],
      [3, 'E_DUPLICATE_ID'],
    ]);
    expect(report.records).toBe(3);
  });
});
