import type { Split } from '../../shared/contracts/common.js';
import type { RankChange, Snapshot, SnapshotEntry, SnapshotMethod } from '../../shared/contracts/snapshot.js';
import type { AnswerStyle } from './answer-style.js';
import { analyseRankability } from './bradley-terry.js';
import { type LengthGame, lengthControlledWinRates } from './length-controlled.js';
import { compareNames, type PairCounts, PairCountsBuilder } from './pair-counts.js';
import { rankUpperBounds, rateBattles } from './rate-battles.js';
import { type Criterion, type RubricGrade, rubricScore } from './rubric.js';
import { type StyledBattle, styleControlledRatings } from './style-control.js';
import { candidateOutcome, gamesToBattles, type PairwiseGame, winRate } from './win-rate.js';

/**
 * Leaderboard assembly: from every team's judged submissions to ranked boards, one per split and per
 * category. Pure: the caller loads judgments and the previous snapshots and stores what comes back.
 */

/** Where a question belongs: its category and whether it is on the public or the private split. */
export interface QuestionPlacement {
  readonly category: string;
  readonly split: Split;
}

export interface JudgedSubmission {
  readonly team: string;
  readonly model: string;
  readonly submissionId: string;
  readonly submittedAt: string;
  /** Pairwise modes: the games against the reference. */
  readonly games?: readonly PairwiseGame[];
  /** Rubric mode: the grades per question. */
  readonly grades?: readonly RubricGrade[];
  /** Question id → the injection detector's flag codes for the answer (flagged answers only). */
  readonly flags?: ReadonlyMap<string, readonly string[]>;
  /** Set when the league's policy keeps the submission off every board (see flag-policy.ts). */
  readonly excludedReason?: string;
  /** Questions whose games the flag policy turned into losses (count-as-loss): not the judge's verdicts. */
  readonly forcedLosses?: ReadonlySet<string>;
  /** Question id → the style of the team's answer: the covariates of length and style control. */
  readonly styles?: ReadonlyMap<string, AnswerStyle>;
}

export interface BoardSettings {
  readonly slug: string;
  readonly method: SnapshotMethod;
  readonly numBootstrap: number;
  readonly seed: number;
  /** Entries judged on fewer questions (battles, for bradley-terry) than this are left off. */
  readonly minEvals: number;
  /** Rank by the CI-aware rank upper bound, BixArena's SIGNIFICANT mode. */
  readonly significant: boolean;
  /** `best`: a team's best submission; `selected`: the one the team selected, else its best. */
  readonly selection: 'best' | 'selected';
  readonly criteria?: readonly Criterion[];
  /** bradley-terry: each strong verdict counts as this many battles (Arena-Hard: 3). */
  readonly strongWeight?: number;
  /** bradley-terry: optional Gaussian prior (rating points), so a team that won every battle is still rated. */
  readonly priorSd?: number;
  /** bradley-terry: the reference model's name; it is anchored at `referenceRating`. */
  readonly reference?: string;
  readonly referenceRating?: number;
  /**
   * Length control (win-rate boards) or style control (bradley-terry boards): `show` publishes the
   * controlled score beside the raw one, `rank` ranks by it. Default `off`; rubric boards have none.
   */
  readonly control?: 'off' | 'show' | 'rank';
  /** Question id → the reference answer's style, the other side of every game. */
  readonly referenceStyles?: ReadonlyMap<string, AnswerStyle>;
}

export interface BoardRequest {
  readonly split: Split;
  /** null: the overall board. */
  readonly category: string | null;
}

interface Exclusion {
  readonly team: string;
  readonly model: string;
  readonly reason: string;
  readonly nEvals: number;
  readonly flagged?: { answers: number; codes: Record<string, number> };
}

interface Scored {
  readonly submission: JudgedSubmission;
  readonly score: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly nEvals: number;
  readonly criteria: Record<string, number>;
  /** The length- or style-controlled score, when the board has control and the answer styles are known. */
  readonly controlled?: Interval;
}

