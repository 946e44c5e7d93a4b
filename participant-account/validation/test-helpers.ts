/** Shared by the validation rule tests: inputs as bytes, fed whole and in odd chunk sizes. */
import { expect } from 'vitest';
import type { TestingRecord } from '../../shared/contracts/testing-data.js';
import { ValidationReport } from './report.js';
import { type ValidationOptions, validateTestingData } from './validate-testing-data.js';

const encoder = new TextEncoder();

export const BOM = [0xef, 0xbb, 0xbf];

/** Bytes from text (encoded as UTF-8) and raw byte values, in order. */
export function bytes(...parts: Array<string | number[]>): Uint8Array {
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

/** One testing-data line (no line ending): `{"id":…,"prompt":…}` plus any extra fields. */
export function line(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, prompt: `prompt for ${id}`, ...extra });
}

/** Splits input into chunks of `size` bytes, the way a stream with a small buffer delivers it. */
export function* chunksOf(input: Uint8Array, size: number): Generator<Uint8Array> {
  for (let start = 0; start < input.length; start += size) yield input.subarray(start, start + size);
}

async function* asAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Odd sizes that split line endings, CRLF pairs, the BOM and multi-byte characters. */
export const ODD_CHUNK_SIZES = [1, 2, 3, 5, 7, 13, 64, 1000];

/**
 * Validates `input` whole, then fed in each chunk size (alternately as a sync and an async source),
 * and expects the same report every time; the report must also satisfy the `ValidationReport` schema.
 */
export async function validate(
  input: Uint8Array | string,
  options: ValidationOptions = {},
  chunkSizes: readonly number[] = ODD_CHUNK_SIZES,
): Promise<ValidationReport> {
  const data = typeof input === 'string' ? encoder.encode(input) : input;
  const whole = await validateTestingData([data], options);
  expect(ValidationReport.safeParse(whole).success).toBe(true);
  for (const [k, size] of chunkSizes.entries()) {
    const source = k % 2 === 0 ? chunksOf(data, size) : asAsync(chunksOf(data, size));
    expect(await validateTestingData(source, options), `fed in chunks of ${size} bytes`).toEqual(whole);
  }
  return whole;
}

/** The findings as `[line, code]` pairs: what most rule tests assert exactly. */
export function errorsOf(report: ValidationReport): Array<[number | null, string]> {
  return report.errors.map((error) => [error.line, error.code]);
}

export function warningsOf(report: ValidationReport): Array<[number | null, string]> {
  return report.warnings.map((warning) => [warning.line, warning.code]);
}

/** The records handed to `onValidLine`, with their line numbers. */
export async function validRecords(
  input: Uint8Array | string,
  options: ValidationOptions = {},
): Promise<Array<[number, TestingRecord]>> {
  const seen: Array<[number, TestingRecord]> = [];
  await validateTestingData([typeof input === 'string' ? encoder.encode(input) : input], {
    ...options,
    onValidLine: (record, lineNumber) => {
      seen.push([lineNumber, record]);
    },
  });
  return seen;
}

/**
 * A source that never ends: `make(n)` gives the n-th chunk. Records how many chunks were pulled and
 * whether the consumer closed it, to show that reading stops at a limit.
 */
export function endlessSource(make: (n: number) => Uint8Array): {
  readonly source: Generator<Uint8Array>;
  readonly pulled: () => number;
  readonly closed: () => boolean;
} {
  let pulled = 0;
  let closed = false;
  function* generate(): Generator<Uint8Array> {
    try {
      for (;;) {
        pulled += 1;
        yield make(pulled - 1);
      }
    } finally {
      closed = true;
    }
  }
  return { source: generate(), pulled: () => pulled, closed: () => closed };
}
