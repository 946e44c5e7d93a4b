/**
 * Client-side pacing to a provider quota: requests per minute and tokens per minute, as token
 * buckets refilled continuously. Pacing below the quota is what lets a run use ~all of it: letting
 * the provider throttle and backing off wastes both the rejected calls and the back-off time.
 */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  /**
   * How many seconds' worth of quota may be spent at once. Default 0: calls are evenly spaced (one
   * request of burst), so no sliding minute window ever sees more than the quota.
   */
  readonly burstSeconds?: number;
}

export class RateLimiter {
  private requestTokens: number;
  private tokenTokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.requestTokens = this.requestCapacity();
    this.tokenTokens = this.tokenCapacity();
    this.last = now();
  }

  /** Waits until a call of `estimatedTokens` fits the quota, then spends it. Calls are served in order. */
  acquire(estimatedTokens = 0): Promise<void> {
    const turn = this.queue.then(() => this.wait(estimatedTokens));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(estimatedTokens: number): Promise<void> {
    const tokens = Math.min(estimatedTokens, this.tokenCapacity());
    for (;;) {
      this.refill();
      const rpm = this.limits.requestsPerMinute;
      const tpm = this.limits.tokensPerMinute;
      const requestWait = rpm ? ((1 - this.requestTokens) / rpm) * 60_000 : 0;
      const tokenWait = tpm ? ((tokens - this.tokenTokens) / tpm) * 60_000 : 0;
      const waitMs = Math.max(requestWait, tokenWait, 0);
      if (waitMs <= 0) {
        if (rpm) this.requestTokens -= 1;
        if (tpm) this.tokenTokens -= tokens;
        return;
      }
      await this.sleep(Math.ceil(waitMs));
    }
  }

  private refill(): void {
    const now = this.now();
    const minutes = (now - this.last) / 60_000;
    this.last = now;
    if (this.limits.requestsPerMinute) {
      this.requestTokens = Math.min(
        this.requestCapacity(),
        this.requestTokens + minutes * this.limits.requestsPerMinute,
      );
    }
    if (this.limits.tokensPerMinute) {
      this.tokenTokens = Math.min(
        this.tokenCapacity(),
        this.tokenTokens + minutes * this.limits.tokensPerMinute,
      );
    }
  }

  private requestCapacity(): number {
    const rpm = this.limits.requestsPerMinute;
    return rpm ? Math.max(1, (rpm / 60) * (this.limits.burstSeconds ?? 0)) : Number.POSITIVE_INFINITY;
  }

  private tokenCapacity(): number {
    const tpm = this.limits.tokensPerMinute;
    return tpm ? Math.max(1, (tpm / 60) * (this.limits.burstSeconds ?? 1)) : Number.POSITIVE_INFINITY;
  }
}

/** A rough token estimate for pacing (4 characters a token), before the provider counts for real. */
export function estimateTokens(...texts: string[]): number {
  let characters = 0;
  for (const text of texts) characters += text.length;
  return Math.ceil(characters / 4);
}
