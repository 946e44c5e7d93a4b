import type { ObjectStore } from '../../shared/storage/object-store.js';
import { PreconditionFailed } from '../../shared/storage/object-store.js';
import type { BoardState } from './records.js';

const VERSION_KEY = 'state-version';

/** One public file to write. */
export interface SiteFile {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
  /**
   * The version the file is written at (default: the board state's). A file is written only over
   * an older one; `'overwrite'` writes it whatever is there (a day's snapshot taken again).
   */
  readonly version?: number | 'overwrite';
}

/**
 * The one way anything reaches the public site. While the board is frozen nothing is written
 * (team pages, boards, battles, ratings, snapshots alike), except by the publish that freezes it:
 * what the public saw at the freeze is what it sees until the organiser unfreezes. `state` is the
 * board state the files were computed from.
 */
export async function publishToSite(
  site: ObjectStore,
  state: Pick<BoardState, 'version' | 'frozen'>,
  files: readonly SiteFile[],
  options: { freezing?: boolean } = {},
): Promise<'published' | 'frozen'> {
  if (state.frozen && !options.freezing) return 'frozen';
  await Promise.all(
    files.map((file) => {
      const metadata = { [VERSION_KEY]: String(file.version ?? state.version) };
      const put = { contentType: file.contentType, cacheControl: file.cacheControl, metadata };
      return file.version === 'overwrite'
        ? site.put(file.key, file.body, put)
        : publishIfNewer(site, file.key, file.body, file.version ?? state.version, put);
    }),
  );
  return 'published';
}

/** The board state version a published file was computed from; -1 when it is not there. */
export async function publishedVersion(site: ObjectStore, key: string): Promise<number> {
  const current = await site.get(key);
  return Number(current?.metadata[VERSION_KEY] ?? -1);
}

/**
 * Writes a published file only if it is newer than what is there: each file carries the board
 * state version it was computed from (object metadata), and the write is conditional on the ETag
 * read, so when two publishers race, the older one can never overwrite the newer one's file.
 */
async function publishIfNewer(
  store: ObjectStore,
  key: string,
  body: string,
  version: number,
  options: { contentType: string; cacheControl: string; metadata: Record<string, string> },
): Promise<'written' | 'skipped'> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(key);
    const currentVersion = Number(current?.metadata[VERSION_KEY] ?? -1);
    if (current && currentVersion >= version) return 'skipped';
    try {
      await store.put(key, body, {
        ...options,
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
      });
      return 'written';
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || attempt >= 20) throw error;
    }
  }
}
