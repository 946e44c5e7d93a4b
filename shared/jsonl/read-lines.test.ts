import { describe, expect, it } from 'vitest';
import { type JsonlLine, type ReadLinesOptions, readLines } from './read-lines.js';

const encoder = new TextEncoder();

/** Builds bytes from text (encoded as UTF-8) and raw byte values, in order. */
function bytes(...parts: Array<string | number[]>): Uint8Array {
  const encoded = parts.map((part) =>
    typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part),
  );
  const out = new Uint8Array(encoded.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of encoded) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Splits input into chunks of `size` bytes, the way a stream with a small buffer would. */
function* chunksOf(input: Uint8Array, size: number): Generator<Uint8Array> {
  for (let start = 0; start < input.length; start += size) yield input.subarray(start, start + size);
}

async function collect(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: ReadLinesOptions,
): Promise<JsonlLine[]> {
  const lines: JsonlLine[] = [];
  for await (const line of readLines(source, options)) lines.push(line);
  return lines;
}

const read = (input: Uint8Array, options?: ReadLinesOptions) => collect([input], options);

const BOM = [0xef, 0xbb, 0xbf];

describe('readLines: line endings', () => {
  it('splits on LF and numbers lines from 1', async () => {
    expect(await read(bytes('{"a":1}\n{"b":2}\n'))).toEqual([
      { lineNumber: 1, text: '{"a":1}', bom: false },
      { lineNumber: 2, text: '{"b":2}', bom: false },
    ]);
  });

  it('drops the CR of a CRLF ending', async () => {
    expect(await read(bytes('one\r\ntwo\r\n'))).toEqual([
      { lineNumber: 1, text: 'one', bom: false },
      { lineNumber: 2, text: 'two', bom: false },
    ]);
  });

  it('reads a file that mixes LF and CRLF endings', async () => {
    const lines = await read(bytes('one\ntwo\r\nthree\n'));
    expect(lines.map((line) => ('text' in line ? line.text : line.problem))).toEqual(['one', 'two', 'three']);
  });

  it('yields a last line that has no final newline', async () => {
    expect(await read(bytes('one\ntwo'))).toEqual([
      { lineNumber: 1, text: 'one', bom: false },
      { lineNumber: 2, text: 'two', bom: false },
    ]);
  });

  it('yields no extra empty line after a final newline', async () => {
    expect(await read(bytes('one\n'))).toEqual([{ lineNumber: 1, text: 'one', bom: false }]);
  });

  it('yields nothing for an empty source', async () => {
    expect(await read(bytes(''))).toEqual([]);
    expect(await collect([])).toEqual([]);
  });

  it('yields empty lines with empty text', async () => {
    expect(await read(bytes('\n\r\na\n\n'))).toEqual([
      { lineNumber: 1, text: '', bom: false },
      { lineNumber: 2, text: '', bom: false },
      { lineNumber: 3, text: 'a', bom: false },
      { lineNumber: 4, text: '', bom: false },
    ]);
  });

  it('keeps a CR that is not right before LF as part of the line', async () => {
    expect(await read(bytes('a\rb\n\rc\n'))).toEqual([
      { lineNumber: 1, text: 'a\rb', bom: false },
      { lineNumber: 2, text: '\rc', bom: false },
    ]);
  });

  it('drops only the one CR right before LF', async () => {
    expect(await read(bytes('a\r\r\n'))).toEqual([{ lineNumber: 1, text: 'a\r', bom: false }]);
  });

  it('keeps a CR at the very end of a source without a final newline', async () => {
    expect(await read(bytes('a\nb\r'))).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, text: 'b\r', bom: false },
    ]);
  });

  it('drops the CR of a CRLF split between two chunks', async () => {
    expect(await collect([bytes('a\r'), bytes('\nb')])).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, text: 'b', bom: false },
    ]);
  });
});

