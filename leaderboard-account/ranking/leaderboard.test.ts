import { describe, expect, it } from 'vitest';
import type { Split } from '../../shared/contracts/common.js';
import { Verdict } from '../../shared/contracts/judgment.js';
import { Snapshot, type SnapshotEntry } from '../../shared/contracts/snapshot.js';
import {
  type BoardRequest,
  type BoardSettings,
  boardKey,
  buildAllBoards,
  buildBoard,
  chooseTeamEntries,
  type JudgedSubmission,
  type QuestionPlacement,
  UnknownQuestion,
} from './leaderboard.js';
import type { Criterion, RubricGrade } from './rubric.js';
import type { PairwiseGame } from './win-rate.js';

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────

/**
 * Games from a compact description: `q1:A>B/B>A` is question q1 judged candidate-first (verdict A>B)
 * and reference-first (verdict B>A); `-` for an order that was not judged (`q2:A=B/-`).
 */
function games(...specs: string[]): PairwiseGame[] {
  return specs.flatMap((spec) => {
    const [questionId, verdicts, ...rest] = spec.split(':');
    if (!questionId || verdicts === undefined || rest.length > 0) throw new Error(`bad game spec ${spec}`);
    const [first, swapped] = verdicts.split('/');
    const out: PairwiseGame[] = [];
    if (first !== undefined && first !== '-') {
      out.push({ questionId, order: 'candidate-first', verdict: Verdict.parse(first) });
    }
    if (swapped !== undefined && swapped !== '-') {
      out.push({ questionId, order: 'reference-first', verdict: Verdict.parse(swapped) });
    }
    return out;
  });
}

/**
 * One letter per question, the candidate's outcome in both orders: W (won both), L (lost both),
 * T (tied both). `outcomes(['q1', 'q2'], 'WL')` = q1 won twice, q2 lost twice.
 */
function outcomes(questionIds: readonly string[], letters: string): PairwiseGame[] {
  if (questionIds.length !== letters.length) throw new Error('one outcome letter per question');
  const spec = { W: 'A>B/B>A', L: 'B>A/A>B', T: 'A=B/A=B' } as const;
  return games(
    ...questionIds.map((id, k) => {
      const letter = letters[k];
      if (letter !== 'W' && letter !== 'L' && letter !== 'T') throw new Error(`bad outcome ${letter}`);
      return `${id}:${spec[letter]}`;
    }),
  );
}

/** `ids('p', 3)` = ['p1', 'p2', 'p3']. */
function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => `${prefix}${k + 1}`);
}

function questionMap(
  ...groups: { split: Split; category: string; ids: readonly string[] }[]
): Map<string, QuestionPlacement> {
  const map = new Map<string, QuestionPlacement>();
  for (const group of groups) {
    for (const id of group.ids) map.set(id, { split: group.split, category: group.category });
  }
  return map;
}

function submission(
  team: string,
  submissionId: string,
  judged: { games?: PairwiseGame[]; grades?: RubricGrade[] },
  submittedAt = '2025-06-01T12:00:00.000Z',
): JudgedSubmission {
  return { team, model: `${team}-model`, submissionId, submittedAt, ...judged };
}

function settings(overrides: Partial<BoardSettings> = {}): BoardSettings {
  return {
    slug: 'llm-league-test',
    method: 'win-rate',
    numBootstrap: 200,
    seed: 7,
    minEvals: 0,
    significant: false,
    selection: 'best',
    ...overrides,
  };
}

const NOW = new Date('2025-06-10T00:00:00.000Z');
const PUBLIC_OVERALL: BoardRequest = { split: 'public', category: null };

/** Chooses each team's entry the way the League does, then builds one board. */
function board(
  submissions: readonly JudgedSubmission[],
  questions: ReadonlyMap<string, QuestionPlacement>,
  boardSettings: BoardSettings,
  request: BoardRequest = PUBLIC_OVERALL,
  previous?: Snapshot,
): Snapshot {
  const chosen = chooseTeamEntries(submissions, questions, boardSettings);
  return buildBoard(submissions, questions, boardSettings, request, {
    chosen,
    now: NOW,
    ...(previous ? { previous } : {}),
  });
}

function teams(snapshot: Snapshot): string[] {
  return snapshot.entries.map((entry) => entry.team);
}

function entryOf(snapshot: Snapshot, team: string): SnapshotEntry {
  const entry = snapshot.entries.find((e) => e.team === team);
  if (!entry) throw new Error(`${team} is not on the ${snapshot.split} board`);
  return entry;
}

