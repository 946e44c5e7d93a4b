/**
 * The object store port: what the League needs of S3, conditional writes included. Adapters: S3
 * (`s3-object-store.ts`, also used against the local s3rver), and an in-memory store for unit tests
 * of use cases.
 */
export interface StoredObject {
  readonly body: Uint8Array;
  readonly etag: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutOptions {
  /** Write only if the object's current ETag is this one (optimistic concurrency). */
  readonly ifMatch?: string;
  /** `*`: write only if no object exists at the key (create-once). */
  readonly ifNoneMatch?: '*';
  readonly contentType?: string;
  readonly cacheControl?: string;
  /** User metadata (`x-amz-meta-*`), lowercase keys. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A conditional write lost: the object changed (If-Match) or already exists (If-None-Match). */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';
  constructor(readonly key: string) {
    super(`precondition failed for ${key}`);
  }
}

export interface ObjectStore {
  get(key: string): Promise<StoredObject | undefined>;
  /** Throws {@link PreconditionFailed} when a condition does not hold. */
  put(key: string, body: string | Uint8Array, options?: PutOptions): Promise<{ etag: string }>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}