describe('readLines: byte order mark', () => {
  it('strips a leading UTF-8 BOM and reports it on line 1', async () => {
    expect(await read(bytes(BOM, '{"a":1}\n{"b":2}\n'))).toEqual([
      { lineNumber: 1, text: '{"a":1}', bom: true },
      { lineNumber: 2, text: '{"b":2}', bom: false },
    ]);
  });

  it('reports no BOM on a file without one', async () => {
    const [first] = await read(bytes('{"a":1}\n'));
    expect(first).toEqual({ lineNumber: 1, text: '{"a":1}', bom: false });
  });

  it('leaves a BOM-like sequence on a later line in the text', async () => {
    expect(await read(bytes('a\n', BOM, 'b\n'))).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, text: '\uFEFFb', bom: false },
    ]);
  });

  it('strips only one BOM from line 1', async () => {
    expect(await read(bytes(BOM, BOM, 'a'))).toEqual([{ lineNumber: 1, text: '\uFEFFa', bom: true }]);
  });

  it('strips a BOM that fills line 1, leaving it empty', async () => {
    expect(await read(bytes(BOM, '\r\nb'))).toEqual([
      { lineNumber: 1, text: '', bom: true },
      { lineNumber: 2, text: 'b', bom: false },
    ]);
  });

  it('strips a BOM whose bytes arrive in separate chunks', async () => {
    expect(await collect([bytes([0xef]), bytes([0xbb]), bytes([0xbf], 'a\n')])).toEqual([
      { lineNumber: 1, text: 'a', bom: true },
    ]);
  });
});

