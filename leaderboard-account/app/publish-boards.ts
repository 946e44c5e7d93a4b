import * as z from 'zod';
import type { LeagueConfig } from '../../shared/config/league-config.js';
import type { Question } from '../../shared/contracts/question-set.js';
import { Snapshot } from '../../shared/contracts/snapshot.js';
import { readJson } from '../../shared/storage/json-object.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { applyFlagPolicy } from '../ranking/flag-policy.js';
import { boardKey, type JudgedSubmission } from '../ranking/leaderboard.js';
import { PairCountsBuilder } from '../ranking/pair-counts.js';
import { rateBattles, toRatingEntries } from '../ranking/rate-battles.js';
import { rubricScore } from '../ranking/rubric.js';
import { expandBattles, gamesToBattles, winRate } from '../ranking/win-rate.js';
import { computeBoards, judgedSubmissions } from './board.js';
import type { Clock } from './ports.js';
import { publishToSite, type SiteFile } from './publish-if-newer.js';
import { BoardState, EMPTY_BOARD_STATE, keys, publicKeys } from './records.js';
import { loadQuestionSet } from './run-evaluation.js';

export interface PublishDeps {
  readonly config: LeagueConfig;
  readonly store: ObjectStore;
  readonly site: ObjectStore;
  readonly now: Clock;
}

const LIVE = { contentType: 'application/json', cacheControl: 'public, max-age=30' };

/** A day's snapshot as stored (every board, both splits), keyed by board key. */
export const StoredSnapshot = z.object({
  day: z.string(),
  generatedAt: z.string().optional(),
  boards: z.record(z.string(), Snapshot),
});

/**
 * Republishes the public files from the board state: the overall board (`leaderboard.json`), the
 * per-category boards, the private split once revealed, the named teams' history files, and the
 * judgearena artifacts. Rank changes are against the latest daily snapshot. A frozen board is left
 * as it was published.
 */
export async function publishBoards(
  deps: PublishDeps,
  options: { teams?: readonly string[]; freezing?: boolean } = {},
): Promise<'published' | 'frozen'> {
  const state = (await readJson(deps.store, keys.boardState(), BoardState))?.value ?? EMPTY_BOARD_STATE;
  // A frozen board is published once more as it freezes (marked frozen), then left as it is.
  if (state.frozen && !options.freezing) return 'frozen';
  const questions = await loadQuestionSet(deps.store, deps.config.questionSetId);
  const previous = await latestSnapshot(deps.store);
  const boards = liveBoards(deps, state, questions, previous);
  const categories = [...new Set(questions.map((q) => q.category))].sort();
  const teamNames = Object.fromEntries(deps.config.teams.map((t) => [t.teamId, t.displayName]));
  const overall = boards.get(boardKey({ split: 'public', category: null }));
  const files: SiteFile[] = [
    {
      key: publicKeys.leaderboard(),
      body: JSON.stringify({
        ...overall,
        categories,
        teamNames,
        revealed: state.revealed,
        frozen: state.frozen,
        stateVersion: state.version,
      }),
      ...LIVE,
    },
  ];
  for (const board of boards.values()) {
    if (board.split === 'private' && !state.revealed) continue;
    files.push({
      key: publicKeys.board(board.split, board.params.category),
      body: JSON.stringify({ ...board, teamNames, stateVersion: state.version }),
      ...LIVE,
    });
  }
  for (const team of options.teams ?? Object.keys(state.teams)) {
    files.push({
      key: publicKeys.team(team),
      body: JSON.stringify(teamHistory(deps.config, state, questions, team)),
      ...LIVE,
    });
  }
  const artifacts = arenaArtifacts(deps.config, state, questions, boards, state.revealed);
  files.push(
    { key: publicKeys.battles(), body: artifacts.battles, ...LIVE, contentType: 'application/x-ndjson' },
    { key: publicKeys.ratings(), body: artifacts.ratings, ...LIVE },
    // An empty snapshot index until the first daily snapshot (version 0: any real index is newer),
    // so the site never asks for a file that is not there.
    { key: publicKeys.snapshotIndex(), body: JSON.stringify({ days: [] }), ...LIVE, version: 0 },
  );
  return publishToSite(deps.site, state, files, options);
}

/** Every board (both splits, every category) as the state stands, frozen or not, revealed or not. */
export function liveBoards(
  deps: Pick<PublishDeps, 'config' | 'now'>,
  state: BoardState,
  questions: readonly Question[],
  previous: z.infer<typeof StoredSnapshot> | undefined,
): Map<string, Snapshot> {
  return computeBoards(
    deps.config,
    state,
    questions,
    new Map(Object.entries(previous?.boards ?? {})),
    deps.now(),
  );
}

export async function latestSnapshot(
  store: ObjectStore,
): Promise<z.infer<typeof StoredSnapshot> | undefined> {
  const snapshotKeys = await store.list('snapshots/');
  const last = snapshotKeys[snapshotKeys.length - 1];
  return last ? (await readJson(store, last, StoredSnapshot))?.value : undefined;
}

