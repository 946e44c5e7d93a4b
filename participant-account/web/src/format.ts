import {
  formatInterval as formatBoardInterval,
  formatScore as formatBoardScore,
} from '../../../shared/web/score-format.js';
import type { ValidationReport } from '../../validation/report.js';

/** What a submission's score measures (the Judge API says): a win rate (0–1) or a rubric mean (0–10). */
export type ScoreKind = 'win-rate' | 'rubric';

/** A score as the leaderboard shows it ("62.0%", "7.25 / 10"); a dash when there is none. */
export function formatScore(kind: ScoreKind, score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : formatBoardScore(kind, score);
}

/** The 95% interval in the score's units ("55.0–70.2%"); a dash when there is none. */
export function formatInterval(
  kind: ScoreKind,
  low: number | null | undefined,
  high: number | null | undefined,
): string {
  if (low === null || low === undefined || high === null || high === undefined) return '—';
  return formatBoardInterval(kind, low, high);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').slice(0, 16).concat(' UTC');
}

/** One row of the report table: where, the rule's code, and what is wrong. */
export interface ReportRow {
  readonly where: string;
  readonly code: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** The validation report as table rows, errors first, each at its line (or the whole file). */
export function reportRows(report: ValidationReport): ReportRow[] {
  const where = (line: number | null) => (line === null ? 'whole file' : `line ${line}`);
  return [
    ...report.errors.map((e) => ({
      where: where(e.line),
      code: e.code,
      message: e.message,
      severity: 'error' as const,
    })),
    ...report.warnings.map((w) => ({
      where: where(w.line),
      code: w.code,
      message: w.message,
      severity: 'warning' as const,
    })),
  ];
}

/** The report's one-line verdict. */
export function reportHeadline(report: ValidationReport): string {
  if (report.valid) {
    const records = `${report.records} record${report.records === 1 ? '' : 's'}`;
    return report.warnings.length > 0
      ? `Valid: ${records}, with ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}.`
      : `Valid: ${records}, ready for an inference run.`;
  }
  const errors = `${report.errorCount} error${report.errorCount === 1 ? '' : 's'}`;
  const shown =
    report.errors.length < report.errorCount ? ` (the first ${report.errors.length} are listed)` : '';
  return `Not valid: ${errors}${shown}. Fix the lines below and upload the file again.`;
}

/** "3 of 5 submissions left today", with when the count starts again. */
export function quotaText(quota: { cap: number; remaining: number; resetsAt: string }): string {
  const left = `${quota.remaining} of ${quota.cap} submission${quota.cap === 1 ? '' : 's'} left today`;
  return quota.remaining === 0
    ? `${left}; the next is allowed at ${formatTime(quota.resetsAt)}.`
    : `${left}.`;
}

/** The run's progress line. */
export function runProgressText(run: {
  status: string;
  done: number;
  total: number;
  failed: number;
  error?: string | undefined;
}): string {
  const failed = run.failed > 0 ? `, ${run.failed} failed` : '';
  switch (run.status) {
    case 'queued':
      return `Queued: ${run.total} prompts.`;
    case 'running':
      return `Running: ${run.done} of ${run.total} answered${failed}.`;
    case 'completed':
      return `Completed: ${run.done - run.failed} of ${run.total} answered${failed}. Ready to submit.`;
    default:
      return `Failed: ${run.error ?? 'the run stopped'}.`;
  }
}
