import type { JudgedSubmission } from './leaderboard.js';

/** How a league treats answers the injection detector flagged (`judge.flaggedPolicy`). */
export type FlagPolicy = 'count-as-loss' | 'exclude' | 'judge-and-flag';

/**
 * A submission as the board scores it under the league's policy, applied to the stored games and
 * grades (so changing the policy and recomputing takes effect without judging again):
 * - `count-as-loss`: every game of a flagged answer is a strong loss and every grade the lowest, so
 *   an answer built to sway the judge can never score better than a wrong one;
 * - `exclude`: a submission with any flagged answer is left off the boards, with the reason;
 * - `judge-and-flag`: scored as judged.
 * The flags stay on the submission in every case, for the board's marker.
 */
export function applyFlagPolicy(submission: JudgedSubmission, policy: FlagPolicy): JudgedSubmission {
  const flagged = submission.flags;
  if (!flagged || flagged.size === 0 || policy === 'judge-and-flag') return submission;
  if (policy === 'exclude') {
    return {
      ...submission,
      excludedReason: flaggedReason(flagged, 'the league excludes flagged submissions'),
    };
  }
  return {
    ...submission,
    forcedLosses: new Set(flagged.keys()),
    ...(submission.games
      ? {
          games: submission.games.map((game) =>
            flagged.has(game.questionId)
              ? { ...game, verdict: game.order === 'candidate-first' ? ('B>>A' as const) : ('A>>B' as const) }
              : game,
          ),
        }
      : {}),
    ...(submission.grades
      ? {
          grades: submission.grades.map((grade) =>
            flagged.has(grade.questionId)
              ? { ...grade, scores: Object.fromEntries(Object.keys(grade.scores).map((name) => [name, 1])) }
              : grade,
          ),
        }
      : {}),
  };
}

/** "3 answers flagged (instruction-to-grader ×2, invisible-characters)": the count and the codes. */
export function flaggedReason(flagged: ReadonlyMap<string, readonly string[]>, consequence: string): string {
  const codes = new Map<string, number>();
  for (const list of flagged.values()) for (const code of list) codes.set(code, (codes.get(code) ?? 0) + 1);
  const listed = [...codes]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) => (n > 1 ? `${code} ×${n}` : code))
    .join(', ');
  return `${flagged.size} answer${flagged.size === 1 ? '' : 's'} flagged by the injection detector (${listed}); ${consequence}`;
}
