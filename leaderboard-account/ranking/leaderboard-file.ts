import {
  type LeaderboardFile,
  type LeaderboardResult,
  leaderboardKey,
} from '../../shared/contracts/leaderboard-file.js';
import type { Snapshot } from '../../shared/contracts/snapshot.js';

export { leaderboardKey };

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/**
 * Puts `result` into the file under its `team-model` key and returns a new file; the input is not touched.
 *
 * Only the latest result per key is kept. "Latest" means the latest `metadata.submittedAt`, not the
 * latest call: an update run replaying an older submission (a re-run of an old artifact, or two updates
 * landing out of order) must not roll a team back, so an incoming result submitted strictly before the
 * stored one is ignored. An equal `submittedAt` replaces the stored result (a re-evaluation of the same
 * submission). `lastUpdated` is set to `now` either way, since the file was regenerated.
 *
 * Keys are written in sorted order so that the serialised file, and so its diff, is stable.
 */
export function upsertLeaderboard(
  file: LeaderboardFile | undefined,
  result: LeaderboardResult,
  now: Date,
): LeaderboardFile {
  const key = leaderboardKey(result.metadata.team, result.metadata.model);
  const stored = file?.results[key];
  const keepStored =
    stored !== undefined && Date.parse(result.metadata.submittedAt) < Date.parse(stored.metadata.submittedAt);
  const merged: Record<string, LeaderboardResult> = { ...file?.results, [key]: keepStored ? stored : result };

  const results: Record<string, LeaderboardResult> = {};
  for (const k of Object.keys(merged).sort(compareStrings)) {
    const entry = merged[k];
    if (entry !== undefined) results[k] = entry;
  }
  return { lastUpdated: now.toISOString(), results };
}

/**
 * The results in rank order: descending score, then descending lower CI bound (the surer of two equal
 * scores first), then earliest submission (who got there first), then team and model so the order is
 * total and never depends on key order.
 */
export function sortedResults(file: LeaderboardFile): LeaderboardResult[] {
  return Object.values(file.results).sort(
    (a, b) =>
      b.summary.score - a.summary.score ||
      b.summary.ciLow - a.summary.ciLow ||
      Date.parse(a.metadata.submittedAt) - Date.parse(b.metadata.submittedAt) ||
      compareStrings(a.metadata.team, b.metadata.team) ||
      compareStrings(a.metadata.model, b.metadata.model),
  );
}

/**
 * A published board (the site's `data/leaderboard.json` or any `data/boards/...` file) as README
 * results, in its rank order; a team is shown by its display name when the board names it.
 */
export function resultsFromBoard(
  board: Snapshot,
  teamNames: Readonly<Record<string, string>> = {},
): LeaderboardResult[] {
  return [...board.entries]
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => ({
      metadata: {
        team: teamNames[entry.team] ?? entry.team,
        model: entry.model,
        submissionId: entry.submissionId,
        submittedAt: entry.submittedAt,
      },
      summary: {
        score: entry.score,
        ciLow: entry.ciLow,
        ciHigh: entry.ciHigh,
        nEvals: entry.nEvals,
        method: board.method,
        ...(Object.keys(entry.criteria).length > 0 ? { criteria: entry.criteria } : {}),
      },
    }));
}
