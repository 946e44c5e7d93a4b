import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

/** A fake clock: sleeping advances it, so pacing is checked without real time. */
function fakeClock() {
  let now = 0;
  const sleep = async (ms: number): Promise<void> => {
    now += ms;
  };
  return { now: () => now, sleep, elapsed: () => now };
}

describe('client-side rate limiting', () => {
  it('spaces calls evenly at the requests-per-minute quota', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerMinute: 600 }, clock.now, clock.sleep);
    const times: number[] = [];
    for (let k = 0; k < 11; k++) {
      await limiter.acquire();
      times.push(clock.elapsed());
    }
    // 600/min = one every 100 ms; the first goes at once.
    expect(times[0]).toBe(0);
    expect(times[10]).toBeGreaterThanOrEqual(1000);
    expect(times[10]).toBeLessThanOrEqual(1010);
  });

  it('never lets a minute hold more calls than the quota (+1 at the window edge)', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerMinute: 120 }, clock.now, clock.sleep);
    const times: number[] = [];
    for (let k = 0; k < 300; k++) {
      await limiter.acquire();
      times.push(clock.elapsed());
    }
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(121);
    }
  });

  it('paces by tokens per minute too', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ tokensPerMinute: 60_000 }, clock.now, clock.sleep);
    for (let k = 0; k < 10; k++) await limiter.acquire(1000);
    // 1000 tokens a second, one second's worth of burst: 10 calls of 1000 tokens take about 9 s.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(9000);
    expect(clock.elapsed()).toBeLessThanOrEqual(9100);
  });

  it('lets calls through at once when no quota is set', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({}, clock.now, clock.sleep);
    for (let k = 0; k < 100; k++) await limiter.acquire(5000);
    expect(clock.elapsed()).toBe(0);
  });
});
