import type * as z from 'zod';
import type { ObjectStore, PutOptions } from './object-store.js';
import { PreconditionFailed } from './object-store.js';

/** Reads a JSON object and validates it; undefined when absent. A corrupt object is an error, not "absent". */
export async function readJson<S extends z.ZodType>(
  store: ObjectStore,
  key: string,
  schema: S,
): Promise<{ value: z.output<S>; etag: string } | undefined> {
  const object = await store.get(key);
  if (!object) return undefined;
  const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(object.body)));
  if (!parsed.success)
    throw new Error(`${key} does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`);
  return { value: parsed.data, etag: object.etag };
}

export interface UpdateOptions {
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly putOptions?: Omit<PutOptions, 'ifMatch' | 'ifNoneMatch'>;
}

/**
 * Read-modify-write of a JSON object with a conditional write: If-Match on the ETag read (or
 * If-None-Match when creating), retried with full-jitter back-off when another writer got there
 * first. `update` returns the new value, or undefined to leave the object as it is.
 * Concurrent updaters never lose each other's changes.
 */
export async function updateJson<S extends z.ZodType, R>(
  store: ObjectStore,
  key: string,
  schema: S,
  update: (
    current: z.output<S> | undefined,
  ) => { value: z.output<S>; result: R } | { value?: undefined; result: R },
  options: UpdateOptions = {},
): Promise<R> {
  const maxAttempts = options.maxAttempts ?? 50;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    const current = await readJson(store, key, schema);
    const next = update(current?.value);
    if (next.value === undefined) return next.result;
    try {
      await store.put(key, JSON.stringify(next.value), {
        contentType: 'application/json',
        ...options.putOptions,
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
      });
      return next.result;
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || attempt >= maxAttempts) throw error;
      await sleep(Math.random() * Math.min(1000, 10 * 2 ** Math.min(attempt, 7)));
    }
  }
}
