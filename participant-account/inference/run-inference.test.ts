import { describe, expect, it } from 'vitest';
import type { TestingRecord } from '../../shared/contracts/testing-data.js';
import { runInference } from './run-inference.js';
import { type GenerateOptions, type Generation, type TeamModel, TeamModelError } from './team-model.js';

const testingData = (n: number): TestingRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `q-${String(i + 1).padStart(2, '0')}`,
    prompt: `Question ${i + 1}?`,
  }));

/** A team model answering `answer(prompt)` through a function the test controls. */
function fakeModel(
  behave: (prompt: string, options: GenerateOptions, call: number) => Promise<Generation> | Generation,
): TeamModel & { calls: string[] } {
  const calls: string[] = [];
  return {
    modelName: 'otters-7b',
    calls,
    async generate(prompt, options = {}) {
      calls.push(options.recordId ?? prompt);
      return behave(prompt, options, calls.length);
    },
  };
}

const noSleep = async () => {};

describe('runInference', () => {
  it('answers the rest when 10% of records fail, listing each failure with its error', async () => {
    const records = testingData(20);
    const failing = new Set(['q-04', 'q-15']);
    const model = fakeModel((prompt, { recordId = '' }) => {
      if (failing.has(recordId)) throw new TeamModelError('model-error', `the model failed on ${recordId}`);
      return { text: `Answer to ${prompt}`, latencyMs: 12.4 };
    });
    const progress: [number, number, number][] = [];

    const results = await runInference(records, model, {
      concurrency: 4,
      sleep: noSleep,
      onProgress: (done, total, failed) => progress.push([done, total, failed]),
    });

    expect(results.map((result) => result.id)).toEqual(records.map((record) => record.id));
    const failures = results.filter((result) => result.error !== undefined);
    expect(failures).toEqual([
      {
        id: 'q-04',
        prompt: 'Question 4?',
        response: '',
        model: 'otters-7b',
        error: 'model-error: the model failed on q-04',
      },
      {
        id: 'q-15',
        prompt: 'Question 15?',
        response: '',
        model: 'otters-7b',
        error: 'model-error: the model failed on q-15',
      },
    ]);
    const answered = results.filter((result) => result.error === undefined);
    expect(answered).toHaveLength(18);
    expect(answered[0]).toEqual({
      id: 'q-01',
      prompt: 'Question 1?',
      response: 'Answer to Question 1?',
      model: 'otters-7b',
      latencyMs: 12,
    });
    expect(progress).toHaveLength(20);
    expect(progress.at(-1)).toEqual([20, 20, 2]);
    // Non-retryable failures are tried once.
    expect(model.calls.filter((id) => failing.has(id))).toHaveLength(2);
  });

  it('retries throttling with exponential back-off and jitter, then keeps the answer', async () => {
    const model = fakeModel((_prompt, _options, call) => {
      if (call <= 3) throw new TeamModelError('throttled', 'slow down');
      return { text: 'Four.', latencyMs: 5 };
    });
    const waits: number[] = [];
    const results = await runInference(testingData(1), model, {
      concurrency: 1,
      backoff: { baseMs: 100, maxMs: 10_000 },
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(results).toEqual([
      { id: 'q-01', prompt: 'Question 1?', response: 'Four.', model: 'otters-7b', latencyMs: 5 },
    ]);
    expect(model.calls).toHaveLength(4);
    // Half of each doubling step, plus the jittered share of the other half.
    expect(waits).toEqual([75, 150, 300]);
  });

  it("waits at least a server's Retry-After, and never longer than the back-off cap otherwise", async () => {
    const model = fakeModel((_prompt, _options, call) => {
      if (call === 1) throw new TeamModelError('throttled', 'slow down', { retryAfterMs: 7000 });
      if (call <= 3) throw new TeamModelError('unavailable', '503');
      return { text: 'ok', latencyMs: 1 };
    });
    const waits: number[] = [];
    await runInference(testingData(1), model, {
      concurrency: 1,
      backoff: { baseMs: 1000, maxMs: 1500 },
      random: () => 1,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toEqual([7000, 1500, 1500]);
  });

  it('gives up on a record after maxAttempts retryable failures and records the last error', async () => {
    const model = fakeModel(() => {
      throw new TeamModelError('unavailable', 'SageMaker: the endpoint is down');
    });
    const [result] = await runInference(testingData(1), model, { concurrency: 1, sleep: noSleep });
    expect(model.calls).toHaveLength(4);
    expect(result).toMatchObject({
      response: '',
      error: 'unavailable: SageMaker: the endpoint is down (after 4 attempts)',
    });
    expect(result?.latencyMs).toBeUndefined();
  });

  it('records an unexpected adapter error against the record without retrying it', async () => {
    const model = fakeModel(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    const [result] = await runInference(testingData(1), model, { concurrency: 1, sleep: noSleep });
    expect(model.calls).toHaveLength(1);
    expect(result?.error).toBe('unknown: cannot read properties of undefined');
  });

  it('never has more calls in flight than the concurrency, and keeps input order whatever finishes first', async () => {
    let inFlight = 0;
    let most = 0;
    const model = fakeModel(async (prompt, { recordId = '' }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Later records answer sooner, so completion order is the reverse of input order.
      const n = Number(recordId.slice(2));
      await new Promise((resolve) => setTimeout(resolve, (13 - n) * 2));
      inFlight -= 1;
      return { text: `A:${prompt}`, latencyMs: 1 };
    });
    const records = testingData(12);
    const results = await runInference(records, model, { concurrency: 3, sleep: noSleep });
    expect(most).toBe(3);
    expect(results.map((result) => result.id)).toEqual(records.map((record) => record.id));
    expect(results.every((result, i) => result.response === `A:${records[i]?.prompt}`)).toBe(true);
  });

  it('passes the record id, the signal and maxTokens to the model', async () => {
    const seen: GenerateOptions[] = [];
    const model = fakeModel((_prompt, options) => {
      seen.push(options);
      return { text: 'x', latencyMs: 1 };
    });
    const controller = new AbortController();
    await runInference(testingData(1), model, { concurrency: 1, maxTokens: 256, signal: controller.signal });
    expect(seen).toEqual([{ recordId: 'q-01', maxTokens: 256, signal: controller.signal }]);
  });

  it('stops the whole run when its signal aborts, starting no further calls', async () => {
    const controller = new AbortController();
    const model = fakeModel(async (_prompt, _options, call) => {
      if (call === 3) controller.abort(new Error('out of time'));
      return { text: 'x', latencyMs: 1 };
    });
    await expect(
      runInference(testingData(10), model, { concurrency: 1, signal: controller.signal, sleep: noSleep }),
    ).rejects.toThrow('out of time');
    expect(model.calls).toHaveLength(3);
  });

  it('stops waiting out a back-off when the run is aborted', async () => {
    const controller = new AbortController();
    const model = fakeModel(() => {
      throw new TeamModelError('throttled', 'slow down');
    });
    const run = runInference(testingData(1), model, {
      concurrency: 1,
      backoff: { baseMs: 60_000 },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('stopped')), 10);
    await expect(run).rejects.toThrow('stopped');
    expect(model.calls).toHaveLength(1);
  });
});
