import * as z from 'zod';
import { readJson } from '../../shared/storage/json-object.js';
import { computeBoards } from './board.js';
import { latestSnapshot, type PublishDeps, StoredSnapshot } from './publish-boards.js';
import { publishIfNewer } from './publish-if-newer.js';
import { BoardState, EMPTY_BOARD_STATE, keys, publicKeys } from './records.js';
import { loadQuestionSet } from './run-evaluation.js';

const SnapshotIndex = z.object({ days: z.array(z.string()) });

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
  const stored = { day, boards: Object.fromEntries(boards) };
  await deps.store.put(keys.snapshot(day), JSON.stringify(stored), { contentType: 'application/json' });

  const visible = Object.fromEntries(
    [...boards].filter(([, board]) => board.split === 'public' || state.revealed),
  );
  const body = JSON.stringify({
    day,
    generatedAt: now.toISOString(),
    revealed: state.revealed,
    boards: visible,
  });
  await deps.site.put(publicKeys.snapshot(day), body, {
    contentType: 'application/json',
    cacheControl: 'public, max-age=300',
  });
  const index = (await readJson(deps.site, publicKeys.snapshotIndex(), SnapshotIndex))?.value.days ?? [];
  const days = [...new Set([...index, day])].sort();
  await publishIfNewer(
    deps.site,
    publicKeys.snapshotIndex(),
    JSON.stringify({ days }),
    Date.parse(`${day}T00:00:00Z`),
    {
      contentType: 'application/json',
      cacheControl: 'public, max-age=300',
    },
  );
  return { day, boards: boards.size };
}

export { latestSnapshot };