/**
 * A team's page: every submission with its public score (and private, once revealed), scored under
 * the league's flag policy, with its flagged answers counted (the page's marker).
 */
export function teamHistory(
  config: LeagueConfig,
  state: BoardState,
  questions: readonly Question[],
  team: string,
) {
  const entry = state.teams[team];
  const split = (name: 'public' | 'private') =>
    new Set(questions.filter((q) => q.split === name).map((q) => q.id));
  const publicIds = split('public');
  const privateIds = split('private');
  const flagged = (s: JudgedSubmission, ids: ReadonlySet<string>) => {
    const codes: Record<string, number> = {};
    let answers = 0;
    for (const [questionId, list] of s.flags ?? []) {
      if (!ids.has(questionId)) continue;
      answers += 1;
      for (const code of list) codes[code] = (codes[code] ?? 0) + 1;
    }
    return answers > 0 ? { flagged: { answers, codes } } : {};
  };
  const submissions = judgedSubmissions({ ...state, teams: entry ? { [team]: entry } : {} })
    .map((s) => applyFlagPolicy(s, config.judge.flaggedPolicy))
    .map((s) => ({
      submissionId: s.submissionId,
      model: s.model,
      submittedAt: s.submittedAt,
      selected: entry?.selected === s.submissionId,
      public: scoreOn(config, s, publicIds),
      ...(state.revealed ? { private: scoreOn(config, s, privateIds) } : {}),
      ...flagged(s, state.revealed ? new Set([...publicIds, ...privateIds]) : publicIds),
      ...(s.excludedReason ? { excluded: s.excludedReason } : {}),
    }))
    .sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt));
  return {
    team,
    displayName: config.teams.find((t) => t.teamId === team)?.displayName ?? team,
    stateVersion: state.version,
    submissions,
  };
}

function scoreOn(config: LeagueConfig, submission: JudgedSubmission, ids: ReadonlySet<string>) {
  const rounds = { rounds: config.numBootstrap, seed: 0 };
  if (submission.grades && config.criteria) {
    const grades = submission.grades.filter((g) => ids.has(g.questionId));
    if (grades.length === 0) return null;
    const r = rubricScore(grades, config.criteria, rounds);
    return {
      score: r.score,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
      nQuestions: r.nQuestions,
      metric: 'rubric' as const,
    };
  }
  const games = (submission.games ?? []).filter((g) => ids.has(g.questionId));
  if (games.length === 0) return null;
  const r = winRate(games, rounds);
  return {
    score: r.winRate,
    ciLow: r.ciLow,
    ciHigh: r.ciHigh,
    nQuestions: r.nQuestions,
    metric: 'win-rate' as const,
  };
}

/** judgearena-compatible battles of the board's entries against the reference, and their ratings. */
function arenaArtifacts(
  config: LeagueConfig,
  state: BoardState,
  questions: readonly Question[],
  boards: ReadonlyMap<string, Snapshot>,
  revealed: boolean,
): { battles: string; ratings: string } {
  const visible = new Set(questions.filter((q) => q.split === 'public' || revealed).map((q) => q.id));
  const entries = boards.get(boardKey({ split: 'public', category: null }))?.entries ?? [];
  // The games as the boards scored them: under the league's flag policy.
  const scored = new Map(
    judgedSubmissions(state).map((s) => [
      `${s.team}/${s.submissionId}`,
      applyFlagPolicy(s, config.judge.flaggedPolicy),
    ]),
  );
  const builder = new PairCountsBuilder();
  const lines: string[] = [];
  for (const entry of entries) {
    const games = (scored.get(`${entry.team}/${entry.submissionId}`)?.games ?? []).filter((g) =>
      visible.has(g.questionId),
    );
    // Model names are usually `team/model` already; prefix the team only when they are not.
    const candidate = entry.model.startsWith(`${entry.team}/`) ? entry.model : `${entry.team}/${entry.model}`;
    const weighted = gamesToBattles(games, {
      candidate,
      reference: 'reference',
      judgeModel: config.judge.modelId,
    });
    for (const battle of expandBattles(weighted)) {
      lines.push(JSON.stringify(battle));
      builder.add(battle.model_a, battle.model_b, battle.winner);
    }
  }
  const counts = builder.build();
  // A 400-point prior rates a team that won (or lost) every battle too; 200 rounds keep a publish quick.
  // The authoritative ranking is the board above: this file is for judgearena-style analysis.
  const report = rateBattles(counts, {
    bootstrapRounds: Math.min(config.numBootstrap, 200),
    seed: 0,
    priorSd: 400,
  });
  return {
    battles: lines.map((l) => `${l}\n`).join(''),
    ratings: JSON.stringify({
      slug: config.slug,
      judge_model: config.judge.modelId,
      n_bootstraps: Math.min(config.numBootstrap, 200),
      seed: 0,
      ratings: toRatingEntries(report),
      unranked: report.unranked,
    }),
  };
}
