import * as z from 'zod';
import { readJson } from '../../shared/storage/json-object.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { computeBoards } from './board.js';
import { latestSnapshot, type PublishDeps, StoredSnapshot } from './publish-boards.js';
import { publishToSite, type SiteFile } from './publish-if-newer.js';
import { BoardState, EMPTY_BOARD_STATE, keys, publicKeys } from './records.js';
import { loadQuestionSet } from './run-evaluation.js';

const SnapshotIndex = z.object({ days: z.array(z.string()) });
const DAILY = { contentType: 'application/json', cacheControl: 'public, max-age=300' };

/**
 * The daily snapshot (EventBridge, 10:00 UTC): every board as of now, with rank changes against the
 * previous snapshot, kept in the state bucket and published as `data/snapshots/YYYY-MM-DD.json`
 * (public split only until the private split is revealed). Running it twice on one day rewrites
 * that day's snapshot; rank changes are always against an earlier day.
 */
export async function takeDailySnapshot(deps: PublishDeps): Promise<{ day: string; boards: number }> {
  const now = deps.now();
  const day = now.toISOString().slice(0, 10);
  const state = (await readJson(deps.store, keys.boardState(), BoardState))?.value ?? EMPTY_BOARD_STATE;
  const questions = await loadQuestionSet(deps.store, deps.config.questionSetId);
  const earlier = (await deps.store.list('snapshots/')).filter((key) => key < keys.snapshot(day));
  const lastKey = earlier[earlier.length - 1];
  const previous = lastKey ? (await readJson(deps.store, lastKey, StoredSnapshot))?.value : undefined;
  const boards = computeBoards(
    deps.config,
    state,
    questions,
    new Map(Object.entries(previous?.boards ?? {})),
    now,
  );
  const stored = { day, generatedAt: now.toISOString(), boards: Object.fromEntries(boards) };
  await deps.store.put(keys.snapshot(day), JSON.stringify(stored), { contentType: 'application/json' });
  await publishSnapshots(deps, state, [stored]);
  return { day, boards: boards.size };
}

/**
 * Publishes stored snapshots (the public split only until the private split is revealed) and the
 * index of days, through the site's one gate: a snapshot taken while the board is frozen stays in
 * the state bucket until the organiser unfreezes.
 */
export async function publishSnapshots(
  deps: PublishDeps,
  state: BoardState,
  snapshots: readonly z.infer<typeof StoredSnapshot>[],
): Promise<'published' | 'frozen'> {
  if (state.frozen || snapshots.length === 0) return state.frozen ? 'frozen' : 'published';
  const files: SiteFile[] = snapshots.map((snapshot) => ({
    key: publicKeys.snapshot(snapshot.day),
    body: JSON.stringify({
      day: snapshot.day,
      generatedAt: snapshot.generatedAt ?? `${snapshot.day}T00:00:00.000Z`,
      revealed: state.revealed,
      boards: Object.fromEntries(
        Object.entries(snapshot.boards).filter(([, board]) => board.split === 'public' || state.revealed),
      ),
    }),
    ...DAILY,
    version: 'overwrite',
  }));
  await publishToSite(deps.site, state, files);
  const index = await publishedSnapshotDays(deps.site);
  const days = [...new Set([...index, ...snapshots.map((s) => s.day)])].sort();
  const last = days[days.length - 1] ?? '1970-01-01';
  return publishToSite(deps.site, state, [
    {
      key: publicKeys.snapshotIndex(),
      body: JSON.stringify({ days }),
      ...DAILY,
      // Versioned by its newest day, so an index missing a day never replaces a fuller one.
      version: Date.parse(`${last}T00:00:00Z`) + days.length,
    },
  ]);
}

/** The days of the published daily snapshots, as the site's index lists them. */
export async function publishedSnapshotDays(site: ObjectStore): Promise<string[]> {
  return (await readJson(site, publicKeys.snapshotIndex(), SnapshotIndex))?.value.days ?? [];
}

/**
 * After an unfreeze: the stored snapshots the site does not list yet (taken while frozen), published.
 */
export async function publishHeldSnapshots(deps: PublishDeps, state: BoardState): Promise<number> {
  const listed = new Set(await publishedSnapshotDays(deps.site));
  const held: z.infer<typeof StoredSnapshot>[] = [];
  for (const key of await deps.store.list('snapshots/')) {
    const snapshot = (await readJson(deps.store, key, StoredSnapshot))?.value;
    if (snapshot && !listed.has(snapshot.day)) held.push(snapshot);
  }
  await publishSnapshots(deps, state, held);
  return held.length;
}

export { latestSnapshot };
