import type * as z from 'zod';
import { type ReadLinesOptions, readLines } from './read-lines.js';

export type JsonlErrorCode = 'E_UTF8' | 'E_LINE_TOO_LONG' | 'E_JSON' | 'E_NOT_OBJECT' | 'E_SCHEMA';

/** A JSONL line that could not be used: always says which line and why. */
export class JsonlError extends Error {
  override readonly name = 'JsonlError';
  constructor(
    readonly line: number,
    readonly code: JsonlErrorCode,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export interface ParseJsonlOptions extends ReadLinesOptions {
  /** Called with the running line count every `progressEvery` lines (for progress bars). */
  readonly onProgress?: (lines: number) => void;
  readonly progressEvery?: number;
}

/** Describes a zod failure by field path: `winner: Invalid option: expected one of ...`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * Parses a JSONL stream record by record against a schema. Blank lines are skipped; the first bad
 * line throws a {@link JsonlError} carrying its 1-based number, so a caller can refuse the whole file
 * before writing anything.
 */
export async function* parseJsonl<S extends z.ZodType>(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  schema: S,
  options: ParseJsonlOptions = {},
): AsyncGenerator<z.output<S>> {
  const every = options.progressEvery ?? 65_536;
  for await (const line of readLines(source, options)) {
    if (options.onProgress && line.lineNumber % every === 0) options.onProgress(line.lineNumber);
    if ('problem' in line) {
      throw new JsonlError(
        line.lineNumber,
        line.problem,
        line.problem === 'E_UTF8' ? 'invalid UTF-8' : `line is longer than the limit (${line.bytes} bytes)`,
      );
    }
    if (line.text.trim() === '') continue;
    yield parseRecord(line.lineNumber, line.text, schema);
  }
}

export function parseRecord<S extends z.ZodType>(lineNumber: number, text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonlError(lineNumber, 'E_JSON', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsonlError(lineNumber, 'E_NOT_OBJECT', 'not a JSON object');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new JsonlError(lineNumber, 'E_SCHEMA', describeZodError(parsed.error));
  return parsed.data;
}
