import { createReadStream } from 'node:fs';
import type * as z from 'zod';
import { JsonlError, parseJsonl } from '../../shared/jsonl/parse-jsonl.js';
import { UsageError } from './errors.js';

/** Reads a whole (small) JSONL file against a schema; a bad line is a usage error naming the line. */
export async function readJsonlFile<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>[]> {
  const records: z.output<S>[] = [];
  try {
    for await (const record of parseJsonl(createReadStream(path), schema)) records.push(record);
  } catch (error) {
    if (error instanceof JsonlError) throw new UsageError(`${path}:${error.line}: ${error.reason}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${path}: is a directory`);
    throw error;
  }
  return records;
}
