import type { TeamScore, TeamSubmission } from './data.js';
import { scaleLinear } from './whisker.js';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly yLow: number;
  readonly yHigh: number;
  readonly submissionId: string;
  readonly model: string;
  readonly submittedAt: string;
  readonly score: TeamScore;
}

export interface ChartTick {
  readonly y: number;
  readonly value: number;
}

export interface HistoryChart {
  readonly width: number;
  readonly height: number;
  readonly metric: TeamScore['metric'];
  readonly plot: { left: number; right: number; top: number; bottom: number };
  readonly points: readonly ChartPoint[];
  /** `d` of the line through the scores, oldest to newest. */
  readonly line: string;
  /** `points` of the CI band polygon (upper edge forward, lower edge back). */
  readonly band: string;
  readonly ticks: readonly ChartTick[];
  readonly parityY: number | undefined;
}

const MARGIN = { left: 48, right: 16, top: 12, bottom: 28 };

/**
 * The score history of a team: its scored submissions in time order on a fixed axis (0–100% win
 * rate, 1–10 rubric), so two teams' charts read alike. Submissions are spaced evenly rather than by
 * time, because a burst of submissions on the last day would otherwise overprint.
 */
export function historyChart(
  submissions: readonly TeamSubmission[],
  split: 'public' | 'private',
  size: { width: number; height: number },
): HistoryChart | undefined {
  const scored = submissions
    .flatMap((s) => {
      const score = split === 'public' ? s.public : s.private;
      return score ? [{ submission: s, score }] : [];
    })
    .sort((a, b) => Date.parse(a.submission.submittedAt) - Date.parse(b.submission.submittedAt));
  const first = scored[0];
  if (!first) return undefined;
  const metric = first.score.metric;
  const [min, max] = metric === 'win-rate' ? [0, 1] : [1, 10];
  const plot = {
    left: MARGIN.left,
    right: size.width - MARGIN.right,
    top: MARGIN.top,
    bottom: size.height - MARGIN.bottom,
  };
  const y = scaleLinear(min, max, plot.bottom, plot.top);
  const x =
    scored.length === 1
      ? () => (plot.left + plot.right) / 2
      : (k: number) => scaleLinear(0, scored.length - 1, plot.left, plot.right)(k);
  const points = scored.map(
    ({ submission, score }, k): ChartPoint => ({
      x: x(k),
      y: y(score.score),
      yLow: y(score.ciLow),
      yHigh: y(score.ciHigh),
      submissionId: submission.submissionId,
      model: submission.model,
      submittedAt: submission.submittedAt,
      score,
    }),
  );
  const line = points.map((p, k) => `${k === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  const band = [
    ...points.map((p) => `${p.x},${p.yHigh}`),
    ...[...points].reverse().map((p) => `${p.x},${p.yLow}`),
  ].join(' ');
  const tickValues = metric === 'win-rate' ? [0, 0.25, 0.5, 0.75, 1] : [1, 4, 7, 10];
  return {
    width: size.width,
    height: size.height,
    metric,
    plot,
    points,
    line,
    band,
    ticks: tickValues.map((value) => ({ value, y: y(value) })),
    parityY: metric === 'win-rate' ? y(0.5) : undefined,
  };
}

export function formatTeamScore(score: TeamScore): string {
  return score.metric === 'win-rate'
    ? `${(score.score * 100).toFixed(1)}%`
    : `${score.score.toFixed(2)} / 10`;
}

export function formatTick(metric: TeamScore['metric'], value: number): string {
  return metric === 'win-rate' ? `${Math.round(value * 100)}%` : `${value}`;
}