describe('readLines: invalid UTF-8', () => {
  const cases: Array<[string, number[]]> = [
    ['a 0xff byte', [0x61, 0xff, 0x62]],
    ['a lone continuation byte', [0x80]],
    ['a truncated 3-byte sequence', [0xe6, 0x97]],
    ['an overlong 2-byte encoding of "/"', [0xc0, 0xaf]],
    ['an overlong 3-byte encoding of "/"', [0xe0, 0x80, 0xaf]],
    ['an encoded UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];

  it.each(cases)('reports %s as E_UTF8 on its line and reads on', async (_name, invalid) => {
    const lines = await read(bytes('{"ok":1}\n', invalid, '\n{"ok":3}\n'));
    expect(lines).toEqual([
      { lineNumber: 1, text: '{"ok":1}', bom: false },
      { lineNumber: 2, problem: 'E_UTF8', bytes: invalid.length },
      { lineNumber: 3, text: '{"ok":3}', bom: false },
    ]);
  });

  it('does not let a truncated sequence swallow the first byte of the next line', async () => {
    // If the decoder carried state between lines, E6 97 + "A" could be misread.
    const lines = await read(bytes([0xe6, 0x97], '\n', [0xa5], 'x\nok\n'));
    expect(lines).toEqual([
      { lineNumber: 1, problem: 'E_UTF8', bytes: 2 },
      { lineNumber: 2, problem: 'E_UTF8', bytes: 2 },
      { lineNumber: 3, text: 'ok', bom: false },
    ]);
  });

  it('reports a truncated sequence at the end of the source without a final newline', async () => {
    expect(await read(bytes('ok\n', [0xe6, 0x97]))).toEqual([
      { lineNumber: 1, text: 'ok', bom: false },
      { lineNumber: 2, problem: 'E_UTF8', bytes: 2 },
    ]);
  });

  it('reports invalid UTF-8 on line 1 after a BOM', async () => {
    expect(await read(bytes(BOM, [0xff], '\nok'))).toEqual([
      { lineNumber: 1, problem: 'E_UTF8', bytes: 1 },
      { lineNumber: 2, text: 'ok', bom: false },
    ]);
  });

  it('decodes valid multi-byte characters of every length', async () => {
    expect(await read(bytes('é 日本 🎉\n'))).toEqual([{ lineNumber: 1, text: 'é 日本 🎉', bom: false }]);
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const snowman = bytes('☃'); // E2 98 83
    expect(
      await collect([bytes('"', [snowman[0] ?? 0]), bytes([snowman[1] ?? 0, snowman[2] ?? 0], '"\n')]),
    ).toEqual([{ lineNumber: 1, text: '"☃"', bom: false }]);
  });
});

describe('readLines: chunk boundaries', () => {
  const mixed = bytes(
    BOM,
    '{"a":1}\r\n',
    '\n',
    '{"text":"é 日本語 🎉"}\n',
    'a\rb\r\n',
    [0x22, 0xff, 0x22],
    '\n',
    [0xe6, 0x97],
    '\r\n',
    '{"last":true}',
  );

  it('reads the sample input as expected when given in one chunk', async () => {
    expect(await read(mixed)).toEqual([
      { lineNumber: 1, text: '{"a":1}', bom: true },
      { lineNumber: 2, text: '', bom: false },
      { lineNumber: 3, text: '{"text":"é 日本語 🎉"}', bom: false },
      { lineNumber: 4, text: 'a\rb', bom: false },
      { lineNumber: 5, problem: 'E_UTF8', bytes: 3 },
      { lineNumber: 6, problem: 'E_UTF8', bytes: 2 },
      { lineNumber: 7, text: '{"last":true}', bom: false },
    ]);
  });

  it('yields the same lines whatever the chunk size', async () => {
    const whole = await read(mixed);
    for (let size = 1; size <= mixed.length; size += 1) {
      expect(await collect(chunksOf(mixed, size)), `chunk size ${size}`).toEqual(whole);
    }
  });

  it('yields the same lines when the input is cut in two at any byte offset', async () => {
    const whole = await read(mixed);
    for (let offset = 0; offset <= mixed.length; offset += 1) {
      const parts = [mixed.subarray(0, offset), mixed.subarray(offset)];
      expect(await collect(parts), `cut at ${offset}`).toEqual(whole);
    }
  });

  it('yields the same lines from an async source as from a sync one', async () => {
    async function* asyncChunks(): AsyncGenerator<Uint8Array> {
      yield* chunksOf(mixed, 5);
    }
    expect(await collect(asyncChunks())).toEqual(await read(mixed));
  });

  it('ignores empty chunks', async () => {
    const source = [bytes(''), bytes('a'), bytes(''), bytes('\n'), bytes(''), bytes('b'), bytes('')];
    expect(await collect(source)).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, text: 'b', bom: false },
    ]);
  });

  it('reads correctly from a source that reuses one Uint8Array for every chunk', async () => {
    expect(await collect(reusingSource(mixed, 4, new Uint8Array(4)))).toEqual(await read(mixed));
  });

  it('reads correctly from a source that reuses one Buffer for every chunk', async () => {
    // A read loop over fs.read fills the same Buffer each time; a carried-over line start must be copied.
    expect(await collect(reusingSource(mixed, 4, Buffer.alloc(4)))).toEqual(await read(mixed));
  });
});

/** Yields `input` in `size`-byte chunks, all views of the same `buffer`, overwritten each time. */
function* reusingSource(input: Uint8Array, size: number, buffer: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < input.length; start += size) {
    const part = input.subarray(start, start + size);
    buffer.set(part);
    yield buffer.subarray(0, part.length);
    buffer.fill(0x3f); // poison: any view kept past this point reads '?'
  }
}

