import { publishBoards } from '../../../leaderboard-account/app/publish-boards.js';
import { BoardState, EvaluationRecord, keys } from '../../../leaderboard-account/app/records.js';
import type { LeagueConfig } from '../../../shared/config/league-config.js';
import { readJson } from '../../../shared/storage/json-object.js';
import type { ObjectStore } from '../../../shared/storage/object-store.js';

export interface ResumeDeps {
  readonly config: LeagueConfig;
  /** The leaderboard state bucket. */
  readonly state: ObjectStore;
  /** The site bucket. */
  readonly site: ObjectStore;
  readonly queue: { send(message: { team: string; submissionId: string }): Promise<void> };
  readonly now: () => Date;
}

export interface Resumed {
  /** Evaluations queued again because a stop or a crash left them queued or half-judged. */
  readonly unjudged: number;
  /** Judged (`completed`) but not in the board state: queued again, so the judge records them. */
  readonly unrecorded: number;
}

/**
 * What SQS would still hold after a crash, rebuilt from the state bucket at start (the local queue
 * lives in memory). Deployed, a message is deleted only once its evaluation is judged and recorded,
 * so a Lambda that dies anywhere on the way is simply delivered again; locally a SIGKILL drops the
 * queue, so every evaluation whose work is not finished is queued again:
 * - `queued` or `running`: judged from its checkpoints (no judgment is made twice);
 * - `completed` but missing from the board state: the judge's next delivery records it (recording
 *   is idempotent);
 * and then the site is brought up to the board state once (every team page and board, each written
 * only over an older version; nothing while frozen), which heals a crash between the board state's
 * merge and the files published from it.
 */
export async function resumeUnfinishedWork(deps: ResumeDeps): Promise<Resumed> {
  const board = (await readJson(deps.state, keys.boardState(), BoardState))?.value;
  let unjudged = 0;
  let unrecorded = 0;
  for (const key of await deps.state.list('evaluations/')) {
    const found = await readJson(deps.state, key, EvaluationRecord);
    if (!found) continue;
    const { status, team, submissionId } = found.value;
    if (status === 'queued' || status === 'running') unjudged += 1;
    else if (status === 'completed' && !board?.teams[team]?.submissions[submissionId]) unrecorded += 1;
    else continue;
    await deps.queue.send({ team, submissionId });
  }
  if (board) await publishBoards({ config: deps.config, store: deps.state, site: deps.site, now: deps.now });
  return { unjudged, unrecorded };
}
