import { describe, expect, it } from 'vitest';
import { applyFlagPolicy, type FlagPolicy } from './flag-policy.js';
import { boardKey, buildAllBoards, type JudgedSubmission, type QuestionPlacement } from './leaderboard.js';
import type { PairwiseGame } from './win-rate.js';

const QUESTIONS = new Map<string, QuestionPlacement>(
  Array.from({ length: 12 }, (_, k) => [`q${k}`, { category: k < 6 ? 'math' : 'coding', split: 'public' }]),
);
const ids = [...QUESTIONS.keys()];

/** Both orders of a question, as a consistent win or loss for the candidate. */
function games(outcome: (questionId: string) => 'win' | 'loss'): PairwiseGame[] {
  return ids.flatMap((questionId) => {
    const win = outcome(questionId) === 'win';
    return [
      { questionId, order: 'candidate-first' as const, verdict: win ? ('A>B' as const) : ('B>A' as const) },
      { questionId, order: 'reference-first' as const, verdict: win ? ('B>A' as const) : ('A>B' as const) },
    ];
  });
}

const honest: JudgedSubmission = {
  team: 'honest',
  model: 'honest/m',
  submissionId: 'h-1',
  submittedAt: '2026-12-01T10:00:00Z',
  // Wins half the questions.
  games: games((id) => (Number(id.slice(1)) % 2 === 0 ? 'win' : 'loss')),
};
/** Wins every question, the odd ones by an injection the detector flagged. */
const cheater: JudgedSubmission = {
  team: 'cheater',
  model: 'cheater/m',
  submissionId: 'c-1',
  submittedAt: '2026-12-01T10:00:00Z',
  games: games(() => 'win'),
  flags: new Map(ids.filter((id) => Number(id.slice(1)) % 2 === 1).map((id) => [id, ['fake-judge-output']])),
};

const settings = {
  slug: 'overall',
  method: 'win-rate' as const,
  numBootstrap: 50,
  seed: 0,
  minEvals: 1,
  significant: false,
  selection: 'best' as const,
};

function boards(policy: FlagPolicy, submissions = [honest, cheater]) {
  return buildAllBoards(
    submissions.map((s) => applyFlagPolicy(s, policy)),
    QUESTIONS,
    settings,
    { now: new Date('2026-12-02T00:00:00Z') },
  );
}
const overall = (b: ReturnType<typeof boards>) => b.get(boardKey({ split: 'public', category: null }));

describe('the flag policy on the board', () => {
  it('counts flagged answers as losses by the league default, so cheating cannot gain', () => {
    const board = overall(boards('count-as-loss'));
    const score = (team: string) => board?.entries.find((e) => e.team === team)?.score;
    // The cheater's honest half equals the honest team's: no more.
    expect(score('cheater')).toBe(score('honest'));
    expect(board?.entries.find((e) => e.team === 'cheater')?.flagged).toEqual({
      answers: 6,
      codes: { 'fake-judge-output': 6 },
    });
    expect(board?.entries.find((e) => e.team === 'honest')?.flagged).toBeUndefined();
  });

  it('leaves a flagged submission off every board under exclude, saying why', () => {
    const all = boards('exclude');
    for (const board of [overall(all), all.get(boardKey({ split: 'public', category: 'coding' }))]) {
      expect(board?.entries.map((e) => e.team)).toEqual(['honest']);
      expect(board?.excluded).toEqual([
        expect.objectContaining({
          team: 'cheater',
          reason:
            '6 answers flagged by the injection detector (fake-judge-output ×6); the league excludes flagged submissions',
        }),
      ]);
    }
  });

  it('stands a team’s clean submission for it when its flagged one is excluded', () => {
    const clean = { ...honest, team: 'cheater', model: 'cheater/clean', submissionId: 'c-0' };
    const board = overall(boards('exclude', [honest, cheater, clean]));
    expect(board?.entries.find((e) => e.team === 'cheater')?.submissionId).toBe('c-0');
  });

  it('scores flagged answers as judged under judge-and-flag, and still marks them', () => {
    const board = overall(boards('judge-and-flag'));
    const entry = board?.entries.find((e) => e.team === 'cheater');
    expect(entry?.rank).toBe(1);
    expect(entry?.flagged?.answers).toBe(6);
  });

  it('counts the flags of each board’s own questions only', () => {
    const all = boards('count-as-loss');
    const math = all.get(boardKey({ split: 'public', category: 'math' }));
    expect(math?.entries.find((e) => e.team === 'cheater')?.flagged).toEqual({
      answers: 3,
      codes: { 'fake-judge-output': 3 },
    });
  });

  it('gives a flagged rubric answer the lowest grade on every criterion under count-as-loss', () => {
    const graded = applyFlagPolicy(
      {
        ...cheater,
        games: undefined,
        grades: [
          { questionId: 'q1', scores: { accuracy: 10, clarity: 9 } },
          { questionId: 'q2', scores: { accuracy: 10, clarity: 9 } },
        ],
      },
      'count-as-loss',
    );
    expect(graded.grades).toEqual([
      { questionId: 'q1', scores: { accuracy: 1, clarity: 1 } },
      { questionId: 'q2', scores: { accuracy: 10, clarity: 9 } },
    ]);
  });
});
