import { describe, expect, it } from 'vitest';
import { orchestratorConcurrency } from './orchestrator-concurrency.js';

describe('orchestratorConcurrency', () => {
  it('assumes 60 requests a minute per call slot without a quota: 4 invocations', () => {
    expect(orchestratorConcurrency({ concurrency: 8 })).toBe(4);
    expect(orchestratorConcurrency({ concurrency: 1 })).toBe(4);
  });

  it('fits as many invocations as the Bedrock quota feeds at 15 calls a minute per slot', () => {
    // 1,200 requests a minute ÷ (15 × 8 calls per invocation) = 10 invocations.
    expect(orchestratorConcurrency({ concurrency: 8, requestsPerMinute: 1200 })).toBe(10);
    expect(orchestratorConcurrency({ concurrency: 10, requestsPerMinute: 500 })).toBe(3);
  });

  it('never goes below 2, the SQS event source minimum, even for a quota one invocation fills', () => {
    expect(orchestratorConcurrency({ concurrency: 10, requestsPerMinute: 200 })).toBe(2);
    expect(orchestratorConcurrency({ concurrency: 256, requestsPerMinute: 1 })).toBe(2);
  });

  it('caps a very large quota at 20 invocations', () => {
    expect(orchestratorConcurrency({ concurrency: 1, requestsPerMinute: 100_000 })).toBe(20);
  });
});
