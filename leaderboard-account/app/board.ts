import type { LeagueConfig } from '../../shared/config/league-config.js';
import type { Question } from '../../shared/contracts/question-set.js';
import type { Snapshot } from '../../shared/contracts/snapshot.js';
import { DEFAULT_CRITERIA } from '../judging/default-criteria.js';
import { answerStyle } from '../ranking/answer-style.js';
import { applyFlagPolicy } from '../ranking/flag-policy.js';
import type { BoardSettings, JudgedSubmission, QuestionPlacement } from '../ranking/leaderboard.js';
import { buildAllBoards } from '../ranking/leaderboard.js';
import type { BoardState } from './records.js';

/** The ranking settings a league config implies (BixArena names: NUM_BOOTSTRAP, MIN_EVALS, SIGNIFICANT). */
export function boardSettings(
  config: LeagueConfig,
  state: BoardState,
  questions: readonly Question[] = [],
): BoardSettings {
  return {
    slug: config.slug,
    method:
      config.scoringMode === 'arena'
        ? 'bradley-terry'
        : config.scoringMode === 'rubric'
          ? 'rubric'
          : 'win-rate',
    numBootstrap: config.numBootstrap,
    seed: 0,
    minEvals: config.minEvals,
    significant: config.significant,
    selection: state.selection ?? config.selection,
    // The criteria the judge grades: the league's, or the judge's defaults when it names none.
    ...(config.scoringMode === 'rubric' || config.criteria
      ? { criteria: config.criteria ?? [...DEFAULT_CRITERIA] }
      : {}),
    reference: 'reference',
    control: config.scoringMode === 'rubric' ? 'off' : config.control,
    referenceStyles: new Map(questions.map((q) => [q.id, answerStyle(q.reference)])),
  };
}

/**
 * The board state's submissions in the ranking engine's terms. With `questionIds`, judgments of
 * questions outside the current question set (e.g. after the organiser replaced it) are left out.
 */
export function judgedSubmissions(state: BoardState, questionIds?: ReadonlySet<string>): JudgedSubmission[] {
  const known = (questionId: string): boolean => questionIds === undefined || questionIds.has(questionId);
  const out: JudgedSubmission[] = [];
  for (const [team, entry] of Object.entries(state.teams)) {
    for (const [submissionId, stored] of Object.entries(entry.submissions)) {
      out.push({
        team,
        model: stored.model,
        submissionId,
        submittedAt: stored.submittedAt,
        ...(stored.games
          ? {
              games: stored.games
                .filter(([questionId]) => known(questionId))
                .map(([questionId, order, verdict]) => ({
                  questionId,
                  order: order === 'c' ? ('candidate-first' as const) : ('reference-first' as const),
                  verdict,
                })),
            }
          : {}),
        ...(stored.grades
          ? {
              grades: Object.entries(stored.grades)
                .filter(([questionId]) => known(questionId))
                .map(([questionId, scores]) => ({ questionId, scores })),
            }
          : {}),
        ...(stored.flags
          ? { flags: new Map(Object.entries(stored.flags).filter(([questionId]) => known(questionId))) }
          : {}),
        ...(stored.styles
          ? {
              styles: new Map(
                Object.entries(stored.styles)
                  .filter(([questionId]) => known(questionId))
                  .map(([questionId, [chars, headers, listItems, bold, codeBlocks]]) => [
                    questionId,
                    { chars, headers, listItems, bold, codeBlocks },
                  ]),
              ),
            }
          : {}),
      });
    }
  }
  return out;
}

export function placements(questions: readonly Question[]): Map<string, QuestionPlacement> {
  return new Map(questions.map((q) => [q.id, { category: q.category, split: q.split }]));
}

/** Every board, overall and per category, for both splits, from the state. */
export function computeBoards(
  config: LeagueConfig,
  state: BoardState,
  questions: readonly Question[],
  previous: ReadonlyMap<string, Snapshot>,
  now: Date,
): Map<string, Snapshot> {
  const selected = new Map<string, string>();
  for (const [team, entry] of Object.entries(state.teams))
    if (entry.selected) selected.set(team, entry.selected);
  const ids = new Set(questions.map((q) => q.id));
  const policy = config.judge.flaggedPolicy;
  const submissions = judgedSubmissions(state, ids).map((s) => applyFlagPolicy(s, policy));
  return buildAllBoards(submissions, placements(questions), boardSettings(config, state, questions), {
    selected,
    previous,
    now,
  });
}
