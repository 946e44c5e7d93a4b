import type { SnapshotMethod } from '../../../shared/contracts/snapshot.js';

export interface ScoreDomain {
  readonly min: number;
  readonly max: number;
  /** Where a score means "as good as the reference" (50% win rate, the 1000 rating centre). */
  readonly parity: number | undefined;
}

interface Interval {
  readonly score: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

/**
 * The axis every whisker on a board shares, so whiskers compare at a glance: 0–100% for a win rate
 * (with 50%, a draw with the reference, marked); otherwise the board's own spread of intervals with a
 * little room either side (kept inside 1–10 for a rubric, and around the 1000 centre for a rating).
 */
export function scoreDomain(method: SnapshotMethod, entries: readonly Interval[]): ScoreDomain {
  if (method === 'win-rate') return { min: 0, max: 1, parity: 0.5 };
  const lows = entries.map((e) => Math.min(e.ciLow, e.score));
  const highs = entries.map((e) => Math.max(e.ciHigh, e.score));
  if (method === 'rubric') {
    // Rubric scores bunch up on the 1–10 scale; zoom to the board so the intervals are readable.
    if (entries.length === 0) return { min: 1, max: 10, parity: undefined };
    const low = Math.min(...lows);
    const high = Math.max(...highs);
    const pad = Math.max((high - low) * 0.05, 0.1);
    return { min: Math.max(1, low - pad), max: Math.min(10, high + pad), parity: undefined };
  }
  const low = Math.min(1000, ...lows);
  const high = Math.max(1000, ...highs);
  const pad = Math.max((high - low) * 0.05, 10);
  return { min: low - pad, max: high + pad, parity: 1000 };
}

export interface WhiskerGeometry {
  readonly width: number;
  readonly height: number;
  readonly low: number;
  readonly high: number;
  readonly point: number;
  readonly parity: number | undefined;
  readonly mid: number;
}

/** Pixel positions of an interval on a `width`-wide strip; values outside the domain are clamped. */
export function whiskerGeometry(
  interval: Interval,
  domain: ScoreDomain,
  size: { width: number; height: number; inset?: number },
): WhiskerGeometry {
  const inset = size.inset ?? 4;
  const x = scaleLinear(domain.min, domain.max, inset, size.width - inset);
  const low = Math.min(interval.ciLow, interval.ciHigh);
  const high = Math.max(interval.ciLow, interval.ciHigh);
  return {
    width: size.width,
    height: size.height,
    low: x(low),
    high: x(high),
    point: x(interval.score),
    parity: domain.parity === undefined ? undefined : x(domain.parity),
    mid: size.height / 2,
  };
}

/** A clamped linear map from [d0, d1] onto [r0, r1], rounded to 0.1 px so the SVG stays small. */
export function scaleLinear(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0;
  return (value) => {
    const t = span === 0 ? 0.5 : (value - d0) / span;
    const clamped = Math.min(1, Math.max(0, t));
    return Math.round((r0 + clamped * (r1 - r0)) * 10) / 10;
  };
}
