import type { ObjectStore } from '../../shared/storage/object-store.js';
import { PreconditionFailed } from '../../shared/storage/object-store.js';

const VERSION_KEY = 'state-version';

/**
 * Writes a published file only if it is newer than what is there: each file carries the board
 * state version it was computed from (object metadata), and the write is conditional on the ETag
 * read, so when two publishers race, the older one can never overwrite the newer one's file.
 */
export async function publishIfNewer(
  store: ObjectStore,
  key: string,
  body: string,
  version: number,
  options: { contentType: string; cacheControl: string },
): Promise<'written' | 'skipped'> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(key);
    const currentVersion = Number(current?.metadata[VERSION_KEY] ?? -1);
    if (current && currentVersion >= version) return 'skipped';
    try {
      await store.put(key, body, {
        ...options,
        metadata: { [VERSION_KEY]: String(version) },
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
      });
      return 'written';
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || attempt >= 20) throw error;
    }
  }
}
