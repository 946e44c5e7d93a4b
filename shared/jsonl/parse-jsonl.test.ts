import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Battle } from '../contracts/battle.js';
import { TestingRecord } from '../contracts/testing-data.js';
import {
  describeZodError,
  JsonlError,
  type ParseJsonlOptions,
  parseJsonl,
  parseRecord,
} from './parse-jsonl.js';

const encoder = new TextEncoder();

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

async function parseAll<S extends z.ZodType>(
  input: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  schema: S,
  options?: ParseJsonlOptions,
): Promise<Array<z.output<S>>> {
  const records: Array<z.output<S>> = [];
  const source = input instanceof Uint8Array ? [input] : input;
  for await (const record of parseJsonl(source, schema, options)) records.push(record);
  return records;
}

/** Parses until the first error and returns what was yielded before it along with the error. */
async function parseUntilError<S extends z.ZodType>(
  input: Uint8Array,
  schema: S,
  options?: ParseJsonlOptions,
): Promise<{ records: Array<z.output<S>>; error: unknown }> {
  const records: Array<z.output<S>> = [];
  try {
    for await (const record of parseJsonl([input], schema, options)) records.push(record);
  } catch (error) {
    return { records, error };
  }
  return { records, error: undefined };
}

const Item = z.object({ id: z.string(), n: z.number() });

describe('parseJsonl', () => {
  it('yields one record per line, in order', async () => {
    expect(await parseAll(bytes('{"id":"a","n":1}\n{"id":"b","n":2}\n'), Item)).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
  });

  it('reads CRLF files, a BOM on line 1 and a last line without newline', async () => {
    const input = bytes([0xef, 0xbb, 0xbf], '{"id":"a","n":1}\r\n{"id":"b","n":2}');
    expect(await parseAll(input, Item)).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
  });

  it('reads the same records from a stream cut into 1-byte chunks', async () => {
    const input = bytes('{"id":"é日🎉","n":1}\r\n\n{"id":"b","n":2}\n');
    const oneByteChunks = Array.from(input, (byte) => Uint8Array.of(byte));
    expect(await parseAll(oneByteChunks, Item)).toEqual(await parseAll(input, Item));
  });

  it('reads from an async source', async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      yield bytes('{"id":"a",');
      yield bytes('"n":1}\n');
    }
    expect(await parseAll(source(), Item)).toEqual([{ id: 'a', n: 1 }]);
  });

  it('skips blank and whitespace-only lines but keeps counting them', async () => {
    const input = bytes('\n{"id":"a","n":1}\n  \t\r\n\r\n{"id":"b","n":2}\n\n{"id":"c"}\n');
    const { records, error } = await parseUntilError(input, Item);
    expect(records).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
    expect(error).toMatchObject({ line: 7, code: 'E_SCHEMA' });
  });

  it('yields nothing for an empty file', async () => {
    expect(await parseAll(bytes(''), Item)).toEqual([]);
  });

  it('ignores unknown keys when the schema is a plain object', async () => {
    const [record] = await parseAll(bytes('{"id":"a","n":1,"extra":{"deep":true}}\n'), Item);
    expect(record).toEqual({ id: 'a', n: 1 });
    expect(record).not.toHaveProperty('extra');
  });

  it('rejects unknown keys when the schema is a strict object', async () => {
    const { error } = await parseUntilError(bytes('{"id":"a","n":1,"extra":1}\n'), Item.strict());
    expect(error).toMatchObject({ line: 1, code: 'E_SCHEMA' });
  });

  it('yields the records before a bad line, then throws', async () => {
    const { records, error } = await parseUntilError(
      bytes('{"id":"a","n":1}\n{"id":"b","n":2}\nnope\n'),
      Item,
    );
    expect(records).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
    expect(error).toBeInstanceOf(JsonlError);
  });
});

