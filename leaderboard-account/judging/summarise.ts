import type { Criterion } from '../../shared/contracts/judge-criteria.js';
import type { Judgment, PanelRule } from '../../shared/contracts/judgment.js';
import { rubricScore } from '../ranking/rubric.js';
import type { PairwiseGame } from '../ranking/win-rate.js';
import { winRate } from '../ranking/win-rate.js';
import type { ModelPrice } from './judge-settings.js';
import { estimateCost } from './judge-settings.js';
import type { JudgeRunStats } from './judge-submission.js';
import { type PanelSummary, summarisePanel } from './panel-summary.js';

/** What a judged submission adds up to: the score with its CI, and what it cost to get it. */
export interface JudgeSummary {
  readonly mode: 'pairwise-reference' | 'rubric';
  readonly judgeModel: string;
  readonly promptVersion: string | null;
  readonly score: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly nQuestions: number;
  /** Pairwise: the share of questions whose verdict held when positions swapped. */
  readonly swapConsistency: number | null;
  readonly criteria: Record<string, number>;
  readonly judgments: number;
  readonly failed: number;
  readonly failures: { questionId: string; order: string; error: string }[];
  readonly retries: number;
  readonly reasks: number;
  readonly countedAsLoss: number;
  readonly flags: Record<string, number>;
  readonly flaggedQuestions: string[];
  readonly tokens: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
    perJudgment: number;
  };
  readonly costUsd: number | null;
  /** A panel of two or more judges: each judge's record and each pair's Cohen's kappa (panel-summary.ts). */
  readonly panel?: PanelSummary;
}

export function summariseJudgments(
  judgments: readonly Judgment[],
  stats: JudgeRunStats,
  options: {
    mode: 'pairwise-reference' | 'rubric';
    judgeModel: string;
    criteria?: readonly Criterion[];
    price?: ModelPrice;
    rounds: number;
    seed: number;
    panelRule?: PanelRule;
  },
): JudgeSummary {
  const ok = judgments.filter((j) => !j.error);
  let score: number | null = null;
  let ciLow: number | null = null;
  let ciHigh: number | null = null;
  let nQuestions = 0;
  let swapConsistency: number | null = null;
  let criteria: Record<string, number> = {};
  if (options.mode === 'rubric') {
    const grades = ok.flatMap((j) => (j.scores ? [{ questionId: j.questionId, scores: j.scores }] : []));
    if (grades.length > 0 && options.criteria) {
      const result = rubricScore(grades, options.criteria, options);
      ({ score, ciLow, ciHigh, nQuestions } = result);
      criteria = result.criteria;
    }
  } else {
    const games: PairwiseGame[] = ok.flatMap((j) =>
      j.verdict && j.order !== 'single'
        ? [{ questionId: j.questionId, order: j.order, verdict: j.verdict }]
        : [],
    );
    if (games.length > 0) {
      const result = winRate(games, options);
      score = result.winRate;
      ciLow = result.ciLow;
      ciHigh = result.ciHigh;
      nQuestions = result.nQuestions;
      swapConsistency = 1 - result.inconsistentRate;
    }
  }
  const flags: Record<string, number> = {};
  const flaggedQuestions = new Set<string>();
  for (const judgment of judgments) {
    if (judgment.order === 'reference-first') continue; // count each answer once
    for (const flag of judgment.flags) {
      flags[flag.code] = (flags[flag.code] ?? 0) + 1;
      flaggedQuestions.add(judgment.questionId);
    }
  }
  const usage = stats.usage;
  const cost = estimateCost(usage, options.price);
  const panel = summarisePanel(judgments, options.panelRule ?? 'median');
  return {
    mode: options.mode,
    judgeModel: options.judgeModel,
    promptVersion: judgments[0]?.promptVersion ?? null,
    score,
    ciLow,
    ciHigh,
    nQuestions,
    swapConsistency,
    criteria,
    judgments: judgments.length,
    failed: judgments.length - ok.length,
    failures: judgments
      .filter((j) => j.error)
      .map((j) => ({ questionId: j.questionId, order: j.order, error: j.error ?? '' })),
    retries: stats.retries,
    reasks: stats.reasks,
    countedAsLoss: stats.countedAsLoss,
    flags,
    flaggedQuestions: [...flaggedQuestions].sort(),
    tokens: {
      input: usage.inputTokens,
      output: usage.outputTokens,
      cacheRead: usage.cacheReadTokens,
      cacheWrite: usage.cacheWriteTokens,
      perJudgment:
        judgments.length > 0
          ? (usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens) /
            judgments.length
          : 0,
    },
    costUsd: cost ?? null,
    ...(panel ? { panel } : {}),
  };
}
