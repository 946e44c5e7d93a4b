import * as z from 'zod';
import { FlaggedAnswerPolicy } from '../../shared/contracts/judgment.js';
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
