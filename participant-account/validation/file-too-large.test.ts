import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bytes, endlessSource, errorsOf, line, validate } from './test-helpers.js';
import { DEFAULT_MAX_BYTES, validateTestingData } from './validate-testing-data.js';

const encoder = new TextEncoder();

/** `count` records whose lines are exactly `lineBytes` bytes, LF included. */
function recordsOfSize(count: number, lineBytes: number): Uint8Array {
  const lines: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const id = `r${String(n).padStart(5, '0')}`;
    const empty = JSON.stringify({ id, prompt: '' }).length + 1;
    lines.push(`${JSON.stringify({ id, prompt: 'x'.repeat(lineBytes - empty) })}\n`);
  }
  return encoder.encode(lines.join(''));
}

describe('validateTestingData: file size', () => {
  it('defaults to 20 MB (20,000,000 bytes): a file of exactly that is accepted, one byte more is not', async () => {
    expect(DEFAULT_MAX_BYTES).toBe(20_000_000);
    const exactly = recordsOfSize(400, 50_000);
    expect(exactly.length).toBe(20_000_000);
    expect((await validateTestingData([exactly])).valid).toBe(true);
    const oneMore = await validateTestingData([exactly, bytes('\n')]);
    expect(errorsOf(oneMore)).toEqual([[null, 'E_FILE_TOO_LARGE']]);
  });

  it('accepts a file of exactly maxBytes and rejects one of maxBytes + 1 as a whole-file error', async () => {
    const input = `${line('a')}\n${line('b')}\n`;
    const size = encoder.encode(input).length;
    expect((await validate(input, { maxBytes: size })).valid).toBe(true);
    const report = await validate(`${input} `, { maxBytes: size });
    expect(report.errors).toEqual([
      {
        line: null,
        code: 'E_FILE_TOO_LARGE',
        message: `file is over the ${size}-byte limit: reading stopped there`,
      },
    ]);
  });

  it('reports the errors in the lines read before the limit, but not the line cut by it', async () => {
    const head = `nope\n${line('b')}\n${line('b')}\n`;
    const input = `${head}${line('d')}\n${line('e')}\n`;
    // The limit falls inside line 4: lines 1–3 are judged, line 4 is neither valid nor invalid.
    const report = await validate(input, { maxBytes: encoder.encode(head).length + 5 });
    expect(errorsOf(report)).toEqual([
      [1, 'E_JSON'],
      [3, 'E_DUPLICATE_ID'],
      [null, 'E_FILE_TOO_LARGE'],
    ]);
    expect(report.records).toBe(3);
  });

  it('does not also call a file empty when its first line is cut by the limit', async () => {
    const report = await validate(`${line('a', { prompt: 'x'.repeat(500) })}\n`, { maxBytes: 100 });
    expect(errorsOf(report)).toEqual([[null, 'E_FILE_TOO_LARGE']]);
    expect(report.records).toBe(0);
  });

  it('leaves blank lines at the cut unjudged', async () => {
    const input = `${line('a')}\n\n\n${line('b')}\n`;
    const report = await validate(input, { maxBytes: encoder.encode(`${line('a')}\n\n\n`).length + 1 });
    expect(errorsOf(report)).toEqual([[null, 'E_FILE_TOO_LARGE']]);
    expect(report.warnings).toEqual([]);
  });

  it('stops reading as soon as the limit is passed, and closes the source', async () => {
    const chunkBytes = encoder.encode(`${line('r0000')}\n`).length;
    const endless = endlessSource((n) => encoder.encode(`${line(`r${String(n).padStart(4, '0')}`)}\n`));
    const report = await validateTestingData(endless.source, { maxBytes: chunkBytes * 10 });
    expect(errorsOf(report)).toEqual([[null, 'E_FILE_TOO_LARGE']]);
    expect(report.records).toBe(10);
    expect(endless.pulled()).toBe(11);
    expect(endless.closed()).toBe(true);
  });

  it('destroys a Node stream it stops reading', async () => {
    const chunk = encoder.encode(`${line('a')}\n`);
    const stream = Readable.from(
      (function* () {
        for (let n = 0; ; n += 1) yield encoder.encode(`${line(`r${n}`)}\n`);
      })(),
      { objectMode: false },
    );
    const report = await validateTestingData(stream, { maxBytes: chunk.length * 100 });
    expect(errorsOf(report)).toEqual([[null, 'E_FILE_TOO_LARGE']]);
    expect(stream.destroyed).toBe(true);
  });
});