interface Interval {
  readonly score: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

interface ScoredBoard {
  readonly scored: Scored[];
  readonly control?: NonNullable<Snapshot['params']['control']>;
}

export class UnknownQuestion extends Error {
  override readonly name = 'UnknownQuestion';
}

/**
 * Which submission stands for each team on every board. Decided once, on the public overall board,
 * so the private split can never be used to cherry-pick (Kaggle's rule): with `selected`, a team's
 * selection wins when it has one; otherwise the best public score does, with the usual tie-breaks.
 */
export function chooseTeamEntries(
  submissions: readonly JudgedSubmission[],
  questions: ReadonlyMap<string, QuestionPlacement>,
  settings: BoardSettings,
  selected: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const publicBoard = { split: 'public', category: null } as const;
  const publicScores = scoreAll(submissions, questions, settings, publicBoard).scored;
  const minEvals = effectiveMinEvals(questions, settings, publicBoard);
  // A submission that can appear on the board beats one that MIN_EVALS or the flag policy would
  // leave off.
  const eligible = (s: Scored): number => Number(s.nEvals >= minEvals && !s.submission.excludedReason);
  const ranked = isRankedByControl(settings);
  const eligibleFirst = (a: Scored, b: Scored): number =>
    eligible(b) - eligible(a) || compareEntries(a, b, ranked);
  const chosen = new Map<string, string>();
  for (const entry of [...publicScores].sort(eligibleFirst)) {
    if (!chosen.has(entry.submission.team)) chosen.set(entry.submission.team, entry.submission.submissionId);
  }
  // A team none of whose submissions could be scored (e.g. one that won every battle, which has no
  // finite Bradley-Terry rating) is still represented, by its latest submission, so its board lists
  // it as excluded with the reason instead of dropping it silently.
  const latestFirst = [...submissions].sort(
    (a, b) => instant(b.submittedAt) - instant(a.submittedAt) || compareNames(a.submissionId, b.submissionId),
  );
  for (const submission of latestFirst) {
    if (!chosen.has(submission.team)) chosen.set(submission.team, submission.submissionId);
  }
  if (settings.selection === 'selected') {
    const known = new Set(submissions.map((s) => `${s.team}\u0000${s.submissionId}`));
    for (const [team, submissionId] of selected) {
      if (known.has(`${team}\u0000${submissionId}`)) chosen.set(team, submissionId);
    }
  }
  return chosen;
}

/** One ranked board: the chosen submission of every team, scored on the board's questions. */
export function buildBoard(
  submissions: readonly JudgedSubmission[],
  questions: ReadonlyMap<string, QuestionPlacement>,
  settings: BoardSettings,
  board: BoardRequest,
  options: { chosen: ReadonlyMap<string, string>; previous?: Snapshot; now: Date },
): Snapshot {
  const chosen = submissions.filter((s) => options.chosen.get(s.team) === s.submissionId);
  const onBoard = boardScope(questions, board);
  // Left off by the league's flag policy: listed with the reason, and out of the rating fit too.
  const unrankable: Exclusion[] = chosen.flatMap((s) =>
    s.excludedReason
      ? [{ team: s.team, model: s.model, reason: s.excludedReason, nEvals: 0, ...flaggedOn(s, onBoard) }]
      : [],
  );
  const entrants = chosen.filter((s) => !s.excludedReason);
  const { scored, control } = scoreAll(entrants, questions, settings, board, unrankable);
  const ranked = control?.ranked ?? false;
  const minEvals = effectiveMinEvals(questions, settings, board);
  const excluded = scored
    .filter((s) => s.nEvals < minEvals)
    .map((s) => ({
      team: s.submission.team,
      model: s.submission.model,
      reason: `judged on ${s.nEvals} ${settings.method === 'bradley-terry' ? 'battles' : 'questions'}, fewer than MIN_EVALS (${minEvals} on this board)`,
      nEvals: s.nEvals,
    }));
  const eligible = scored.filter((s) => s.nEvals >= minEvals);
  const upper = rankUpperBounds(
    eligible.map((s) => {
      const key = rankKey(s, ranked);
      return { low: key.ciLow, high: key.ciHigh };
    }),
  );
  const withUpper = eligible.map((s, k) => ({ ...s, rankUpper: upper[k] as number }));
  withUpper.sort(
    (a, b) => (settings.significant ? a.rankUpper - b.rankUpper : 0) || compareEntries(a, b, ranked),
  );
  const previousRanks = new Map(options.previous?.entries.map((e) => [e.team, e.rank]) ?? []);
  const entries: SnapshotEntry[] = withUpper.map((s, position) => {
    const rank = settings.significant ? s.rankUpper : position + 1;
    const before = previousRanks.get(s.submission.team);
    const rankChange: RankChange = before === undefined ? 'new' : before - rank;
    return {
      rank,
      rankUpper: s.rankUpper,
      team: s.submission.team,
      model: s.submission.model,
      score: s.score,
      ciLow: s.ciLow,
      ciHigh: s.ciHigh,
      criteria: s.criteria,
      nEvals: s.nEvals,
      submissionId: s.submission.submissionId,
      submittedAt: s.submission.submittedAt,
      rankChange,
      ...flaggedOn(s.submission, onBoard),
      ...(s.controlled ? { controlled: s.controlled } : {}),
    };
  });
  return {
    slug: settings.slug,
    generatedAt: options.now.toISOString(),
    method: settings.method,
    params: {
      numBootstrap: settings.numBootstrap,
      seed: settings.seed,
      minEvals: settings.minEvals,
      significant: settings.significant,
      rankedBy: settings.significant ? 'rank-upper-bound' : 'score',
      selection: settings.selection,
      category: board.category,
      ...(control ? { control } : {}),
    },
    split: board.split,
    entries,
    excluded: [...excluded, ...unrankable].sort((a, b) => compareNames(a.team, b.team)),
  };
}

/** Every board the League publishes: overall and per category, for each split. */
export function buildAllBoards(
  submissions: readonly JudgedSubmission[],
  questions: ReadonlyMap<string, QuestionPlacement>,
  settings: BoardSettings,
  options: {
    selected?: ReadonlyMap<string, string>;
    /** The previous snapshot of each board, keyed by {@link boardKey}. */
    previous?: ReadonlyMap<string, Snapshot>;
    now: Date;
  },
): Map<string, Snapshot> {
  const chosen = chooseTeamEntries(submissions, questions, settings, options.selected);
  const categories = [...new Set([...questions.values()].map((q) => q.category))].sort(compareNames);
  const boards = new Map<string, Snapshot>();
  for (const split of ['public', 'private'] as const) {
    for (const category of [null, ...categories]) {
      const key = boardKey({ split, category });
      const previous = options.previous?.get(key);
      boards.set(
        key,
        buildBoard(
          submissions,
          questions,
          settings,
          { split, category },
          {
            chosen,
            now: options.now,
            ...(previous ? { previous } : {}),
          },
        ),
      );
    }
  }
  return boards;
}

/** Whether a question counts on a board: its split, and its category unless the board is overall. */
function boardScope(
  questions: ReadonlyMap<string, QuestionPlacement>,
  board: BoardRequest,
): (questionId: string) => boolean {
  return (questionId) => {
    const placement = questions.get(questionId);
    return (
      placement !== undefined &&
      placement.split === board.split &&
      (board.category === null || placement.category === board.category)
    );
  };
}

/** The submission's flagged answers on this board (none: no field), for the board's marker. */
function flaggedOn(
  submission: JudgedSubmission,
  onBoard: (questionId: string) => boolean,
): { flagged?: { answers: number; codes: Record<string, number> } } {
  let answers = 0;
  const codes: Record<string, number> = {};
  for (const [questionId, list] of submission.flags ?? []) {
    if (!onBoard(questionId)) continue;
    answers += 1;
    for (const code of list) codes[code] = (codes[code] ?? 0) + 1;
  }
  return answers > 0 ? { flagged: { answers, codes } } : {};
}

/** `public/overall`, `private/coding`, ...: where a board is stored and looked up. */
export function boardKey(board: BoardRequest): string {
  return `${board.split}/${board.category ?? 'overall'}`;
}

function isRankedByControl(settings: BoardSettings): boolean {
  return settings.control === 'rank' && settings.method !== 'rubric';
}

/**
 * What an entry is ranked by: its controlled score when the board ranks by control, else its raw
 * score. An entry whose answer styles are unknown (recorded before styles were kept) has no
 * controlled score and is ranked by its raw one.
 */
function rankKey(s: Scored, ranked: boolean): Interval {
  return ranked && s.controlled ? s.controlled : s;
}

/** Score desc, then CI low desc, then the earlier submission, then team id: never a coin toss. */
function compareEntries(a: Scored, b: Scored, ranked = false): number {
  const ka = rankKey(a, ranked);
  const kb = rankKey(b, ranked);
  return (
    kb.score - ka.score ||
    kb.ciLow - ka.ciLow ||
    instant(a.submission.submittedAt) - instant(b.submission.submittedAt) ||
    compareNames(a.submission.team, b.submission.team) ||
    compareNames(a.submission.submissionId, b.submission.submissionId)
  );
}

function scoreAll(
  submissions: readonly JudgedSubmission[],
  questions: ReadonlyMap<string, QuestionPlacement>,
  settings: BoardSettings,
  board: BoardRequest,
  unrankable: Exclusion[] = [],
): ScoredBoard {
  const onBoard = (questionId: string): boolean => {
    const placement = questions.get(questionId);
    if (!placement) throw new UnknownQuestion(`judgment for unknown question ${questionId}`);
    return (
      placement.split === board.split && (board.category === null || placement.category === board.category)
    );
  };
  const rounds = { rounds: settings.numBootstrap, seed: settings.seed };
  if (settings.method === 'bradley-terry') return scoreArena(submissions, onBoard, settings, unrankable);
  const scored: Scored[] = [];
  for (const submission of submissions) {
    if (settings.method === 'win-rate') {
      const games = (submission.games ?? []).filter((g) => onBoard(g.questionId));
      if (games.length === 0) continue;
      const result = winRate(games, rounds);
      scored.push({
        submission,
        score: result.winRate,
        ciLow: result.ciLow,
        ciHigh: result.ciHigh,
        nEvals: result.nQuestions,
        criteria: {},
      });
    } else {
      const grades = (submission.grades ?? []).filter((g) => onBoard(g.questionId));
      if (grades.length === 0) continue;
      if (!settings.criteria) throw new RangeError('rubric boards need the judge criteria');
      const result = rubricScore(grades, settings.criteria, rounds);
      scored.push({
        submission,
        score: result.score,
        ciLow: result.ciLow,
        ciHigh: result.ciHigh,
        nEvals: result.nQuestions,
        criteria: result.criteria,
      });
    }
  }
  if (settings.method === 'win-rate' && (settings.control ?? 'off') !== 'off') {
    return lengthControl(scored, onBoard, settings);
  }
  return { scored };
}

/**
 * AlpacaEval 2's length-controlled win rate for every entry of the board, fitted jointly (one shared
 * length effect, see length-controlled.ts) on the games as the board scores them. Entries whose
 * answer lengths are unknown are left out of the fit and get no controlled score.
 */
function lengthControl(
  scored: readonly Scored[],
  onBoard: (questionId: string) => boolean,
  settings: BoardSettings,
): ScoredBoard {
  const teams = new Map<string, LengthGame[]>();
  for (const { submission } of scored) {
    const games = styledGames(submission, onBoard, settings).map(({ game, answer, reference }) => {
      const outcome = candidateOutcome(game);
      return {
        questionId: game.questionId,
        outcome: outcome === 'win' ? 1 : outcome === 'tie' ? 0.5 : 0,
        candidateChars: answer.chars,
        referenceChars: reference.chars,
        // A flagged answer's game under count-as-loss is the policy's loss, not the judge's verdict.
        ...(submission.forcedLosses?.has(game.questionId) ? { forced: true } : {}),
      };
    });
    if (games.length > 0) teams.set(submissionKey(submission), games);
  }
  const controlled = lengthControlledWinRates(teams, {
    rounds: settings.numBootstrap,
    seed: settings.seed,
  });
  const coefficient = controlled.values().next().value?.lengthCoefficient ?? 0;
  return {
    scored: scored.map((s) => {
      const lc = controlled.get(submissionKey(s.submission));
      return lc ? { ...s, controlled: { score: lc.winRate, ciLow: lc.ciLow, ciHigh: lc.ciHigh } } : s;
    }),
    control: {
      method: 'length-controlled-win-rate',
      ranked: settings.control === 'rank',
      coefficients: { length: coefficient },
    },
  };
}

interface StyledGame {
  readonly game: PairwiseGame;
  readonly answer: AnswerStyle;
  readonly reference: AnswerStyle;
}

/**
 * The submission's games on this board, each with its answer's and the reference's style; none
 * when any style is unknown (a submission recorded before styles were kept gets no control).
 */
function styledGames(
  submission: JudgedSubmission,
  onBoard: (questionId: string) => boolean,
  settings: BoardSettings,
): StyledGame[] {
  const styled: StyledGame[] = [];
  for (const game of submission.games ?? []) {
    if (!onBoard(game.questionId)) continue;
    const answer = submission.styles?.get(game.questionId);
    const reference = settings.referenceStyles?.get(game.questionId);
    if (!answer || !reference) return [];
    styled.push({ game, answer, reference });
  }
  return styled;
}

function submissionKey(submission: JudgedSubmission): string {
  return `${submission.team}\u0000${submission.submissionId}`;
}

/**
 * Arena mode: every game becomes battles between the submission and the reference (strong verdicts
 * weighted), all submissions are rated together by Bradley-Terry with the reference anchored, so a
 * rating means the same thing on every day's board.
 */
function scoreArena(
  submissions: readonly JudgedSubmission[],
  onBoard: (questionId: string) => boolean,
  settings: BoardSettings,
  unrankable: Exclusion[],
): ScoredBoard {
  const reference = settings.reference ?? 'reference';
  const builder = new PairCountsBuilder();
  const bySubmission = new Map<string, JudgedSubmission>();
  for (const submission of submissions) {
    const games = (submission.games ?? []).filter((g) => onBoard(g.questionId));
    if (games.length === 0) continue;
    // Keyed by team and id: two teams' submissions may share an id (every demo team has `demo-1`).
    bySubmission.set(submissionKey(submission), submission);
    const battles = gamesToBattles(games, {
      candidate: submissionKey(submission),
      reference,
      strongWeight: settings.strongWeight ?? 3,
    });
    for (const { battle, weight } of battles)
      builder.add(battle.model_a, battle.model_b, battle.winner, weight);
  }
  if (bySubmission.size === 0) return { scored: [] };
  const counts = builder.build();
  const report = rateBattles(counts, {
    bootstrapRounds: settings.numBootstrap,
    seed: settings.seed,
    ...(settings.priorSd !== undefined ? { priorSd: settings.priorSd } : {}),
    // Anchored on the reference when it can be rated; when every submission beat it (or lost to it)
    // it cannot, and the ratings are centred on 1000 instead.
    ...(isRateable(counts, reference, settings.priorSd)
      ? { anchor: { model: reference, rating: settings.referenceRating ?? 1000 } }
      : {}),
  });
  for (const u of report.unranked) {
    const submission = bySubmission.get(u.model);
    if (submission)
      unrankable.push({
        team: submission.team,
        model: submission.model,
        reason: u.reason,
        nEvals: u.n_battles,
      });
  }
  const scored: Scored[] = [];
  for (const rated of report.rated) {
    const submission = bySubmission.get(rated.model);
    if (!submission) continue; // the reference itself
    scored.push({
      submission,
      score: rated.rating,
      ciLow: rated.ciLow,
      ciHigh: rated.ciHigh,
      nEvals: rated.nBattles,
      criteria: {},
    });
  }
  if ((settings.control ?? 'off') === 'off') return { scored };
  return styleControl(scored, onBoard, settings, reference);
}

/** Bootstrap rounds of the style-controlled fit: each round is a dense Newton solve. */
const STYLE_CONTROL_MAX_ROUNDS = 200;

/**
 * LMArena's style control for every rated entry: the same battles against the reference with the
 * answers' length and Markdown counts as covariates, anchored like the raw ratings. Entries whose
 * answer styles are unknown are left out of the fit and get no controlled rating.
 */
function styleControl(
  scored: readonly Scored[],
  onBoard: (questionId: string) => boolean,
  settings: BoardSettings,
  reference: string,
): ScoredBoard {
  const battles: StyledBattle[] = [];
  for (const { submission } of scored) {
    const styled = styledGames(submission, onBoard, settings);
    // One battle a game, in the games' order (gamesToBattles maps them one to one).
    const weighted = gamesToBattles(
      styled.map((s) => s.game),
      { candidate: submissionKey(submission), reference, strongWeight: settings.strongWeight ?? 3 },
    );
    weighted.forEach(({ battle, weight }, k) => {
      const { game, answer, reference: referenceStyle } = styled[k] as StyledGame;
      const candidateFirst = game.order === 'candidate-first';
      battles.push({
        modelA: battle.model_a,
        modelB: battle.model_b,
        winner: battle.winner,
        styleA: candidateFirst ? answer : referenceStyle,
        styleB: candidateFirst ? referenceStyle : answer,
        weight,
      });
    });
  }
  if (battles.length === 0) return { scored: [...scored] };
  const controlled = styleControlledRatings(battles, {
    bootstrapRounds: Math.min(settings.numBootstrap, STYLE_CONTROL_MAX_ROUNDS),
    seed: settings.seed,
    // A prior keeps a team that won (or lost) every battle finite, as in the raw fit's fallback.
    priorSd: settings.priorSd ?? 400,
    anchor: { model: reference, rating: settings.referenceRating ?? 1000 },
  });
  return {
    scored: scored.map((s) => {
      const rating = controlled.ratings.get(submissionKey(s.submission));
      return rating
        ? { ...s, controlled: { score: rating.rating, ciLow: rating.ciLow, ciHigh: rating.ciHigh } }
        : s;
    }),
    control: {
      method: 'style-controlled-rating',
      ranked: settings.control === 'rank',
      coefficients: controlled.coefficients,
    },
  };
}

function isRateable(counts: PairCounts, model: string, priorSd: number | undefined): boolean {
  const index = counts.models.indexOf(model);
  const { rankable } = analyseRankability(counts, priorSd !== undefined ? { priorSd } : {});
  return index >= 0 && rankable.includes(index);
}

/** Submission times are ISO instants with any offset: compare them as moments, not as text. */
function instant(isoDateTime: string): number {
  return Date.parse(isoDateTime);
}

/**
 * MIN_EVALS on a board: a split or category board with fewer questions than MIN_EVALS asks for
 * every one of its questions instead (two battles a question in arena mode), so small category
 * boards are not empty by construction.
 */
function effectiveMinEvals(
  questions: ReadonlyMap<string, QuestionPlacement>,
  settings: BoardSettings,
  board: BoardRequest,
): number {
  let onBoard = 0;
  for (const placement of questions.values()) {
    if (placement.split === board.split && (board.category === null || placement.category === board.category))
      onBoard += 1;
  }
  const available = settings.method === 'bradley-terry' ? 2 * onBoard : onBoard;
  return Math.min(settings.minEvals, available);
}
