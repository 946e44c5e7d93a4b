import { describe, expect, it } from 'vitest';
import { scaleLinear, scoreDomain, whiskerGeometry } from './whisker.js';

describe('score domain', () => {
  it('is the whole 0–100% range for a win rate, with parity at 50%', () => {
    expect(scoreDomain('win-rate', [])).toEqual({ min: 0, max: 1, parity: 0.5 });
  });

  it('zooms a rubric board to its intervals, inside the 1–10 scale', () => {
    const domain = scoreDomain('rubric', [
      { score: 7, ciLow: 6, ciHigh: 8 },
      { score: 9.8, ciLow: 9.5, ciHigh: 10 },
    ]);
    expect(domain.min).toBeCloseTo(5.8);
    expect(domain.max).toBe(10);
    expect(domain.parity).toBeUndefined();
    expect(scoreDomain('rubric', [])).toMatchObject({ min: 1, max: 10 });
  });

  it('covers every Bradley-Terry interval and the 1000 centre, with padding', () => {
    const domain = scoreDomain('bradley-terry', [
      { score: 1100, ciLow: 1050, ciHigh: 1150 },
      { score: 1020, ciLow: 980, ciHigh: 1060 },
    ]);
    expect(domain.min).toBeLessThan(980);
    expect(domain.max).toBeGreaterThan(1150);
    expect(domain.parity).toBe(1000);
  });
});

describe('whisker geometry', () => {
  it('places the interval and the score on the strip inside its inset', () => {
    const g = whiskerGeometry({ score: 0.5, ciLow: 0.25, ciHigh: 0.75 }, scoreDomain('win-rate', []), {
      width: 108,
      height: 18,
      inset: 4,
    });
    expect([g.low, g.point, g.high, g.parity, g.mid]).toEqual([29, 54, 79, 54, 9]);
  });

  it('clamps an interval that runs off the axis', () => {
    const g = whiskerGeometry(
      { score: 9.9, ciLow: 9.5, ciHigh: 10.4 },
      { min: 1, max: 10, parity: undefined },
      {
        width: 100,
        height: 10,
      },
    );
    expect(g.high).toBe(96);
  });
});

describe('linear scale', () => {
  it('maps the middle of a degenerate domain to the middle of the range', () => {
    expect(scaleLinear(5, 5, 0, 100)(5)).toBe(50);
  });
});
