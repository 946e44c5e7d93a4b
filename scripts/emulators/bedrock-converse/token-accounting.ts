import { createHash } from 'node:crypto';
import { type ConverseRequest, promptBlocks } from './converse-request.js';

/** The emulator's tokenizer: about four characters a token, the usual rule of thumb for English. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

/** All the input tokens of a request, cached or not (what a tokens-per-minute quota is charged). */
export function requestInputTokens(request: ConverseRequest): number {
  return estimateTokens(promptBlocks(request).reduce((sum, block) => sum + (block.text?.length ?? 0), 0));
}

export interface InputUsage {
  readonly inputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
}

export interface PromptCacheOptions {
  readonly minTokens: number;
  readonly ttlMs: number;
  readonly now: () => number;
}

/**
 * Bedrock-style prompt caching, by prefix. The text before the last `cachePoint` block (system
 * blocks first, then the messages) is the cached prefix: the first request with a given prefix for a
 * given model writes it (`cacheWriteInputTokens`), later ones within the TTL read it
 * (`cacheReadInputTokens`); only the text after the cache point counts as `inputTokens`. A hit
 * refreshes the TTL, as on Bedrock.
 */
export class PromptCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly options: PromptCacheOptions) {}

  account(modelId: string, request: ConverseRequest): InputUsage {
    const blocks = promptBlocks(request);
    const last = blocks.findLastIndex((block) => block.cachePoint !== undefined);
    const texts = (from: number, to: number): string[] =>
      blocks.slice(from, to).flatMap((block) => (block.text === undefined ? [] : [block.text]));
    const prefix = last < 0 ? [] : texts(0, last);
    const rest = texts(last + 1, blocks.length);
    const prefixTokens = estimateTokens(prefix.reduce((sum, text) => sum + text.length, 0));
    const restTokens = estimateTokens(rest.reduce((sum, text) => sum + text.length, 0));
    if (last < 0 || prefixTokens === 0 || prefixTokens < this.options.minTokens) {
      return { inputTokens: prefixTokens + restTokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
    }
    const ttlMs = blocks[last]?.cachePoint?.ttl === '1h' ? 3_600_000 : this.options.ttlMs;
    // Block boundaries are part of the key: ["ab", "c"] and ["a", "bc"] are different prefixes.
    const key = createHash('sha256')
      .update(JSON.stringify([modelId, prefix]))
      .digest('hex');
    const now = this.options.now();
    const expiry = this.expiries.get(key);
    const hit = expiry !== undefined && expiry > now;
    this.expiries.set(key, now + ttlMs);
    return {
      inputTokens: restTokens,
      cacheReadInputTokens: hit ? prefixTokens : 0,
      cacheWriteInputTokens: hit ? 0 : prefixTokens,
    };
  }
}
