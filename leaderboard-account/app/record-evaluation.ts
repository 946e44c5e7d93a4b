import type { LeagueConfig } from '../../shared/config/league-config.js';
import type { Judgment } from '../../shared/contracts/judgment.js';
import { ResultRecord } from '../../shared/contracts/results.js';
import { parseJsonl } from '../../shared/jsonl/parse-jsonl.js';
import { logger } from '../../shared/lambda/logger.js';
import { readJson, updateJson } from '../../shared/storage/json-object.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { answerStyle } from '../ranking/answer-style.js';
import type { Clock } from './ports.js';
import { publishBoards, teamHistory } from './publish-boards.js';
import { publishedVersion, publishToSite, type SiteFile } from './publish-if-newer.js';
import {
  BoardState,
  EMPTY_BOARD_STATE,
  EvaluationRecord,
  keys,
  publicKeys,
  type StoredSubmission,
} from './records.js';
import { loadCheckpoints, loadQuestionSet } from './run-evaluation.js';

export interface LeaderboardDeps {
  readonly config: LeagueConfig;
  /** The state bucket. */
  readonly store: ObjectStore;
  /** The site bucket (published JSON under data/). */
  readonly site: ObjectStore;
  readonly now: Clock;
}

/**
 * The leaderboard API's "record": merge a judged submission into the board state (a conditional
 * read-modify-write, so concurrent completions never lose one another), then republish.
 */
export async function recordEvaluation(
  input: { team: string; submissionId: string },
  deps: LeaderboardDeps,
): Promise<void> {
  const evaluation = await readJson(
    deps.store,
    keys.evaluation(input.team, input.submissionId),
    EvaluationRecord,
  );
  if (evaluation?.value.status !== 'completed') {
    logger.warn('not recording an evaluation that is not completed', {
      ...input,
      status: evaluation?.value.status,
    });
    return;
  }
  const stored = await loadStoredSubmission(deps.store, evaluation.value);
  const merged = await updateJson(deps.store, keys.boardState(), BoardState, (current) => {
    const state = current ?? EMPTY_BOARD_STATE;
    const team = state.teams[input.team] ?? { submissions: {} };
    if (JSON.stringify(team.submissions[input.submissionId]) === JSON.stringify(stored))
      return { result: state };
    const next = {
      ...state,
      version: state.version + 1,
      teams: {
        ...state.teams,
        [input.team]: { ...team, submissions: { ...team.submissions, [input.submissionId]: stored } },
      },
    };
    return { value: next, result: next };
  });
  // The team's own page changes only with its own submissions: write it from the state just merged
  // (through the site's one gate, so nothing of it shows while the board is frozen).
  const questions = await loadQuestionSet(deps.store, deps.config.questionSetId);
  const teamPage: SiteFile = {
    key: publicKeys.team(input.team),
    body: JSON.stringify(teamHistory(deps.config, merged, questions, input.team)),
    contentType: 'application/json',
    cacheControl: 'public, max-age=30',
  };
  if ((await publishToSite(deps.site, merged, [teamPage])) === 'frozen') return;
  // The boards: when completions race, only the one whose merge is the latest republishes (its
  // state includes every earlier merge); a crash before that is healed by the retried message,
  // which finds the boards behind the state and republishes.
  const latest = (await readJson(deps.store, keys.boardState(), BoardState))?.value;
  if (
    latest &&
    latest.version === merged.version &&
    (await publishedVersion(deps.site, publicKeys.leaderboard())) < latest.version
  ) {
    await publishBoards(deps, { teams: [] });
  }
}

/**
 * A completed evaluation as the board state keeps it, from what the store holds: its judgments and
 * its answers' styles. Recording and rebuilding both go through here, so a rebuilt board loses none.
 */
export async function loadStoredSubmission(
  store: ObjectStore,
  evaluation: EvaluationRecord,
): Promise<StoredSubmission> {
  const judgments = await loadCheckpoints(store, evaluation.team, evaluation.submissionId);
  return {
    ...toStoredSubmission(evaluation, judgments),
    ...(await answerStyles(store, evaluation.team, evaluation.submissionId)),
  };
}

/**
 * Each answer's style (length and Markdown counts), the covariates of length and style control; read
 * from the results the orchestrator kept. None when they are gone: the boards then show no control.
 */
async function answerStyles(
  store: ObjectStore,
  team: string,
  submissionId: string,
): Promise<Pick<StoredSubmission, 'styles'>> {
  const object = await store.get(keys.results(team, submissionId));
  if (!object) return {};
  const results: ResultRecord[] = [];
  for await (const result of parseJsonl([object.body], ResultRecord)) results.push(result);
  return { styles: storedStyles(results) };
}

/** The answers' styles as the board state keeps them: [chars, headers, list items, bold, code blocks]. */
export function storedStyles(results: Iterable<ResultRecord>): NonNullable<StoredSubmission['styles']> {
  const styles: NonNullable<StoredSubmission['styles']> = {};
  for (const result of results) {
    const style = answerStyle(result.response);
    styles[result.id] = [style.chars, style.headers, style.listItems, style.bold, style.codeBlocks];
  }
  return styles;
}

/** The compact record of a judged submission the boards are computed from; failed judgments are left out. */
export function toStoredSubmission(
  evaluation: EvaluationRecord,
  judgments: readonly Judgment[],
): StoredSubmission {
  const ok = judgments.filter((j) => !j.error);
  const games = ok
    .filter((j) => j.verdict && j.order !== 'single')
    .map(
      (j) =>
        [j.questionId, j.order === 'candidate-first' ? 'c' : 'r', j.verdict] as [
          string,
          'c' | 'r',
          NonNullable<Judgment['verdict']>,
        ],
    )
    .sort((a, b) => (a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0] < b[0] ? -1 : 1));
  const grades: Record<string, Record<string, number>> = {};
  for (const j of ok) if (j.scores) grades[j.questionId] = j.scores;
  // Each answer's flags once (both orders of a question carry the same answer's flags).
  const flags: Record<string, string[]> = {};
  for (const j of judgments) {
    if (j.flags.length > 0 && j.order !== 'reference-first')
      flags[j.questionId] = [...new Set(j.flags.map((f) => f.code))].sort();
  }
  return {
    model: evaluation.modelName,
    submittedAt: evaluation.createdAt,
    ...(games.length > 0 ? { games } : {}),
    ...(Object.keys(grades).length > 0 ? { grades } : {}),
    ...(Object.keys(flags).length > 0 ? { flags } : {}),
  };
}
