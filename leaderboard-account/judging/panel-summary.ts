import type { Judgment, PanelRule } from '../../shared/contracts/judgment.js';
import { winRate } from '../ranking/win-rate.js';
import { cohensKappa, weightedKappa } from './agreement.js';
import { candidatePoints } from './panel.js';

/** What a judge panel adds to a summary: each judge's record and each pair's agreement. */
export interface PanelSummary {
  readonly rule: PanelRule;
  readonly judges: {
    judge: string;
    judgeModel: string;
    judgments: number;
    failed: number;
    /** The share of this judge's questions, judged by it in both orders, whose outcome held. */
    swapConsistency: number | null;
  }[];
  /**
   * Per pair of judges, over the pairwise tasks both judged: Cohen's kappa on the candidate's
   * outcome (win / tie / loss after orienting by order), quadratic weighted kappa on the five
   * oriented labels, the observed agreement and the number of tasks.
   */
  readonly agreement: {
    a: string;
    b: string;
    n: number;
    observed: number;
    kappa: number | null;
    weightedKappa: number | null;
  }[];
}

const outcome = (points: number): string => (points > 0 ? 'win' : points < 0 ? 'loss' : 'tie');

/** The panel summary of pairwise judgments that carry `panel` entries; undefined when none does. */
export function summarisePanel(judgments: readonly Judgment[], rule: PanelRule): PanelSummary | undefined {
  const withPanel = judgments.filter((j) => j.panel && j.panel.length > 0);
  if (withPanel.length === 0) return undefined;
  const judges = new Map<string, string>();
  // judge → task key → oriented points
  const points = new Map<string, Map<string, number>>();
  const counts = new Map<string, { judgments: number; failed: number }>();
  const games = new Map<
    string,
    {
      questionId: string;
      order: 'candidate-first' | 'reference-first';
      verdict: NonNullable<Judgment['verdict']>;
    }[]
  >();
  for (const judgment of withPanel) {
    for (const entry of judgment.panel ?? []) {
      judges.set(entry.judge, entry.judgeModel);
      const count = counts.get(entry.judge) ?? { judgments: 0, failed: 0 };
      count.judgments += 1;
      if (entry.error) count.failed += 1;
      counts.set(entry.judge, count);
      if (entry.error || !entry.verdict || judgment.order === 'single') continue;
      const byTask = points.get(entry.judge) ?? new Map<string, number>();
      byTask.set(`${judgment.questionId}/${judgment.order}`, candidatePoints(entry.verdict, judgment.order));
      points.set(entry.judge, byTask);
      const list = games.get(entry.judge) ?? [];
      list.push({ questionId: judgment.questionId, order: judgment.order, verdict: entry.verdict });
      games.set(entry.judge, list);
    }
  }
  const names = [...judges.keys()].sort();
  const agreement: PanelSummary['agreement'] = [];
  for (let i = 0; i < names.length; i++) {
    for (let k = i + 1; k < names.length; k++) {
      const a = names[i] as string;
      const b = names[k] as string;
      const pa = points.get(a) ?? new Map<string, number>();
      const pb = points.get(b) ?? new Map<string, number>();
      const shared = [...pa.keys()].filter((key) => pb.has(key)).sort();
      const xs = shared.map((key) => pa.get(key) as number);
      const ys = shared.map((key) => pb.get(key) as number);
      const plain = cohensKappa(xs.map(outcome), ys.map(outcome));
      agreement.push({
        a,
        b,
        n: plain.n,
        observed: plain.observed,
        kappa: plain.kappa,
        weightedKappa: weightedKappa(xs, ys),
      });
    }
  }
  return {
    rule,
    judges: names.map((name) => {
      const list = games.get(name) ?? [];
      const count = counts.get(name) ?? { judgments: 0, failed: 0 };
      return {
        judge: name,
        judgeModel: judges.get(name) ?? name,
        judgments: count.judgments,
        failed: count.failed,
        swapConsistency: list.length > 0 ? 1 - winRate(list, { rounds: 0, seed: 0 }).inconsistentRate : null,
      };
    }),
    agreement,
  };
}
