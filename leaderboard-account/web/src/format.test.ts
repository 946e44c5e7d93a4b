import { describe, expect, it } from 'vitest';
import { formatDateTime, formatInterval, formatScore, rankChangeLabel, rankSpread } from './format.js';

describe('score formatting by method', () => {
  it('shows a win rate as a percentage', () => {
    expect(formatScore('win-rate', 0.6234)).toBe('62.3%');
    expect(formatInterval('win-rate', 0.55, 0.701)).toBe('55.0–70.1%');
  });

  it('shows a rubric score out of 10', () => {
    expect(formatScore('rubric', 7.456)).toBe('7.46 / 10');
    expect(formatInterval('rubric', 7.1, 7.8)).toBe('7.10–7.80');
  });

  it('shows a Bradley-Terry score as a whole rating', () => {
    expect(formatScore('bradley-terry', 1034.6)).toBe('1035');
    expect(formatInterval('bradley-terry', 990.2, 1080.7)).toBe('990–1081');
  });
});

describe('rank change labels', () => {
  it('marks a climb, a fall, no change and a newcomer', () => {
    expect(rankChangeLabel(2)).toMatchObject({ text: '▲2', tone: 'up', description: 'up 2 places' });
    expect(rankChangeLabel(-1)).toMatchObject({ text: '▼1', tone: 'down', description: 'down 1 place' });
    expect(rankChangeLabel(0)).toMatchObject({ text: '–', tone: 'same' });
    expect(rankChangeLabel('new')).toMatchObject({ text: 'NEW', tone: 'new' });
  });
});

describe('rank spread', () => {
  it('spans from the rank upper bound to the rank when they differ', () => {
    expect(rankSpread(5, 2).text).toBe('2–5');
  });

  it('is a single rank when the entry is separated from its neighbours', () => {
    expect(rankSpread(3, 3).text).toBe('3');
  });
});

describe('times', () => {
  it('are shown in UTC', () => {
    expect(formatDateTime('2026-11-22T18:42:07.000Z')).toBe('22 Nov 2026, 18:42 UTC');
  });

  it('fall back to the raw text when unparseable', () => {
    expect(formatDateTime('soon')).toBe('soon');
  });
});
