import type { FlaggedAnswers, RankChange, SnapshotMethod } from '../../../shared/contracts/snapshot.js';

// Shared with the participant app, so a score reads the same in both.
export { formatInterval, formatScore } from '../../../shared/web/score-format.js';

export function methodLabel(method: SnapshotMethod): string {
  switch (method) {
    case 'win-rate':
      return 'Win rate vs reference';
    case 'rubric':
      return 'Rubric score (1–10)';
    case 'bradley-terry':
      return 'Bradley-Terry rating';
  }
}

/** Criterion scores are rubric means, always on the 1–10 scale. */
export function formatCriterion(value: number): string {
  return value.toFixed(1);
}

export interface RankChangeLabel {
  readonly text: string;
  /** What a screen reader says: the arrows alone mean nothing out loud. */
  readonly description: string;
  readonly tone: 'up' | 'down' | 'same' | 'new';
}

export function rankChangeLabel(change: RankChange): RankChangeLabel {
  if (change === 'new') return { text: 'NEW', description: 'new since the last snapshot', tone: 'new' };
  if (change > 0) return { text: `▲${change}`, description: `up ${places(change)}`, tone: 'up' };
  if (change < 0) return { text: `▼${-change}`, description: `down ${places(-change)}`, tone: 'down' };
  return { text: '–', description: 'no change', tone: 'same' };
}

function places(n: number): string {
  return n === 1 ? '1 place' : `${n} places`;
}

/**
 * The ranks an entry could plausibly hold: from its rank upper bound (1 + the entries whose CI lies
 * wholly above it) to its rank. A single number when the two agree.
 */
export function rankSpread(rank: number, rankUpper: number): { text: string; description: string } {
  const best = Math.min(rank, rankUpper);
  const worst = Math.max(rank, rankUpper);
  if (best === worst) return { text: `${best}`, description: `rank ${best}, separated from its neighbours` };
  return { text: `${best}–${worst}`, description: `could rank anywhere from ${best} to ${worst}` };
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** Times are shown in UTC, the League's clock (snapshots are taken at 10:00 UTC). */
export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : `${dateTime.format(time)} UTC`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

/** What the injection detector found in an entry's answers, as the board's marker says it. */
export function flaggedLabel(flagged: FlaggedAnswers): { text: string; description: string } {
  const answers = flagged.answers === 1 ? '1 answer' : `${flagged.answers} answers`;
  const codes = Object.entries(flagged.codes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) => (n > 1 ? `${code} ×${n}` : code))
    .join(', ');
  return {
    text: `⚑ ${flagged.answers} flagged`,
    description: `${answers} flagged by the injection detector: ${codes}`,
  };
}
