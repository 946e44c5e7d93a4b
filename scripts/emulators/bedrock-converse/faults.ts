import { createRandom, type Random } from '../../../leaderboard-account/ranking/prng.js';
import type { LatencyDistribution, ResolvedEmulatorOptions } from './options.js';

export type InjectedError = 'InternalServerException' | 'ServiceUnavailableException';

/** What the emulator will do to one valid request, decided before it is answered. */
export interface FaultDraw {
  readonly throttle: boolean;
  readonly error: InjectedError | undefined;
  readonly malformed: boolean;
  /** Picks which kind of malformed reply, in [0, 1). */
  readonly malformedVariant: number;
  readonly truncated: boolean;
  readonly latencyMs: number;
}

/** z for the 99th percentile of the standard normal distribution. */
const Z99 = 2.326_347_874;

/**
 * The seeded sequence of fault decisions. Every valid request takes exactly the same number of draws
 * (eight), whatever is decided, so the n-th request gets the same faults for the same seed however the
 * earlier ones turned out: the sequence depends only on the seed and the order of arrival.
 */
export class FaultPlan {
  private readonly random: Random;

  constructor(private readonly options: ResolvedEmulatorOptions) {
    this.random = createRandom(options.seed);
  }

  next(): FaultDraw {
    const u = Array.from({ length: 8 }, () => this.random.next());
    const [
      throttle = 1,
      error = 1,
      errorKind = 0,
      malformed = 1,
      variant = 0,
      truncated = 1,
      l1 = 0,
      l2 = 0,
    ] = u;
    return {
      throttle: throttle < this.options.throttleRate,
      error:
        error < this.options.errorRate
          ? errorKind < 0.5
            ? 'InternalServerException'
            : 'ServiceUnavailableException'
          : undefined,
      malformed: malformed < this.options.malformedRate,
      malformedVariant: variant,
      truncated: truncated < this.options.truncatedRate,
      latencyMs: sampleLatency(this.options.latencyMs, l1, l2),
    };
  }
}

/** A latency from two uniform draws in [0, 1) (the second one only for the lognormal). */
export function sampleLatency(distribution: LatencyDistribution, u1: number, u2: number): number {
  if (typeof distribution === 'number') return distribution;
  if ('min' in distribution) return distribution.min + u1 * (distribution.max - distribution.min);
  // Box–Muller; 1 - u1 keeps the logarithm finite.
  const normal = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  const sigma = Math.log(distribution.p99 / distribution.median) / Z99;
  return distribution.median * Math.exp(sigma * normal);
}

export interface WindowEntry {
  readonly at: number;
  tokens: number;
}

export type QuotaVerdict =
  | { readonly admitted: true; readonly entry: WindowEntry }
  | { readonly admitted: false; readonly exhausted: 'requests' | 'tokens' };

/**
 * Requests-per-minute and tokens-per-minute quotas over a sliding window. Only admitted requests
 * count (a throttled request costs nothing); a request is charged its input tokens on admission and
 * its output tokens once answered, through the returned entry.
 */
export class SlidingWindowQuota {
  private entries: WindowEntry[] = [];

  constructor(
    private readonly limits: Pick<
      ResolvedEmulatorOptions,
      'requestsPerMinute' | 'tokensPerMinute' | 'windowMs'
    >,
    private readonly now: () => number,
  ) {}

  admit(inputTokens: number): QuotaVerdict {
    const now = this.now();
    this.entries = this.entries.filter((entry) => entry.at > now - this.limits.windowMs);
    const { requestsPerMinute, tokensPerMinute } = this.limits;
    if (requestsPerMinute !== undefined && this.entries.length >= requestsPerMinute) {
      return { admitted: false, exhausted: 'requests' };
    }
    if (tokensPerMinute !== undefined) {
      const used = this.entries.reduce((sum, entry) => sum + entry.tokens, 0);
      if (used + inputTokens > tokensPerMinute) {
        return { admitted: false, exhausted: 'tokens' };
      }
    }
    const entry: WindowEntry = { at: now, tokens: inputTokens };
    this.entries.push(entry);
    return { admitted: true, entry };
  }
}
