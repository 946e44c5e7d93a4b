import type { TeamRegistration } from '../../shared/config/league-config.js';
import { NotFound } from '../../shared/lambda/errors.js';
import { readJson, updateJson } from '../../shared/storage/json-object.js';
import { type PublishDeps, publishBoards } from './publish-boards.js';
import { toStoredSubmission } from './record-evaluation.js';
import { BoardState, EMPTY_BOARD_STATE, EvaluationRecord, keys } from './records.js';
import { loadCheckpoints } from './run-evaluation.js';

/** Organiser and team actions on the board state; each one bumps the version and republishes. */
async function changeState(
  deps: PublishDeps,
  change: (state: BoardState) => BoardState | undefined,
): Promise<BoardState> {
  const next = await updateJson(deps.store, keys.boardState(), BoardState, (current) => {
    const state = current ?? EMPTY_BOARD_STATE;
    const changed = change(state);
    return changed
      ? {
          value: { ...changed, version: state.version + 1 },
          result: { ...changed, version: state.version + 1 },
        }
      : { result: state };
  });
  return next;
}

/** Freeze (stop publishing, e.g. for the final hour) or unfreeze the public board. */
export async function setFrozen(deps: PublishDeps, frozen: boolean): Promise<BoardState> {
  const state = await changeState(deps, (s) => (s.frozen === frozen ? undefined : { ...s, frozen }));
  await publishBoards(deps, { freezing: frozen });
  return state;
}

/** Reveal the private split: its boards and the teams' private scores are published from now on. */
export async function setRevealed(deps: PublishDeps, revealed: boolean): Promise<BoardState> {
  const state = await changeState(deps, (s) => (s.revealed === revealed ? undefined : { ...s, revealed }));
  await publishBoards(deps);
  return state;
}

/** How a team's entry is picked: its best public submission, or the one it selected. */
export async function setSelectionMode(
  deps: PublishDeps,
  selection: 'best' | 'selected',
): Promise<BoardState> {
  const state = await changeState(deps, (s) => (s.selection === selection ? undefined : { ...s, selection }));
  await publishBoards(deps);
  return state;
}

/** A team picks which of its completed submissions stands for it (used when selection is `selected`). */
export async function selectSubmission(
  deps: PublishDeps,
  team: TeamRegistration,
  submissionId: string,
): Promise<void> {
  let known = false;
  await changeState(deps, (s) => {
    const entry = s.teams[team.teamId];
    known = entry?.submissions[submissionId] !== undefined;
    if (!entry || !known || entry.selected === submissionId) return undefined;
    return { ...s, teams: { ...s.teams, [team.teamId]: { ...entry, selected: submissionId } } };
  });
  if (!known) throw new NotFound(`no judged submission ${submissionId} for team ${team.teamId}`);
  await publishBoards(deps, { teams: [team.teamId] });
}

/**
 * Recomputes and republishes every board and team page from the board state with the current
 * settings (after changing MIN_EVALS, SIGNIFICANT, the selection rule or the scoring mode).
 */
export async function republish(deps: PublishDeps): Promise<{ published: 'published' | 'frozen' }> {
  return { published: await publishBoards(deps) };
}

/**
 * Rebuilds the board state from the stored evaluations and judgments (e.g. after restoring data or
 * re-judging), keeping the organiser's flags and the teams' selections, then republishes.
 */
export async function rebuild(deps: PublishDeps): Promise<{ submissions: number }> {
  const rebuilt: BoardState['teams'] = {};
  let count = 0;
  for (const key of await deps.store.list('evaluations/')) {
    const evaluation = (await readJson(deps.store, key, EvaluationRecord))?.value;
    if (evaluation?.status !== 'completed') continue;
    const judgments = await loadCheckpoints(deps.store, evaluation.team, evaluation.submissionId);
    const team = rebuilt[evaluation.team] ?? { submissions: {} };
    team.submissions[evaluation.submissionId] = toStoredSubmission(evaluation, judgments);
    rebuilt[evaluation.team] = team;
    count += 1;
  }
  await changeState(deps, (s) => {
    const teams: BoardState['teams'] = {};
    for (const [team, entry] of Object.entries(rebuilt)) {
      const selected = s.teams[team]?.selected;
      teams[team] = selected && entry.submissions[selected] ? { ...entry, selected } : entry;
    }
    return { ...s, teams };
  });
  await publishBoards(deps);
  return { submissions: count };
}