describe('readLines: line length limit', () => {
  const max = 8;
  const line = (length: number) => 'x'.repeat(length);

  it('keeps a line of exactly maxLineBytes', async () => {
    expect(await read(bytes(`${line(max)}\n`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, text: line(max), bom: false },
    ]);
  });

  it('keeps a line of exactly maxLineBytes followed by CRLF', async () => {
    expect(await read(bytes(`${line(max)}\r\n`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, text: line(max), bom: false },
    ]);
  });

  it('reports a line one byte over maxLineBytes as E_LINE_TOO_LONG', async () => {
    expect(await read(bytes(`${line(max + 1)}\nok\n`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
      { lineNumber: 2, text: 'ok', bom: false },
    ]);
  });

  it('reports a line one byte over maxLineBytes followed by CRLF as E_LINE_TOO_LONG', async () => {
    expect(await read(bytes(`${line(max + 1)}\r\nok\n`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
      { lineNumber: 2, text: 'ok', bom: false },
    ]);
  });

  it('counts a CR that is not part of the line ending towards the limit', async () => {
    expect(await read(bytes(`${line(max)}\r`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
    ]);
  });

  it('measures the limit in bytes, not characters', async () => {
    // Three 3-byte characters: 9 bytes, over a limit of 8.
    expect(await read(bytes('日本語\n'), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, problem: 'E_LINE_TOO_LONG', bytes: 9 },
    ]);
  });

  it('reads on with the next lines after a long line', async () => {
    const input = bytes(`a\n${line(40)}\nb\n${line(max + 1)}\nc\n`);
    expect(await read(input, { maxLineBytes: max })).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, problem: 'E_LINE_TOO_LONG', bytes: 40 },
      { lineNumber: 3, text: 'b', bom: false },
      { lineNumber: 4, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
      { lineNumber: 5, text: 'c', bom: false },
    ]);
  });

  it('reports a long last line that has no final newline', async () => {
    expect(await read(bytes(`a\n${line(40)}`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, problem: 'E_LINE_TOO_LONG', bytes: 40 },
    ]);
  });

  it('reports a last line one byte over maxLineBytes that has no final newline', async () => {
    expect(await read(bytes(`a\n${line(max + 1)}`), { maxLineBytes: max })).toEqual([
      { lineNumber: 1, text: 'a', bom: false },
      { lineNumber: 2, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
    ]);
  });

  it('applies the limit the same way whatever the chunk size', async () => {
    const input = bytes(
      `${line(max)}\n`,
      `${line(max)}\r\n`,
      `${line(max + 1)}\n`,
      `${line(max + 1)}\r\n`,
      `${line(max - 1)}\r\r\n`,
      `${line(3 * max)}\r\n`,
      'é日🎉\n',
      `${line(max + 1)}`,
    );
    const expected: JsonlLine[] = [
      { lineNumber: 1, text: line(max), bom: false },
      { lineNumber: 2, text: line(max), bom: false },
      { lineNumber: 3, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
      { lineNumber: 4, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
      { lineNumber: 5, text: `${line(max - 1)}\r`, bom: false },
      { lineNumber: 6, problem: 'E_LINE_TOO_LONG', bytes: 3 * max },
      { lineNumber: 7, problem: 'E_LINE_TOO_LONG', bytes: 9 },
      { lineNumber: 8, problem: 'E_LINE_TOO_LONG', bytes: max + 1 },
    ];
    for (let size = 1; size <= input.length; size += 1) {
      expect(await collect(chunksOf(input, size), { maxLineBytes: max }), `chunk size ${size}`).toEqual(
        expected,
      );
    }
  });

  it('defaults to a 16 MiB limit', async () => {
    const limit = 16 * 1024 * 1024;
    const mebibyte = new Uint8Array(1024 * 1024).fill(0x78);
    function* source(): Generator<Uint8Array> {
      for (let index = 0; index < 16; index += 1) yield mebibyte;
      yield bytes('x\n'); // line 1: one byte over
      for (let index = 0; index < 15; index += 1) yield mebibyte;
      yield mebibyte.subarray(1);
      yield bytes('x\nok\n'); // line 2: exactly the limit
    }
    // Compared by length so a failure does not print a 16 MiB string.
    const lines = (await collect(source())).map((line) =>
      'text' in line ? { lineNumber: line.lineNumber, textBytes: line.text.length } : line,
    );
    expect(lines).toEqual([
      { lineNumber: 1, problem: 'E_LINE_TOO_LONG', bytes: limit + 1 },
      { lineNumber: 2, textBytes: limit },
      { lineNumber: 3, textBytes: 2 },
    ]);
  });
});

describe('readLines: bounded memory', () => {
  it('streams 200,000 short lines, yielding each before reading far ahead', async () => {
    const lineCount = 200_000;
    const chunkSize = 4096;
    let chunksRead = 0;
    let bytesRead = 0;
    function* source(): Generator<Uint8Array> {
      const buffer = new Uint8Array(chunkSize);
      let filled = 0;
      for (let index = 1; index <= lineCount; index += 1) {
        for (const byte of encoder.encode(`{"id":"q-${index}"}\n`)) {
          buffer[filled] = byte;
          filled += 1;
          if (filled === chunkSize) {
            chunksRead += 1;
            bytesRead += filled;
            yield buffer;
            filled = 0;
          }
        }
      }
      chunksRead += 1;
      bytesRead += filled;
      yield buffer.subarray(0, filled);
    }

    let count = 0;
    let bytesYielded = 0;
    const unexpected: JsonlLine[] = [];
    let mostChunksAhead = 0;
    for await (const line of readLines(source(), { maxLineBytes: 64 })) {
      count += 1;
      if (!('text' in line) || line.lineNumber !== count || line.text !== `{"id":"q-${count}"}`) {
        unexpected.push(line);
      }
      bytesYielded += `{"id":"q-${count}"}\n`.length;
      // Every line is yielded from the chunk that completes it: the reader never runs ahead.
      mostChunksAhead = Math.max(
        mostChunksAhead,
        Math.ceil(bytesRead / chunkSize) - Math.ceil(bytesYielded / chunkSize),
      );
    }
    expect(count).toBe(lineCount);
    expect(unexpected).toEqual([]);
    expect(bytesYielded).toBe(bytesRead);
    expect(chunksRead).toBeGreaterThan(800);
    expect(mostChunksAhead).toBe(0);
  });

  it('skips a 50 MB line fed in 64 KiB chunks without holding it in memory', async () => {
    const chunkSize = 64 * 1024;
    const longLineBytes = 50 * 1024 * 1024;
    const chunk = new Uint8Array(chunkSize).fill(0x78);
    // ArrayBuffer memory is sampled while the line streams in. Buffering the line would add 50 MB;
    // skipping it adds at most the first maxLineBytes of copies, some of which may still await GC.
    const baseline = process.memoryUsage().arrayBuffers;
    let peakGrowth = 0;
    function* source(): Generator<Uint8Array> {
      yield bytes('{"before":true}\n');
      for (let sent = 0; sent < longLineBytes; sent += chunkSize) {
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - baseline);
        yield chunk;
      }
      yield bytes('\n{"after":true}\n');
    }

    const lines = await collect(source(), { maxLineBytes: 1024 * 1024 });

    expect(lines).toEqual([
      { lineNumber: 1, text: '{"before":true}', bom: false },
      { lineNumber: 2, problem: 'E_LINE_TOO_LONG', bytes: longLineBytes },
      { lineNumber: 3, text: '{"after":true}', bom: false },
    ]);
    expect(peakGrowth).toBeLessThan(16 * 1024 * 1024);
  });

  it('skips a 50 MB last line without a final newline', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x78);
    function* source(): Generator<Uint8Array> {
      yield bytes('{"before":true}\n');
      for (let index = 0; index < 800; index += 1) yield chunk;
    }
    expect(await collect(source(), { maxLineBytes: 1024 * 1024 })).toEqual([
      { lineNumber: 1, text: '{"before":true}', bom: false },
      { lineNumber: 2, problem: 'E_LINE_TOO_LONG', bytes: 800 * 64 * 1024 },
    ]);
  });
});
