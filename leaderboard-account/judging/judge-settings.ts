import * as z from 'zod';
import { FlaggedAnswerPolicy, PanelRule } from '../../shared/contracts/judgment.js';
import type { TokenUsage } from './judge-model.js';

/** US dollars per million tokens. */
export const ModelPrice = z.object({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
  cacheReadPerMillion: z.number().nonnegative().optional(),
  cacheWritePerMillion: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const DEFAULT_JUDGE_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/**
 * Published on-demand prices at the time of writing; check the Bedrock pricing page for your region
 * and override them in the league config. Used only for the cost estimate.
 */
export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  [DEFAULT_JUDGE_MODEL]: {
    inputPerMillion: 3,
    outputPerMillion: 15,
    cacheReadPerMillion: 0.3,
    cacheWritePerMillion: 3.75,
  },
};

/**
 * One judge of a panel. Unset fields take the top-level judge's values (so region, endpoint, quotas
 * and timeouts can be set once); `name` (default: the model id) tells judges apart in judgments and
 * agreement, and must be given when two judges share a model id. Each judge keeps its own
 * concurrency and quota pacing: each model has its own Bedrock quota.
 */
export const PanelJudgeSettings = z.object({
  name: z.string().min(1).max(120).optional(),
  provider: z.enum(['bedrock', 'openai', 'emulator']).optional(),
  modelId: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  endpoint: z.url().optional(),
  openaiBaseUrl: z.url().optional(),
  openaiApiKey: z.string().optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  concurrency: z.number().int().min(1).max(256).optional(),
  requestsPerMinute: z.number().positive().optional(),
  tokensPerMinute: z.number().positive().optional(),
  promptCaching: z.boolean().optional(),
  structuredOutput: z.enum(['tool', 'text']).optional(),
  timeoutMs: z.number().int().positive().optional(),
  price: ModelPrice.optional(),
});
export type PanelJudgeSettings = z.infer<typeof PanelJudgeSettings>;

/** How the leaderboard account judges. One schema, read once; defaults are what an organiser expects. */
export const JudgeSettings = z.object({
  provider: z.enum(['bedrock', 'openai', 'emulator']).default('bedrock'),
  modelId: z.string().min(1).default(DEFAULT_JUDGE_MODEL),
  mode: z.enum(['pairwise-reference', 'rubric']).default('pairwise-reference'),
  region: z.string().min(1).default('us-east-1'),
  /** Bedrock endpoint override (the emulator on the local stack). */
  endpoint: z.url().optional(),
  /** OpenAI-compatible server base URL (provider `openai`). */
  openaiBaseUrl: z.url().optional(),
  openaiApiKey: z.string().optional(),
  /** Attempts per call, the first included: throttling is retried with adaptive back-off. */
  maxAttempts: z.number().int().min(1).max(20).default(8),
  /** Judge calls in flight at once. */
  concurrency: z.number().int().min(1).max(256).default(8),
  /** Your Bedrock quota for the model; calls are paced to stay under it. */
  requestsPerMinute: z.number().positive().optional(),
  tokensPerMinute: z.number().positive().optional(),
  promptCaching: z.boolean().default(false),
  structuredOutput: z.enum(['tool', 'text']).default('tool'),
  flaggedPolicy: FlaggedAnswerPolicy.default('count-as-loss'),
  timeoutMs: z.number().int().positive().default(120_000),
  prices: z.record(z.string(), ModelPrice).default(DEFAULT_PRICES),
  /** A judge panel; absent = one judge, the settings above. See judging/panel.ts for the rule. */
  panel: z.array(PanelJudgeSettings).min(1).max(8).optional(),
  panelRule: PanelRule.default('median'),
});
export type JudgeSettings = z.infer<typeof JudgeSettings>;

/** Estimated cost in US dollars; undefined when the model has no price in the table. */
export function estimateCost(usage: TokenUsage, price: ModelPrice | undefined): number | undefined {
  if (!price) return undefined;
  const perToken = (perMillion: number | undefined, fallback: number): number =>
    (perMillion ?? fallback) / 1e6;
  return (
    usage.inputTokens * perToken(price.inputPerMillion, 0) +
    usage.outputTokens * perToken(price.outputPerMillion, 0) +
    usage.cacheReadTokens * perToken(price.cacheReadPerMillion, price.inputPerMillion) +
    usage.cacheWriteTokens * perToken(price.cacheWritePerMillion, price.inputPerMillion)
  );
}

/** A panel judge with every field resolved from the top-level settings. */
export type ResolvedPanelJudge = Omit<JudgeSettings, 'panel' | 'panelRule'> & {
  name: string;
  price?: ModelPrice;
};

/** The panel's judges, each with the top-level values filled in; a one-judge panel without `panel`. */
export function resolvePanel(settings: JudgeSettings): ResolvedPanelJudge[] {
  const { panel, panelRule: _rule, ...base } = settings;
  const members = panel ?? [{}];
  const judges = members.map((member) => {
    const { name, price, ...rest } = member;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const judge = { ...base, ...defined };
    const resolvedPrice = price ?? base.prices[judge.modelId];
    return { ...judge, name: name ?? judge.modelId, ...(resolvedPrice ? { price: resolvedPrice } : {}) };
  });
  const names = judges.map((j) => j.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new RangeError(`judge.panel names ${repeated} twice: give each judge a distinct name`);
  return judges;
}