describe('parseJsonl errors', () => {
  it('throws E_JSON with the line number for a line that is not JSON', async () => {
    const { error } = await parseUntilError(bytes('{"id":"a","n":1}\n{"id": \n'), Item);
    expect(error).toBeInstanceOf(JsonlError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'JsonlError', line: 2, code: 'E_JSON' });
    expect((error as JsonlError).message).toMatch(/^line 2: not valid JSON \(/);
  });

  it('throws E_JSON for a line holding two JSON values', async () => {
    const { error } = await parseUntilError(bytes('{"id":"a","n":1} {"id":"b","n":2}\n'), Item);
    expect(error).toMatchObject({ line: 1, code: 'E_JSON' });
  });

  it.each([
    ['an array', '[{"id":"a","n":1}]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"text"'],
    ['a boolean', 'true'],
  ])('throws E_NOT_OBJECT for a line holding %s', async (_name, json) => {
    const { error } = await parseUntilError(bytes(`{"id":"a","n":1}\n\n${json}\n`), Item);
    expect(error).toMatchObject({ line: 3, code: 'E_NOT_OBJECT', message: 'line 3: not a JSON object' });
  });

  it('throws E_SCHEMA naming the field that failed', async () => {
    const { error } = await parseUntilError(bytes('{"id":"a","n":"one"}\n'), Item);
    expect(error).toMatchObject({ line: 1, code: 'E_SCHEMA' });
    expect((error as JsonlError).reason).toMatch(/^n: /);
  });

  it('throws E_SCHEMA with the dotted path of a nested field', async () => {
    const Nested = z.object({ meta: z.object({ tags: z.array(z.string()) }) });
    const { error } = await parseUntilError(bytes('{"meta":{"tags":["a",2]}}\n'), Nested);
    expect(error).toMatchObject({ line: 1, code: 'E_SCHEMA' });
    expect((error as JsonlError).message).toMatch(/^line 1: meta\.tags\.1: /);
  });

  it('throws E_SCHEMA for a battle with an unknown winner, naming the winner field', async () => {
    const line = '{"model_a":"a","model_b":"b","winner":"model_c"}\n';
    const { error } = await parseUntilError(bytes(line), Battle);
    expect(error).toMatchObject({ line: 1, code: 'E_SCHEMA' });
    expect((error as JsonlError).reason).toMatch(/^winner: /);
  });

  it('throws E_SCHEMA for a testing-data line whose id has a forbidden character', async () => {
    const { error } = await parseUntilError(bytes('{"id":"q 1","prompt":"Hi"}\n'), TestingRecord);
    expect(error).toMatchObject({ line: 1, code: 'E_SCHEMA' });
    expect((error as JsonlError).reason).toMatch(/^id: must be 1–128 characters/);
  });

  it('throws E_UTF8 with the line number for invalid UTF-8', async () => {
    const { records, error } = await parseUntilError(
      bytes('{"id":"a","n":1}\n{"id":"', [0xff], '","n":2}\n'),
      Item,
    );
    expect(records).toEqual([{ id: 'a', n: 1 }]);
    expect(error).toMatchObject({ line: 2, code: 'E_UTF8', message: 'line 2: invalid UTF-8' });
  });

  it('throws E_LINE_TOO_LONG with the line number for a line over maxLineBytes', async () => {
    const input = bytes('{"id":"a","n":1}\n', `{"id":"${'x'.repeat(100)}","n":2}\n`);
    const { error } = await parseUntilError(input, Item, { maxLineBytes: 64 });
    expect(error).toMatchObject({ line: 2, code: 'E_LINE_TOO_LONG' });
    expect((error as JsonlError).reason).toBe('line is longer than the limit (115 bytes)');
  });
});

describe('parseJsonl progress', () => {
  it('reports the running line count every progressEvery lines, blank lines included', async () => {
    const counts: number[] = [];
    const input = bytes(
      '{"id":"a","n":1}\n\n{"id":"b","n":2}\n{"id":"c","n":3}\n\n{"id":"d","n":4}\n{"id":"e","n":5}\n',
    );
    await parseAll(input, Item, { progressEvery: 2, onProgress: (lines) => counts.push(lines) });
    expect(counts).toEqual([2, 4, 6]);
  });

  it('reports progress every 65,536 lines by default', async () => {
    const counts: number[] = [];
    const records = await parseAll(bytes('{}\n'.repeat(2 * 65_536 + 5)), z.object({}), {
      onProgress: (lines) => counts.push(lines),
    });
    expect(records).toHaveLength(2 * 65_536 + 5);
    expect(counts).toEqual([65_536, 131_072]);
  });

  it('reports progress for lines read before an error', async () => {
    const counts: number[] = [];
    const { error } = await parseUntilError(bytes('{"id":"a","n":1}\n{"id":"b","n":2}\nnope\n'), Item, {
      progressEvery: 1,
      onProgress: (lines) => counts.push(lines),
    });
    expect(error).toMatchObject({ line: 3, code: 'E_JSON' });
    expect(counts).toEqual([1, 2, 3]);
  });
});

describe('parseRecord', () => {
  it('parses one line of text against a schema', () => {
    expect(parseRecord(7, '{"id":"a","n":1}', Item)).toEqual({ id: 'a', n: 1 });
  });

  it('throws a JsonlError carrying the line number it was given', () => {
    expect(() => parseRecord(7, '[]', Item)).toThrow(
      expect.objectContaining({ line: 7, code: 'E_NOT_OBJECT' }),
    );
  });
});

describe('describeZodError', () => {
  it('names at most the first three problems, each by field path', () => {
    const Five = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string() });
    const result = Five.safeParse({});
    expect(result.success).toBe(false);
    const description = result.success ? '' : describeZodError(result.error);
    const parts = description.split('; ');
    expect(parts).toHaveLength(3);
    expect(parts.map((part) => part.split(':')[0])).toEqual(['a', 'b', 'c']);
  });

  it('gives the bare message for a problem at the root', () => {
    const result = z.string().safeParse(1);
    expect(result.success).toBe(false);
    const description = result.success ? '' : describeZodError(result.error);
    expect(description).toMatch(/^Invalid input/);
  });
});
