import { describe, expect, it } from 'vitest';
import type { TeamScore, TeamSubmission } from './data.js';
import { formatTeamScore, formatTick, historyChart } from './history-chart.js';

const score = (value: number, metric: TeamScore['metric'] = 'win-rate'): TeamScore => ({
  score: value,
  ciLow: value - 0.1,
  ciHigh: value + 0.1,
  nQuestions: 50,
  metric,
});

function submission(
  id: string,
  submittedAt: string,
  pub: TeamScore | null,
  priv?: TeamScore | null,
): TeamSubmission {
  return { submissionId: id, model: 'm', submittedAt, selected: false, public: pub, private: priv };
}

const size = { width: 264, height: 140 };

describe('score history chart', () => {
  it('draws scored submissions oldest first, whatever the file order', () => {
    const chart = historyChart(
      [
        submission('new', '2026-11-21T10:00:00Z', score(0.75)),
        submission('unscored', '2026-11-20T10:00:00Z', null),
        submission('old', '2026-11-19T10:00:00Z', score(0.25)),
      ],
      'public',
      size,
    );
    expect(chart?.points.map((p) => p.submissionId)).toEqual(['old', 'new']);
    // Plot: x 48–248, y 112 (0%) to 12 (100%).
    expect(chart?.line).toBe('M48 87 L248 37');
    expect(chart?.parityY).toBe(62);
    expect(chart?.band).toBe('48,77 248,27 248,47 48,97');
  });

  it('centres a lone submission', () => {
    const chart = historyChart([submission('only', '2026-11-19T10:00:00Z', score(0.5))], 'public', size);
    expect(chart?.points[0]?.x).toBe(148);
  });

  it('uses the 1–10 axis for rubric scores, without a parity line', () => {
    const chart = historyChart(
      [submission('a', '2026-11-19T10:00:00Z', score(10, 'rubric'))],
      'public',
      size,
    );
    expect(chart?.points[0]?.y).toBe(12);
    expect(chart?.ticks.map((t) => t.value)).toEqual([1, 4, 7, 10]);
    expect(chart?.parityY).toBeUndefined();
  });

  it('plots the private split only from private scores', () => {
    const subs = [submission('a', '2026-11-19T10:00:00Z', score(0.5), score(0.4))];
    expect(historyChart(subs, 'private', size)?.points[0]?.score.score).toBe(0.4);
    expect(
      historyChart([submission('b', '2026-11-19T10:00:00Z', score(0.5))], 'private', size),
    ).toBeUndefined();
  });

  it('formats scores and ticks by metric', () => {
    expect(formatTeamScore(score(0.625))).toBe('62.5%');
    expect(formatTeamScore(score(7.5, 'rubric'))).toBe('7.50 / 10');
    expect(formatTick('win-rate', 0.25)).toBe('25%');
  });
});
