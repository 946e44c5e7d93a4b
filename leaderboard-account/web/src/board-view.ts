import type { Snapshot, SnapshotEntry, SnapshotMethod } from '../../../shared/contracts/snapshot.js';
import {
  formatCriterion,
  formatDateTime,
  formatInterval,
  formatScore,
  type RankChangeLabel,
  rankChangeLabel,
  rankSpread,
} from './format.js';

export interface BoardRow {
  readonly entry: SnapshotEntry;
  readonly rank: number;
  readonly spread: { text: string; description: string };
  readonly teamName: string;
  readonly score: string;
  readonly interval: string;
  /** The length- or style-controlled score and interval, when the board has control ('–' when unknown). */
  readonly controlled?: { readonly score: string; readonly interval: string };
  /** One cell per board criterion, in {@link BoardView.criteria} order; `–` where a criterion is missing. */
  readonly criteria: readonly string[];
  readonly change: RankChangeLabel;
  readonly submittedAt: string;
}

export interface BoardView {
  readonly method: SnapshotMethod;
  /** The heading of the controlled-score column, when the board publishes one. */
  readonly controlHeading?: string;
  readonly criteria: readonly string[];
  readonly rows: readonly BoardRow[];
  readonly podium: readonly BoardRow[];
  readonly excluded: readonly { teamName: string; model: string; reason: string }[];
}

export function displayName(teamNames: Readonly<Record<string, string>>, team: string): string {
  return Object.hasOwn(teamNames, team) ? (teamNames[team] ?? team) : team;
}

/**
 * Entries in rank order (ties by score, then team id, so a reload never reshuffles them), the union
 * of criteria the board reports, and the top three for the podium.
 */
export function boardView(board: Snapshot, teamNames: Readonly<Record<string, string>>): BoardView {
  const sorted = [...board.entries].sort(
    (a, b) => a.rank - b.rank || b.score - a.score || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0),
  );
  const criteria = criteriaOf(sorted);
  const rows = sorted.map(
    (entry): BoardRow => ({
      entry,
      rank: entry.rank,
      spread: rankSpread(entry.rank, entry.rankUpper),
      teamName: displayName(teamNames, entry.team),
      score: formatScore(board.method, entry.score),
      interval: formatInterval(board.method, entry.ciLow, entry.ciHigh),
      ...(board.params.control
        ? {
            controlled: entry.controlled
              ? {
                  score: formatScore(board.method, entry.controlled.score),
                  interval: formatInterval(board.method, entry.controlled.ciLow, entry.controlled.ciHigh),
                }
              : { score: '–', interval: '' },
          }
        : {}),
      criteria: criteria.map((name) => {
        const value = Object.hasOwn(entry.criteria, name) ? entry.criteria[name] : undefined;
        return value === undefined ? '–' : formatCriterion(value);
      }),
      change: rankChangeLabel(entry.rankChange),
      submittedAt: formatDateTime(entry.submittedAt),
    }),
  );
  return {
    method: board.method,
    ...(board.params.control ? { controlHeading: controlHeading(board.params.control.method) } : {}),
    criteria,
    rows,
    podium: rows.slice(0, 3),
    excluded: board.excluded.map((e) => ({
      teamName: displayName(teamNames, e.team),
      model: e.model,
      reason: e.reason,
    })),
  };
}

/** The controlled column's heading. */
export function controlHeading(method: 'length-controlled-win-rate' | 'style-controlled-rating'): string {
  return method === 'length-controlled-win-rate' ? 'Length-controlled' : 'Style-controlled';
}

/** Criteria in first-seen order: the publisher writes them in the configured order. */
function criteriaOf(entries: readonly SnapshotEntry[]): string[] {
  const names: string[] = [];
  for (const entry of entries) {
    for (const name of Object.keys(entry.criteria)) if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** "Correctness" from "correctness", "Instruction following" from "instruction_following". */
export function criterionHeading(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
