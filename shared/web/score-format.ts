import type { SnapshotMethod } from '../contracts/snapshot.js';

/** How a score reads: win rate as a percentage, rubric on the 1–10 scale, Bradley-Terry as a rating. */
export function formatScore(method: SnapshotMethod, value: number): string {
  switch (method) {
    case 'win-rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'rubric':
      return `${value.toFixed(2)} / 10`;
    case 'bradley-terry':
      return Math.round(value).toString();
  }
}

/** The confidence interval as a range in the score's own units, e.g. "55.0–70.2%". */
export function formatInterval(method: SnapshotMethod, low: number, high: number): string {
  switch (method) {
    case 'win-rate':
      return `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}%`;
    case 'rubric':
      return `${low.toFixed(2)}–${high.toFixed(2)}`;
    case 'bradley-terry':
      return `${Math.round(low)}–${Math.round(high)}`;
  }
}
