import { createHash } from 'node:crypto';
import { checkObjectKey } from './object-key.js';
import { type ObjectStore, PreconditionFailed, type PutOptions, type StoredObject } from './object-store.js';

/**
 * The {@link ObjectStore} in memory, for unit tests of use cases: S3's semantics where the League
 * relies on them (conditional writes, sorted listing, every key checked as the S3 adapter does).
 */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();

  async get(key: string): Promise<StoredObject | undefined> {
    return this.objects.get(checkObjectKey(key));
  }

  async put(key: string, body: string | Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    const current = this.objects.get(checkObjectKey(key));
    if (options.ifNoneMatch === '*' && current) throw new PreconditionFailed(key);
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) throw new PreconditionFailed(key);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    this.objects.set(key, { body: bytes, etag, metadata: { ...options.metadata } });
    return { etag };
  }

  async list(prefix: string): Promise<string[]> {
    checkObjectKey(prefix, { prefix: true });
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(checkObjectKey(key));
  }
}