/** Every number anywhere in a value, with its path. */
function numbersIn(value: unknown, path = '$'): { path: string; value: number }[] {
  if (typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, k) => numbersIn(item, `${path}[${k}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => numbersIn(item, `${path}.${key}`));
  }
  return [];
}

/** A snapshot a real file could hold: schema-valid, finite, and unchanged by a JSON round trip. */
function expectPublishable(snapshot: Snapshot): void {
  expect(Snapshot.parse(snapshot)).toEqual(snapshot);
  expect(numbersIn(snapshot).filter((n) => !Number.isFinite(n.value))).toEqual([]);
  expect(JSON.parse(JSON.stringify(snapshot))).toStrictEqual(snapshot);
}

// ── Win-rate boards ─────────────────────────────────────────────────────────────────────────────

describe('buildBoard with the win-rate method', () => {
  const questions = questionMap({ split: 'public', category: 'general', ids: ids('q', 4) });
  const q = ids('q', 4);
  const submissions = [
    submission('team-c', 'c1', { games: outcomes(q, 'LLLL') }),
    submission('team-a', 'a1', { games: outcomes(q, 'WWWW') }),
    submission('team-b', 'b1', { games: outcomes(q, 'WWTL') }),
  ];

  it('orders the entries by score, best first, ranking them 1, 2, 3', () => {
    const snapshot = board(submissions, questions, settings());
    expect(teams(snapshot)).toEqual(['team-a', 'team-b', 'team-c']);
    expect(snapshot.entries.map((e) => e.rank)).toEqual([1, 2, 3]);
    expect(snapshot.entries.map((e) => e.score)).toEqual([1, 0.625, 0]);
    expect(snapshot.entries.map((e) => e.nEvals)).toEqual([4, 4, 4]);
  });

  it('carries the submission, model and an empty criteria record on each entry', () => {
    const entry = entryOf(board(submissions, questions, settings()), 'team-b');
    expect(entry).toMatchObject({
      team: 'team-b',
      model: 'team-b-model',
      submissionId: 'b1',
      submittedAt: '2025-06-01T12:00:00.000Z',
      criteria: {},
      rankChange: 'new',
    });
    expect(entry.ciLow).toBeLessThanOrEqual(entry.score);
    expect(entry.ciHigh).toBeGreaterThanOrEqual(entry.score);
    expect(entry.ciHigh).toBeGreaterThan(entry.ciLow);
  });

  it('produces a snapshot the Snapshot schema accepts, ranked by score', () => {
    const snapshot = board(submissions, questions, settings());
    expectPublishable(snapshot);
    expect(snapshot).toMatchObject({
      slug: 'llm-league-test',
      generatedAt: '2025-06-10T00:00:00.000Z',
      method: 'win-rate',
      split: 'public',
      params: {
        numBootstrap: 200,
        seed: 7,
        minEvals: 0,
        significant: false,
        rankedBy: 'score',
        selection: 'best',
        category: null,
      },
      excluded: [],
    });
  });

  it('does not depend on the order the submissions are given in', () => {
    const forward = board(submissions, questions, settings());
    const backward = board([...submissions].reverse(), questions, settings());
    expect(backward).toEqual(forward);
  });

  it('gives every question the same weight whether one or both orders were judged', () => {
    // q1 judged once (a win), q2 twice (a win and a loss): (1 + 0.5) / 2.
    const partial = [submission('team-a', 'a1', { games: games('q1:A>B/-', 'q2:A>B/A>B') })];
    expect(entryOf(board(partial, questions, settings({ numBootstrap: 0 })), 'team-a').score).toBe(0.75);
  });
});

// ── MIN_EVALS ───────────────────────────────────────────────────────────────────────────────────

describe('MIN_EVALS', () => {
  const questions = questionMap({ split: 'public', category: 'general', ids: ids('q', 4) });
  const submissions = [
    submission('team-a', 'a1', { games: outcomes(ids('q', 4), 'WWLL') }),
    // Judged on two questions only, though it won them both.
    submission('team-b', 'b1', { games: outcomes(['q1', 'q2'], 'WW') }),
  ];

  it('leaves a team judged on fewer questions than MIN_EVALS off the board and says why', () => {
    const snapshot = board(submissions, questions, settings({ minEvals: 3 }));
    expect(teams(snapshot)).toEqual(['team-a']);
    expect(snapshot.excluded).toHaveLength(1);
    const [exclusion] = snapshot.excluded;
    expect(exclusion).toMatchObject({ team: 'team-b', model: 'team-b-model', nEvals: 2 });
    expect(exclusion?.reason).toMatch(/MIN_EVALS/);
    expect(exclusion?.reason).toMatch(/2 questions/);
    expectPublishable(snapshot);
  });

  it('keeps a team judged on exactly MIN_EVALS questions', () => {
    const snapshot = board(submissions, questions, settings({ minEvals: 2 }));
    expect(teams(snapshot)).toEqual(['team-b', 'team-a']);
    expect(snapshot.excluded).toEqual([]);
  });

  it('ranks the remaining entries from 1 without a gap for the excluded team', () => {
    const snapshot = board(submissions, questions, settings({ minEvals: 3 }));
    expect(entryOf(snapshot, 'team-a')).toMatchObject({ rank: 1, rankUpper: 1 });
  });
});

// ── SIGNIFICANT ─────────────────────────────────────────────────────────────────────────────────

describe('SIGNIFICANT', () => {
  const q = ids('q', 10);
  const questions = questionMap({ split: 'public', category: 'general', ids: q });
  const submissions = [
    submission('team-a', 'a1', { games: outcomes(q, 'WWWWWWWWWW') }), // CI [1, 1]
    submission('team-b', 'b1', { games: outcomes(q, 'WWWWWLLLLL') }), // 0.5, wide CI
    submission('team-c', 'c1', { games: outcomes(q, 'WWWWLLLLLL') }), // 0.4, overlaps team-b's CI
  ];

  it('ranks by the rank upper bound, so teams whose CIs overlap share a rank', () => {
    const snapshot = board(submissions, questions, settings({ significant: true }));
    expect(teams(snapshot)).toEqual(['team-a', 'team-b', 'team-c']);
    expect(snapshot.entries.map((e) => e.rank)).toEqual([1, 2, 2]);
    for (const entry of snapshot.entries) expect(entry.rank).toBe(entry.rankUpper);
    expect(snapshot.params).toMatchObject({ significant: true, rankedBy: 'rank-upper-bound' });
    expectPublishable(snapshot);
  });

  it('still reports the rank upper bound when ranking by score', () => {
    const snapshot = board(submissions, questions, settings({ significant: false }));
    expect(snapshot.entries.map((e) => e.rank)).toEqual([1, 2, 3]);
    expect(snapshot.entries.map((e) => e.rankUpper)).toEqual([1, 2, 2]);
    expect(snapshot.params.rankedBy).toBe('score');
  });

  it('puts a lower-scoring entry with a wide CI above a higher-scoring one whose CI lies below another’s', () => {
    // team-z: 0.75 over 40 questions (narrow CI, about [0.6, 0.9]).
    // team-x: 0.5, a tie on every question (CI [0.5, 0.5]), wholly below team-z's CI: rank 2.
    // team-y: 0.4 over 10 questions (CI about [0.1, 0.7]), overlapping team-z's: rank 1.
    const many = ids('q', 40);
    const wide = questionMap({ split: 'public', category: 'general', ids: many });
    const snapshot = board(
      [
        submission('team-z', 'z1', { games: outcomes(many, 'WWWL'.repeat(10)) }),
        submission('team-x', 'x1', { games: outcomes(many, 'T'.repeat(40)) }),
        submission('team-y', 'y1', { games: outcomes(many.slice(0, 10), 'WWWWLLLLLL') }),
      ],
      wide,
      settings({ significant: true }),
    );
    expect(snapshot.entries.map((e) => [e.team, e.rank])).toEqual([
      ['team-z', 1],
      ['team-y', 1],
      ['team-x', 2],
    ]);
  });
});

// ── Tie-breaks ──────────────────────────────────────────────────────────────────────────────────

describe('tie-breaks', () => {
  const q = ids('q', 4);
  const questions = questionMap({ split: 'public', category: 'general', ids: q });

  it('puts the higher CI low first when scores are equal', () => {
    // Both score 0.5; team-z tied every question (CI [0.5, 0.5]), team-a won half and lost half (wide
    // CI). team-z is later by team id and by submission time, so only its CI low puts it first.
    const snapshot = board(
      [
        submission('team-a', 'a1', { games: outcomes(q, 'WWLL') }, '2025-06-01T00:00:00.000Z'),
        submission('team-z', 'z1', { games: outcomes(q, 'TTTT') }, '2025-06-05T00:00:00.000Z'),
      ],
      questions,
      settings({ numBootstrap: 200 }),
    );
    const [first, second] = snapshot.entries;
    expect(first?.score).toBe(second?.score);
    expect(first?.ciLow).toBeGreaterThan(second?.ciLow ?? Number.POSITIVE_INFINITY);
    expect(teams(snapshot)).toEqual(['team-z', 'team-a']);
  });

  it('puts the earlier submission first when score and CI low are equal', () => {
    const snapshot = board(
      [
        submission('team-a', 'a1', { games: outcomes(q, 'WWLL') }, '2025-06-02T00:00:00.000Z'),
        submission('team-b', 'b1', { games: outcomes(q, 'LLWW') }, '2025-06-01T00:00:00.000Z'),
      ],
      questions,
      settings({ numBootstrap: 0 }),
    );
    expect(teams(snapshot)).toEqual(['team-b', 'team-a']);
    expect(snapshot.entries.map((e) => e.rank)).toEqual([1, 2]);
  });

  it('puts the lower team id first when score, CI low and submission time are equal', () => {
    const snapshot = board(
      [
        submission('team-b', 'b1', { games: outcomes(q, 'WWLL') }),
        submission('team-a', 'a1', { games: outcomes(q, 'LLWW') }),
      ],
      questions,
      settings({ numBootstrap: 0 }),
    );
    expect(teams(snapshot)).toEqual(['team-a', 'team-b']);
  });

  it('compares submission times as instants, whatever their UTC offset', () => {
    // 10:00+02:00 is 08:00Z, an hour before team-b's 09:00Z: team-a submitted first.
    const snapshot = board(
      [
        submission('team-a', 'a1', { games: outcomes(q, 'WWLL') }, '2025-06-01T10:00:00+02:00'),
        submission('team-b', 'b1', { games: outcomes(q, 'LLWW') }, '2025-06-01T09:00:00Z'),
      ],
      questions,
      settings({ numBootstrap: 0 }),
    );
    expect(teams(snapshot)).toEqual(['team-a', 'team-b']);
  });

  it('compares submission times as instants, with or without fractional seconds', () => {
    // 09:00:00Z is half a second before 09:00:00.500Z.
    const snapshot = board(
      [
        submission('team-b', 'b1', { games: outcomes(q, 'WWLL') }, '2025-06-01T09:00:00Z'),
        submission('team-a', 'a1', { games: outcomes(q, 'LLWW') }, '2025-06-01T09:00:00.500Z'),
      ],
      questions,
      settings({ numBootstrap: 0 }),
    );
    expect(teams(snapshot)).toEqual(['team-b', 'team-a']);
  });

  it('picks the earlier of a team’s two equally good submissions as its entry', () => {
    const submissions = [
      submission('team-a', 'a2', { games: outcomes(q, 'WWLL') }, '2025-06-02T00:00:00.000Z'),
      submission('team-a', 'a1', { games: outcomes(q, 'LLWW') }, '2025-06-01T00:00:00.000Z'),
    ];
    const chosen = chooseTeamEntries(submissions, questions, settings({ numBootstrap: 0 }));
    expect(chosen).toEqual(new Map([['team-a', 'a1']]));
  });
});

// ── Rank change ─────────────────────────────────────────────────────────────────────────────────

describe('rank change', () => {
  const q = ids('q', 4);
  const questions = questionMap({ split: 'public', category: 'general', ids: q });
  const submissions = [
    submission('team-a', 'a1', { games: outcomes(q, 'WWWW') }),
    submission('team-b', 'b1', { games: outcomes(q, 'WWWL') }),
    submission('team-c', 'c1', { games: outcomes(q, 'WWLL') }),
    submission('team-d', 'd1', { games: outcomes(q, 'WLLL') }),
  ];

  /** Yesterday's board: team-c first, team-b second, team-a third; team-d was not on it. */
  function yesterday(): Snapshot {
    return board(
      [
        submission('team-c', 'c0', { games: outcomes(q, 'WWWW') }),
        submission('team-b', 'b0', { games: outcomes(q, 'WWWL') }),
        submission('team-a', 'a0', { games: outcomes(q, 'WWLL') }),
      ],
      questions,
      settings(),
    );
  }

  it('reports positions moved since the previous snapshot: up positive, down negative, same 0', () => {
    const previous = yesterday();
    expect(teams(previous)).toEqual(['team-c', 'team-b', 'team-a']);
    const snapshot = board(submissions, questions, settings(), PUBLIC_OVERALL, previous);
    expect(snapshot.entries.map((e) => [e.team, e.rank, e.rankChange])).toEqual([
      ['team-a', 1, 2],
      ['team-b', 2, 0],
      ['team-c', 3, -2],
      ['team-d', 4, 'new'],
    ]);
    expectPublishable(snapshot);
  });

  it('marks every entry new when there is no previous snapshot', () => {
    const snapshot = board(submissions, questions, settings());
    expect(snapshot.entries.map((e) => e.rankChange)).toEqual(['new', 'new', 'new', 'new']);
  });

  it('takes each board’s previous snapshot by its board key', () => {
    const previous = new Map([[boardKey(PUBLIC_OVERALL), yesterday()]]);
    const boards = buildAllBoards(submissions, questions, settings(), { previous, now: NOW });
    const publicBoard = boards.get('public/overall');
    expect(publicBoard?.entries.map((e) => e.rankChange)).toEqual([2, 0, -2, 'new']);
    // The category board had no previous snapshot.
    expect(boards.get('public/general')?.entries.map((e) => e.rankChange)).toEqual([
      'new',
      'new',
      'new',
      'new',
    ]);
  });
});

// ── Category boards and board keys ──────────────────────────────────────────────────────────────

describe('category boards', () => {
  const questions = questionMap(
    { split: 'public', category: 'math', ids: ['m1', 'm2', 'm3'] },
    { split: 'public', category: 'coding', ids: ['c1', 'c2'] },
    { split: 'private', category: 'math', ids: ['m4', 'm5'] },
    { split: 'private', category: 'coding', ids: ['c3'] },
  );
  // team-a is good at maths and bad at coding; team-b the reverse.
  const submissions = [
    submission('team-a', 'a1', {
      games: [...outcomes(['m1', 'm2', 'm3', 'm4', 'm5'], 'WWWWW'), ...outcomes(['c1', 'c2', 'c3'], 'LLL')],
    }),
    submission('team-b', 'b1', {
      games: [...outcomes(['m1', 'm2', 'm3', 'm4', 'm5'], 'LLLLL'), ...outcomes(['c1', 'c2', 'c3'], 'WWW')],
    }),
  ];
  const boards = buildAllBoards(submissions, questions, settings(), { now: NOW });

  it('publishes overall and per-category boards for each split, under their board keys', () => {
    expect([...boards.keys()]).toEqual([
      'public/overall',
      'public/coding',
      'public/math',
      'private/overall',
      'private/coding',
      'private/math',
    ]);
    for (const [key, snapshot] of boards) {
      expect(boardKey({ split: snapshot.split, category: snapshot.params.category })).toBe(key);
      expectPublishable(snapshot);
    }
  });

  it('names boards split/category, with overall for the whole split', () => {
    expect(boardKey({ split: 'public', category: null })).toBe('public/overall');
    expect(boardKey({ split: 'private', category: 'coding' })).toBe('private/coding');
  });

  it('scores a category board on that category’s questions only', () => {
    const math = boards.get('public/math');
    const coding = boards.get('public/coding');
    expect(math?.entries.map((e) => [e.team, e.score, e.nEvals])).toEqual([
      ['team-a', 1, 3],
      ['team-b', 0, 3],
    ]);
    expect(coding?.entries.map((e) => [e.team, e.score, e.nEvals])).toEqual([
      ['team-b', 1, 2],
      ['team-a', 0, 2],
    ]);
    expect(math?.params.category).toBe('math');
    expect(coding?.params.category).toBe('coding');
  });

  it('scores the overall board on every question of its split', () => {
    const overall = boards.get('public/overall');
    expect(overall?.entries.map((e) => [e.team, e.score, e.nEvals])).toEqual([
      ['team-a', 0.6, 5],
      ['team-b', 0.4, 5],
    ]);
    expect(overall?.params.category).toBeNull();
  });

  it('scores the private boards on the private questions only', () => {
    expect(boards.get('private/overall')?.entries.map((e) => [e.team, e.nEvals])).toEqual([
      ['team-a', 3],
      ['team-b', 3],
    ]);
    expect(boards.get('private/coding')?.entries.map((e) => [e.team, e.score, e.nEvals])).toEqual([
      ['team-b', 1, 1],
      ['team-a', 0, 1],
    ]);
    for (const key of ['private/overall', 'private/coding', 'private/math']) {
      expect(boards.get(key)?.split).toBe('private');
    }
  });

  it('publishes an empty board for a category with no questions on that split', () => {
    const onlyPrivate = questionMap(
      { split: 'public', category: 'math', ids: ['m1'] },
      { split: 'private', category: 'poetry', ids: ['p1'] },
    );
    const result = buildAllBoards(
      [submission('team-a', 'a1', { games: [...outcomes(['m1'], 'W'), ...outcomes(['p1'], 'L')] })],
      onlyPrivate,
      settings(),
      { now: NOW },
    );
    expect(result.get('public/poetry')?.entries).toEqual([]);
    expect(result.get('private/math')?.entries).toEqual([]);
    expect(result.get('private/poetry')?.entries.map((e) => e.team)).toEqual(['team-a']);
    for (const snapshot of result.values()) expectPublishable(snapshot);
  });
});

// ── Public/private split and the anti-cherry-picking rule ───────────────────────────────────────

describe('public and private splits', () => {
  const questions = questionMap(
    { split: 'public', category: 'general', ids: ids('p', 4) },
    { split: 'private', category: 'general', ids: ids('s', 4) },
  );
  const p = ids('p', 4);
  const s = ids('s', 4);
  // team-a's second submission is worse on the public split (0.5 < 0.75) but better on the private one.
  const a1 = submission(
    'team-a',
    'a1',
    { games: [...outcomes(p, 'WWWL'), ...outcomes(s, 'WLLL')] },
    '2025-06-01T00:00:00.000Z',
  );
  const a2 = submission(
    'team-a',
    'a2',
    { games: [...outcomes(p, 'WWLL'), ...outcomes(s, 'WWWW')] },
    '2025-06-02T00:00:00.000Z',
  );
  const b1 = submission('team-b', 'b1', { games: [...outcomes(p, 'WWLL'), ...outcomes(s, 'WWLL')] });
  const submissions = [a1, a2, b1];

  it('scores a submission on the private split with the private questions only', () => {
    const snapshot = buildBoard(
      submissions,
      questions,
      settings(),
      { split: 'private', category: null },
      { chosen: new Map([['team-a', 'a2']]), now: NOW },
    );
    expect(snapshot.entries.map((e) => [e.submissionId, e.score, e.nEvals])).toEqual([['a2', 1, 4]]);
  });

  it('represents a team on the private board by the submission chosen on the public board', () => {
    const boards = buildAllBoards(submissions, questions, settings(), { now: NOW });
    const publicBoard = boards.get('public/overall');
    const privateBoard = boards.get('private/overall');
    expect(publicBoard && entryOf(publicBoard, 'team-a')).toMatchObject({ submissionId: 'a1', score: 0.75 });
    // Not a2, although a2 would score 1 on the private split: the private split cannot be cherry-picked.
    expect(privateBoard && entryOf(privateBoard, 'team-a')).toMatchObject({
      submissionId: 'a1',
      score: 0.25,
      nEvals: 4,
    });
    expect(privateBoard && teams(privateBoard)).toEqual(['team-b', 'team-a']);
  });

  it('uses the same chosen submission on every board', () => {
    const boards = buildAllBoards(submissions, questions, settings(), { now: NOW });
    for (const snapshot of boards.values()) {
      for (const entry of snapshot.entries) {
        expect(entry.submissionId).toBe(entry.team === 'team-a' ? 'a1' : 'b1');
      }
    }
  });
});

// ── Selection ───────────────────────────────────────────────────────────────────────────────────

describe('selection', () => {
  const q = ids('q', 4);
  const questions = questionMap({ split: 'public', category: 'general', ids: q });
  const submissions = [
    submission('team-a', 'a1', { games: outcomes(q, 'WWLL') }, '2025-06-01T00:00:00.000Z'),
    submission('team-a', 'a2', { games: outcomes(q, 'WWWL') }, '2025-06-02T00:00:00.000Z'),
    submission('team-a', 'a3', { games: outcomes(q, 'WLLL') }, '2025-06-03T00:00:00.000Z'),
    submission('team-b', 'b1', { games: outcomes(q, 'WLLL') }, '2025-06-01T00:00:00.000Z'),
    submission('team-b', 'b2', { games: outcomes(q, 'TTTT') }, '2025-06-02T00:00:00.000Z'),
  ];

  it('best: picks each team’s best public submission', () => {
    const chosen = chooseTeamEntries(submissions, questions, settings({ selection: 'best' }));
    expect(chosen).toEqual(
      new Map([
        ['team-a', 'a2'],
        ['team-b', 'b2'],
      ]),
    );
  });

  it('best: ignores a team’s selection', () => {
    const chosen = chooseTeamEntries(
      submissions,
      questions,
      settings({ selection: 'best' }),
      new Map([['team-a', 'a3']]),
    );
    expect(chosen.get('team-a')).toBe('a2');
  });

  it('selected: picks the submission a team selected even when it scores worse', () => {
    const chosen = chooseTeamEntries(
      submissions,
      questions,
      settings({ selection: 'selected' }),
      new Map([['team-a', 'a3']]),
    );
    expect(chosen).toEqual(
      new Map([
        ['team-a', 'a3'],
        ['team-b', 'b2'], // no selection: its best
      ]),
    );
  });

  it('selected: puts the selected submission on the board', () => {
    const selectedSettings = settings({ selection: 'selected' });
    const boards = buildAllBoards(submissions, questions, selectedSettings, {
      selected: new Map([['team-a', 'a3']]),
      now: NOW,
    });
    const overall = boards.get('public/overall');
    expect(overall?.entries.map((e) => [e.team, e.submissionId, e.score])).toEqual([
      ['team-b', 'b2', 0.5],
      ['team-a', 'a3', 0.25],
    ]);
    expect(overall?.params.selection).toBe('selected');
  });

  it('selected: ignores a selection naming an unknown submission', () => {
    const chosen = chooseTeamEntries(
      submissions,
      questions,
      settings({ selection: 'selected' }),
      new Map([['team-a', 'no-such-submission']]),
    );
    expect(chosen.get('team-a')).toBe('a2');
  });

  it('selected: ignores a selection naming another team’s submission', () => {
    const chosen = chooseTeamEntries(
      submissions,
      questions,
      settings({ selection: 'selected' }),
      new Map([['team-a', 'b1']]),
    );
    expect(chosen.get('team-a')).toBe('a2');
    expect(chosen.get('team-b')).toBe('b2');
  });

  it('selected: ignores a selection by a team with no submissions', () => {
    const chosen = chooseTeamEntries(
      submissions,
      questions,
      settings({ selection: 'selected' }),
      new Map([['team-x', 'a1']]),
    );
    expect(chosen.has('team-x')).toBe(false);
  });
});

// ── Rubric ──────────────────────────────────────────────────────────────────────────────────────

describe('buildBoard with the rubric method', () => {
  const criteria: Criterion[] = [
    { name: 'accuracy', weight: 0.4 },
    { name: 'coherence', weight: 0.3 },
    { name: 'relevance', weight: 0.3 },
  ];
  const questions = questionMap({ split: 'public', category: 'general', ids: ['q1', 'q2'] });
  // team-a: q1 0.4·10 + 0.3·5 + 0.3·5 = 7.0; q2 0.4·6 + 0.3·9 + 0.3·3 = 6.0; mean 6.5.
  // team-b: q1 0.4·4 + 0.3·4 + 0.3·4 = 4.0; q2 0.4·2 + 0.3·8 + 0.3·8 = 5.6; mean 4.8.
  const submissions = [
    submission('team-b', 'b1', {
      grades: [
        { questionId: 'q1', scores: { accuracy: 4, coherence: 4, relevance: 4 } },
        { questionId: 'q2', scores: { accuracy: 2, coherence: 8, relevance: 8 } },
      ],
    }),
    submission('team-a', 'a1', {
      grades: [
        { questionId: 'q1', scores: { accuracy: 10, coherence: 5, relevance: 5 } },
        { questionId: 'q2', scores: { accuracy: 6, coherence: 9, relevance: 3 } },
      ],
    }),
  ];
  const rubric = settings({ method: 'rubric', criteria });

  it('scores each entry with the weighted criteria, best first', () => {
    const snapshot = board(submissions, questions, rubric);
    expect(teams(snapshot)).toEqual(['team-a', 'team-b']);
    expect(entryOf(snapshot, 'team-a').score).toBeCloseTo(6.5, 12);
    expect(entryOf(snapshot, 'team-b').score).toBeCloseTo(4.8, 12);
    expect(entryOf(snapshot, 'team-a').nEvals).toBe(2);
  });

  it('reports the per-criterion means on the entry', () => {
    const snapshot = board(submissions, questions, rubric);
    expect(entryOf(snapshot, 'team-a').criteria).toEqual({ accuracy: 8, coherence: 7, relevance: 4 });
    expect(entryOf(snapshot, 'team-b').criteria).toEqual({ accuracy: 3, coherence: 6, relevance: 6 });
  });

  it('produces a schema-valid rubric snapshot', () => {
    const snapshot = board(submissions, questions, rubric);
    expect(snapshot.method).toBe('rubric');
    expectPublishable(snapshot);
  });

  it('refuses to build a rubric board without the criteria', () => {
    expect(() => board(submissions, questions, settings({ method: 'rubric' }))).toThrow(RangeError);
  });
});

// ── Bradley-Terry ───────────────────────────────────────────────────────────────────────────────

describe('buildBoard with the bradley-terry method', () => {
  const q = ids('q', 8);
  const questions = questionMap({ split: 'public', category: 'general', ids: q });
  // Against the reference only, each team's rating is its own two-model fit:
  // R = 1000 + 400·log10(wins / losses).
  const strong = submission('team-a', 'a1', { games: outcomes(q, 'WWWWWWLL') }); // 12–4
  const weak = submission('team-b', 'b1', { games: outcomes(q, 'WWWLLLLL') }); // 6–10
  const even = submission('team-c', 'c1', { games: outcomes(q, 'WWWWLLLL') }); // 8–8
  const unbeaten = submission('team-d', 'd1', { games: outcomes(q, 'WWWWWWWW') }); // 16–0
  const arena = settings({ method: 'bradley-terry', reference: 'reference-model' });

  it('anchors the reference at 1000, so a team winning more than half its battles is above it', () => {
    const snapshot = board([weak, strong, even], questions, arena);
    expect(teams(snapshot)).toEqual(['team-a', 'team-c', 'team-b']);
    expect(entryOf(snapshot, 'team-a').score).toBeCloseTo(1000 + 400 * Math.log10(3), 6);
    expect(entryOf(snapshot, 'team-b').score).toBeCloseTo(1000 + 400 * Math.log10(6 / 10), 6);
    expect(entryOf(snapshot, 'team-c').score).toBeCloseTo(1000, 6);
    expect(entryOf(snapshot, 'team-a').score).toBeGreaterThan(1000);
    expect(entryOf(snapshot, 'team-b').score).toBeLessThan(1000);
    expectPublishable(snapshot);
  });

  it('keeps the reference model off the board', () => {
    const snapshot = board([weak, strong], questions, arena);
    expect(snapshot.entries.map((e) => e.model)).not.toContain('reference-model');
    expect(snapshot.entries).toHaveLength(2);
  });

  it('counts battles, not questions, as the evaluations', () => {
    const snapshot = board([weak, strong], questions, arena);
    expect(snapshot.entries.map((e) => e.nEvals)).toEqual([16, 16]);
  });

  it('puts each rating inside its bootstrap CI', () => {
    const snapshot = board([weak, strong, even], questions, arena);
    for (const entry of snapshot.entries) {
      expect(entry.ciLow).toBeLessThanOrEqual(entry.score);
      expect(entry.ciHigh).toBeGreaterThanOrEqual(entry.score);
    }
  });

  it('anchors the reference at the configured reference rating', () => {
    const snapshot = board([weak, strong], questions, { ...arena, referenceRating: 1200 });
    expect(entryOf(snapshot, 'team-a').score).toBeCloseTo(1200 + 400 * Math.log10(3), 6);
  });

  it('counts a strong verdict as three battles', () => {
    // q1, q2: strong wins in both orders (4 × 3 = 12 battles won); q3, q4: weak losses (4 lost).
    const strongVerdicts = submission('team-a', 'a1', {
      games: games('q1:A>>B/B>>A', 'q2:A>>B/B>>A', 'q3:B>A/A>B', 'q4:B>A/A>B'),
    });
    const snapshot = board([strongVerdicts, weak], questions, arena);
    expect(entryOf(snapshot, 'team-a')).toMatchObject({ nEvals: 16 });
    expect(entryOf(snapshot, 'team-a').score).toBeCloseTo(1000 + 400 * Math.log10(3), 6);
  });

  it('leaves a submission that won every battle off the board, saying why, when there is no prior', () => {
    const entrants = [weak, strong, unbeaten];
    const snapshot = buildBoard(entrants, questions, arena, PUBLIC_OVERALL, {
      chosen: new Map(entrants.map((s) => [s.team, s.submissionId])),
      now: NOW,
    });
    expect(teams(snapshot)).toEqual(['team-a', 'team-b']);
    expect(snapshot.excluded).toHaveLength(1);
    expect(snapshot.excluded[0]).toMatchObject({ team: 'team-d', model: 'team-d-model', nEvals: 16 });
    expect(snapshot.excluded[0]?.reason).toMatch(/never lost/);
    expectPublishable(snapshot);
  });

  it('lists a team that won every battle as excluded on the published boards, not silently dropped', () => {
    const boards = buildAllBoards([weak, strong, unbeaten], questions, arena, { now: NOW });
    const overall = boards.get('public/overall');
    expect(overall && teams(overall)).toEqual(['team-a', 'team-b']);
    expect(overall?.excluded.map((e) => e.team)).toEqual(['team-d']);
  });

  it('rates a team that won every battle, finitely and highest, with a prior', () => {
    const snapshot = board([weak, strong, unbeaten], questions, { ...arena, priorSd: 400 });
    expect(teams(snapshot)).toEqual(['team-d', 'team-a', 'team-b']);
    const top = entryOf(snapshot, 'team-d');
    expect(Number.isFinite(top.score)).toBe(true);
    expect(top.score).toBeGreaterThan(entryOf(snapshot, 'team-a').score);
    expect(snapshot.excluded).toEqual([]);
    expectPublishable(snapshot);
  });

  it('shrinks ratings toward the reference with a prior, keeping their order', () => {
    const snapshot = board([weak, strong], questions, { ...arena, priorSd: 100 });
    const a = entryOf(snapshot, 'team-a').score;
    const b = entryOf(snapshot, 'team-b').score;
    expect(a).toBeGreaterThan(1000);
    expect(a).toBeLessThan(1000 + 400 * Math.log10(3));
    expect(b).toBeLessThan(1000);
    expect(b).toBeGreaterThan(1000 + 400 * Math.log10(6 / 10));
  });

  it('applies MIN_EVALS to battles', () => {
    const short = submission('team-e', 'e1', { games: outcomes(['q1', 'q2'], 'WL') }); // 4 battles
    const snapshot = board([weak, strong, short], questions, { ...arena, minEvals: 5 });
    expect(teams(snapshot)).toEqual(['team-a', 'team-b']);
    expect(snapshot.excluded).toHaveLength(1);
    expect(snapshot.excluded[0]).toMatchObject({ team: 'team-e', nEvals: 4 });
    expect(snapshot.excluded[0]?.reason).toMatch(/4 battles.*MIN_EVALS/);
  });

  it('ranks by rank upper bound in SIGNIFICANT mode', () => {
    const snapshot = board([weak, strong, even], questions, { ...arena, significant: true });
    for (const entry of snapshot.entries) expect(entry.rank).toBe(entry.rankUpper);
    expect(snapshot.params.rankedBy).toBe('rank-upper-bound');
    expectPublishable(snapshot);
  });
});

// ── Finite numbers everywhere ───────────────────────────────────────────────────────────────────

describe('published numbers', () => {
  const questions = questionMap(
    { split: 'public', category: 'math', ids: ['m1', 'm2', 'm3'] },
    { split: 'private', category: 'math', ids: ['m4', 'm5'] },
    { split: 'private', category: 'coding', ids: ['c1'] },
  );
  const all = ['m1', 'm2', 'm3', 'm4', 'm5', 'c1'];
  const winRateSubmissions = [
    submission('team-a', 'a1', { games: outcomes(all, 'WWWWWW') }),
    submission('team-b', 'b1', { games: outcomes(all, 'LLLLLL') }),
    submission('team-c', 'c1', { games: outcomes(all, 'TWLTWL') }),
    submission('team-d', 'd1', { games: outcomes(['m1'], 'W') }), // a single question
  ];

  it.each([
    ['win-rate, by score', settings()],
    ['win-rate, SIGNIFICANT with MIN_EVALS', settings({ significant: true, minEvals: 2 })],
    ['win-rate, no bootstrap', settings({ numBootstrap: 0 })],
    ['bradley-terry without a prior', settings({ method: 'bradley-terry' })],
    ['bradley-terry with a prior', settings({ method: 'bradley-terry', priorSd: 200 })],
  ])('are all finite and survive a JSON round trip (%s)', (_, boardSettings) => {
    const boards = buildAllBoards(winRateSubmissions, questions, boardSettings, { now: NOW });
    expect(boards.size).toBe(6);
    for (const snapshot of boards.values()) expectPublishable(snapshot);
  });

  it('are all finite on rubric boards', () => {
    const grade = (questionId: string, value: number): RubricGrade => ({
      questionId,
      scores: { accuracy: value, coherence: value, relevance: value },
    });
    const boards = buildAllBoards(
      [
        submission('team-a', 'a1', { grades: all.map((id) => grade(id, 9)) }),
        submission('team-b', 'b1', { grades: [grade('m1', 1)] }),
      ],
      questions,
      settings({
        method: 'rubric',
        criteria: [
          { name: 'accuracy', weight: 4 },
          { name: 'coherence', weight: 3 },
          { name: 'relevance', weight: 3 },
        ],
      }),
      { now: NOW },
    );
    for (const snapshot of boards.values()) expectPublishable(snapshot);
  });
});

// ── Unknown questions ───────────────────────────────────────────────────────────────────────────

describe('unknown questions', () => {
  const questions = questionMap({ split: 'public', category: 'general', ids: ['q1', 'q2'] });
  const criteria: Criterion[] = [{ name: 'accuracy', weight: 1 }];

  it.each([
    ['win-rate', settings(), { games: outcomes(['q1', 'q99'], 'WL') }],
    ['bradley-terry', settings({ method: 'bradley-terry' }), { games: outcomes(['q1', 'q99'], 'WL') }],
    [
      'rubric',
      settings({ method: 'rubric', criteria }),
      {
        grades: [
          { questionId: 'q1', scores: { accuracy: 5 } },
          { questionId: 'q99', scores: { accuracy: 5 } },
        ],
      },
    ],
  ])(
    'throws UnknownQuestion for a %s judgment of a question not in the question set',
    (_, boardSettings, judged) => {
      const submissions = [submission('team-a', 'a1', judged)];
      expect(() => buildAllBoards(submissions, questions, boardSettings, { now: NOW })).toThrow(
        UnknownQuestion,
      );
      expect(() =>
        buildBoard(submissions, questions, boardSettings, PUBLIC_OVERALL, {
          chosen: new Map([['team-a', 'a1']]),
          now: NOW,
        }),
      ).toThrow(/q99/);
    },
  );
});
