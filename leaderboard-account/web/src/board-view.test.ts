import { describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotEntry } from '../../../shared/contracts/snapshot.js';
import { boardView, criterionHeading, displayName } from './board-view.js';

function entry(team: string, rank: number, score: number, extra: Partial<SnapshotEntry> = {}): SnapshotEntry {
  return {
    rank,
    rankUpper: rank,
    team,
    model: `${team}-model`,
    score,
    ciLow: score - 0.05,
    ciHigh: score + 0.05,
    criteria: {},
    nEvals: 40,
    submissionId: `${team}-1`,
    submittedAt: '2026-11-21T10:00:00Z',
    rankChange: 0,
    ...extra,
  };
}

function board(entries: SnapshotEntry[], method: Snapshot['method'] = 'win-rate'): Snapshot {
  return {
    slug: 'league',
    generatedAt: '2026-11-22T10:00:00Z',
    method,
    params: {
      numBootstrap: 1000,
      seed: 0,
      minEvals: 10,
      significant: false,
      rankedBy: 'score',
      selection: 'best',
      category: null,
    },
    split: 'public',
    entries,
    excluded: [
      { team: 'late', model: 'm', reason: 'judged on 3 questions, fewer than MIN_EVALS (10)', nEvals: 3 },
    ],
  };
}

describe('board view', () => {
  it('orders rows by rank, then score, then team id, whatever order the file lists them in', () => {
    const view = boardView(
      board([entry('c', 2, 0.5), entry('b', 2, 0.5), entry('a', 1, 0.7), entry('d', 2, 0.6)]),
      {},
    );
    expect(view.rows.map((r) => r.entry.team)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('puts the first three rows on the podium', () => {
    const view = boardView(
      board([entry('a', 1, 0.9), entry('b', 2, 0.8), entry('c', 3, 0.7), entry('d', 4, 0.6)]),
      {},
    );
    expect(view.podium.map((r) => r.entry.team)).toEqual(['a', 'b', 'c']);
  });

  it('shows display names, falling back to the team id', () => {
    const view = boardView(board([entry('otters', 1, 0.9), entry('anon', 2, 0.8)]), {
      otters: 'The Otters',
      late: 'Late Team',
    });
    expect(view.rows.map((r) => r.teamName)).toEqual(['The Otters', 'anon']);
    expect(view.excluded).toEqual([
      { teamName: 'Late Team', model: 'm', reason: 'judged on 3 questions, fewer than MIN_EVALS (10)' },
    ]);
  });

  it('does not take a display name from the object prototype', () => {
    expect(displayName({}, 'constructor')).toBe('constructor');
  });

  it('lists every criterion a rubric board reports, with a dash where one is missing', () => {
    const view = boardView(
      board(
        [
          entry('a', 1, 8.1, { criteria: { accuracy: 8.42, coherence: 7.9 } }),
          entry('b', 2, 7.2, { criteria: { accuracy: 7.0, relevance: 7.55 } }),
        ],
        'rubric',
      ),
      {},
    );
    expect(view.criteria).toEqual(['accuracy', 'coherence', 'relevance']);
    expect(view.rows[0]?.criteria).toEqual(['8.4', '7.9', '–']);
    expect(view.rows[1]?.criteria).toEqual(['7.0', '–', '7.5']);
    expect(view.rows[0]?.score).toBe('8.10 / 10');
  });

  it('labels the rank spread and the rank change of each row', () => {
    const view = boardView(
      board([
        entry('a', 1, 0.9, { rankChange: 'new' }),
        entry('b', 2, 0.8, { rankUpper: 1, rankChange: -1 }),
      ]),
      {},
    );
    expect(view.rows.map((r) => [r.spread.text, r.change.text])).toEqual([
      ['1', 'NEW'],
      ['1–2', '▼1'],
    ]);
  });
});

describe('criterion headings', () => {
  it('reads as words', () => {
    expect(criterionHeading('instruction_following')).toBe('Instruction following');
  });
});
