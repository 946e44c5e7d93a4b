import { describe, expect, it } from 'vitest';
import { bytes, errorsOf, line, validate } from './test-helpers.js';
import { DEFAULT_MAX_LINE_BYTES } from './validate-testing-data.js';

/** A record line of exactly `size` bytes of UTF-8, padded in the prompt with `fill`. */
function lineOfBytes(id: string, size: number, fill = 'x'): string {
  const empty = JSON.stringify({ id, prompt: '' });
  const fillBytes = new TextEncoder().encode(fill).length;
  const room = size - empty.length;
  if (room % fillBytes !== 0) throw new Error('size does not fit the fill');
  return JSON.stringify({ id, prompt: fill.repeat(room / fillBytes) });
}

const CHUNKS = [1000, 4093, 65_537];

describe('validateTestingData: line length', () => {
  it('defaults to 64 KiB', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(65_536);
  });

  it('accepts a line of exactly 64 KiB, line ending not counted', async () => {
    const longest = lineOfBytes('a', 65_536);
    expect(new TextEncoder().encode(longest).length).toBe(65_536);
    expect((await validate(`${longest}\n${line('b')}\n`, {}, CHUNKS)).valid).toBe(true);
    expect((await validate(`${longest}\r\n${line('b')}\r\n`, {}, CHUNKS)).valid).toBe(true);
  });

  it('rejects a line one byte over 64 KiB, naming its line and size', async () => {
    const report = await validate(`${line('a')}\n${lineOfBytes('b', 65_537)}\n${line('c')}\n`, {}, CHUNKS);
    expect(report.errors).toEqual([
      { line: 2, code: 'E_LINE_TOO_LONG', message: 'line is 65537 bytes, over the 65536-byte limit' },
    ]);
    expect(report.records).toBe(3);
  });

  it('counts bytes, not characters', async () => {
    // 21,839 three-byte characters: far under 65,536 characters, over 65,536 bytes.
    const report = await validate(`${lineOfBytes('a', 65_539, '東')}\n`, {}, CHUNKS);
    expect(errorsOf(report)).toEqual([[1, 'E_LINE_TOO_LONG']]);
  });

  it('rejects a too-long last line without a final newline', async () => {
    const report = await validate(`${line('a')}\n${lineOfBytes('b', 70_000)}`, {}, CHUNKS);
    expect(errorsOf(report)).toEqual([[2, 'E_LINE_TOO_LONG']]);
  });

  it('goes on checking the lines after a too-long line', async () => {
    const report = await validate(
      `${lineOfBytes('a', 100_000)}\nnope\n${line('c')}\n${line('c')}\n`,
      {},
      CHUNKS,
    );
    expect(errorsOf(report)).toEqual([
      [1, 'E_LINE_TOO_LONG'],
      [2, 'E_JSON'],
      [4, 'E_DUPLICATE_ID'],
    ]);
  });

  it('applies a smaller maxLineBytes', async () => {
    const input = bytes(`${lineOfBytes('a', 40)}\n${lineOfBytes('b', 41)}\r\n${lineOfBytes('c', 40)}\r\n`);
    const report = await validate(input, { maxLineBytes: 40 });
    expect(report.errors).toEqual([
      { line: 2, code: 'E_LINE_TOO_LONG', message: 'line is 41 bytes, over the 40-byte limit' },
    ]);
  });
});
