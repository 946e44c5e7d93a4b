import type { TeamRegistration } from '../../shared/config/league-config.js';
import { NotFound, TooManyRequests } from '../../shared/lambda/errors.js';
import { readJson, updateJson } from '../../shared/storage/json-object.js';
import { publishHeldSnapshots } from './daily-snapshot.js';
import {
  latestSnapshot,
  liveBoards,
  type PublishDeps,
  publishBoards,
  teamHistory,
} from './publish-boards.js';
import { loadStoredSubmission } from './record-evaluation.js';
import {
  BoardState,
  DailySelections,
  EMPTY_BOARD_STATE,
  EvaluationRecord,
  type EvaluationSummary,
  keys,
  nextUtcDay,
} from './records.js';
import { loadCheckpoints, loadQuestionSet } from './run-evaluation.js';

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

/**
 * Freeze (stop publishing, e.g. for the final hour) or unfreeze the public board. Frozen, every
 * public file stays as this publish leaves it; unfrozen, everything is published again, with the
 * daily snapshots taken meanwhile.
 */
export async function setFrozen(deps: PublishDeps, frozen: boolean): Promise<BoardState> {
  const state = await changeState(deps, (s) => (s.frozen === frozen ? undefined : { ...s, frozen }));
  await publishBoards(deps, { freezing: frozen });
  if (!frozen) await publishHeldSnapshots(deps, state);
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

/**
 * A team picks which of its judged submissions stands for it (used when selection is `selected`).
 * An id the team has no judged submission for is 404 (own keys only: `__proto__` is not a
 * submission); each change of selection counts against a daily cap, as submissions do, since each
 * one republishes the boards.
 */
export async function selectSubmission(
  deps: PublishDeps,
  team: TeamRegistration,
  submissionId: string,
): Promise<{ selected: string; changed: boolean }> {
  const current = (await readJson(deps.store, keys.boardState(), BoardState))?.value ?? EMPTY_BOARD_STATE;
  const entry = Object.hasOwn(current.teams, team.teamId) ? current.teams[team.teamId] : undefined;
  if (!entry || !Object.hasOwn(entry.submissions, submissionId))
    throw new NotFound(`no judged submission ${submissionId} for team ${team.teamId}`);
  if (entry.selected === submissionId) return { selected: submissionId, changed: false };

  const now = deps.now();
  const cap = deps.config.dailySelectionCap;
  const admitted = await updateJson(
    deps.store,
    keys.dailySelections(team.teamId, now.toISOString().slice(0, 10)),
    DailySelections,
    (counted) => {
      const selections = counted?.selections ?? [];
      if (selections.length >= cap) return { result: false };
      return {
        value: { selections: [...selections, { submissionId, at: now.toISOString() }] },
        result: true,
      };
    },
  );
  if (!admitted) {
    const tomorrow = nextUtcDay(now);
    throw new TooManyRequests(
      `daily selection cap reached (${cap} changes a day); the next change is allowed at ${tomorrow}`,
      tomorrow,
    );
  }
  await changeState(deps, (s) => {
    const latest = s.teams[team.teamId];
    if (!latest || !Object.hasOwn(latest.submissions, submissionId) || latest.selected === submissionId)
      return undefined;
    return { ...s, teams: { ...s.teams, [team.teamId]: { ...latest, selected: submissionId } } };
  });
  await publishBoards(deps, { teams: [team.teamId] });
  return { selected: submissionId, changed: true };
}

/**
 * GET /admin/boards: what the organiser sees whatever the public sees: every board of both splits
 * computed from the state as it is now (frozen or not, revealed or not), and every team's history.
 * With `team`, also every flagged answer of that team in full: per submission and question, each
 * flag's code and what matched, from the stored judgments.
 */
export async function organiserView(deps: PublishDeps, options: { team?: string } = {}) {
  const state = (await readJson(deps.store, keys.boardState(), BoardState))?.value ?? EMPTY_BOARD_STATE;
  const questions = await loadQuestionSet(deps.store, deps.config.questionSetId);
  const boards = liveBoards(deps, state, questions, await latestSnapshot(deps.store));
  const everything = { ...state, revealed: true };
  const view = {
    version: state.version,
    frozen: state.frozen,
    revealed: state.revealed,
    selection: state.selection ?? deps.config.selection,
    flaggedPolicy: deps.config.judge.flaggedPolicy,
    boards: Object.fromEntries(boards),
    teams: Object.fromEntries(
      Object.keys(state.teams).map((team) => [team, teamHistory(deps.config, everything, questions, team)]),
    ),
  };
  const { team } = options;
  if (team === undefined) return view;
  const entry = Object.hasOwn(state.teams, team) ? state.teams[team] : undefined;
  if (!entry) throw new NotFound(`no judged submission of team ${team}`);
  const flags: Record<string, Record<string, { code: string; detail: string }[]>> = {};
  // Each submission's judging in full: swap consistency, failures, tokens and cost, and with a judge
  // panel each judge's record and every pair's agreement (Cohen's kappa).
  const judging: Record<string, EvaluationSummary | null> = {};
  for (const submissionId of Object.keys(entry.submissions)) {
    const record = await readJson(deps.store, keys.evaluation(team, submissionId), EvaluationRecord);
    judging[submissionId] = record?.value.summary ?? null;
  }
  for (const [submissionId, stored] of Object.entries(entry.submissions)) {
    if (!stored.flags) continue;
    const answers: Record<string, { code: string; detail: string }[]> = {};
    for (const judgment of await loadCheckpoints(deps.store, team, submissionId)) {
      if (judgment.flags.length > 0 && judgment.order !== 'reference-first')
        answers[judgment.questionId] = judgment.flags;
    }
    flags[submissionId] = answers;
  }
  return { ...view, flags: { team, submissions: flags }, judging: { team, submissions: judging } };
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
    const team = rebuilt[evaluation.team] ?? { submissions: {} };
    team.submissions[evaluation.submissionId] = await loadStoredSubmission(deps.store, evaluation);
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
