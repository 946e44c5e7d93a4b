import type { BedrockRuntimeClient, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../../leaderboard-account/ranking/prng.js';
import { Verdict } from '../../../shared/contracts/judgment.js';
import {
  CAPITAL_QUESTION,
  CAPITAL_REFERENCE,
  emulatorClient,
  failureOf,
  POOR_ANSWER,
  pairwiseCommand,
  rubricCommand,
  toolUseOf,
} from './converse-fixtures.js';
import { sampleLatency } from './faults.js';
import { type EmulatorOptions, type RunningEmulator, startBedrockEmulator } from './index.js';

const started: { emulator: RunningEmulator; client: BedrockRuntimeClient }[] = [];

async function start(options: EmulatorOptions, maxAttempts?: number) {
  const emulator = await startBedrockEmulator(options);
  const client = emulatorClient(emulator.url, maxAttempts === undefined ? {} : { maxAttempts });
  started.push({ emulator, client });
  return { emulator, client };
}

afterEach(async () => {
  for (const { emulator, client } of started.splice(0)) {
    client.destroy();
    await emulator.close();
  }
});

const pairwise = (answerA = CAPITAL_REFERENCE) =>
  pairwiseCommand({ question: CAPITAL_QUESTION, answerA, answerB: POOR_ANSWER });

/** What a judge caller would make of a pairwise reply: a verdict, or why it is unusable. */
function readOutcome(output: ConverseCommandOutput): string {
  if (output.stopReason === 'max_tokens') return 'truncated';
  const verdict = Verdict.safeParse((toolUseOf(output)?.input as { verdict?: unknown } | undefined)?.verdict);
  return verdict.success ? verdict.data : 'malformed';
}

async function outcomes(client: BedrockRuntimeClient, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    seen.push(
      await client
        .send(pairwise())
        .then(readOutcome, (error: unknown) => (error instanceof Error ? error.name : 'unknown')),
    );
  }
  return seen;
}

describe('throttling by rate', () => {
  it('makes the SDK give up with ThrottlingException after maxAttempts when every request is throttled', async () => {
    const { emulator, client } = await start({ throttleRate: 1 }, 2);
    expect(await failureOf(client.send(pairwise()))).toEqual({
      name: 'ThrottlingException',
      attempts: 2,
      status: 429,
    });
    expect(emulator.stats()).toMatchObject({ requests: 2, throttled: 2, throttledByRate: 2, answered: 0 });
  });

  it("lets the SDK's default retries carry calls through a 50% throttle rate", async () => {
    // Seed 1 throttles the first attempt of the third and fourth calls: the SDK retries both.
    const { emulator, client } = await start({ throttleRate: 0.5, seed: 1 });
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await client.send(pairwise()));
    expect(replies.map(readOutcome)).toEqual(['A>>B', 'A>>B', 'A>>B', 'A>>B']);
    expect(replies.map((reply) => reply.$metadata.attempts)).toEqual([1, 1, 2, 2]);
    expect(emulator.stats()).toMatchObject({ requests: 6, answered: 4, throttled: 2, throttledByRate: 2 });
  });
});

describe('throttling by quota', () => {
  it('throttles the sixth immediate request under a quota of five requests a second', async () => {
    const { emulator, client } = await start({ requestsPerMinute: 5, windowMs: 1_000 }, 1);
    for (let i = 0; i < 5; i++) expect(readOutcome(await client.send(pairwise()))).toBe('A>>B');
    expect(await failureOf(client.send(pairwise()))).toEqual({
      name: 'ThrottlingException',
      attempts: 1,
      status: 429,
    });
    expect(emulator.stats()).toMatchObject({
      answered: 5,
      throttledByQuota: 1,
      throttledByRate: 0,
      throttled: 1,
    });
  });

  it('admits requests again once the window has slid past the earlier ones', async () => {
    const { client } = await start({ requestsPerMinute: 1, windowMs: 100 }, 1);
    await client.send(pairwise());
    expect((await failureOf(client.send(pairwise()))).name).toBe('ThrottlingException');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(readOutcome(await client.send(pairwise()))).toBe('A>>B');
  });

  it('throttles when a tokens-per-minute quota would be exceeded', async () => {
    const probe = await start({});
    const tokens = (await probe.client.send(pairwise())).usage?.totalTokens ?? 0;
    const { emulator, client } = await start({ tokensPerMinute: Math.round(tokens * 1.5) }, 1);
    await client.send(pairwise());
    await expect(client.send(pairwise())).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
    expect(emulator.stats().throttledByQuota).toBe(1);
  });
});

describe('server errors', () => {
  it('surfaces injected 500s and 503s as InternalServerException and ServiceUnavailableException', async () => {
    const { emulator, client } = await start({ errorRate: 1, seed: 11 }, 1);
    const failures = [];
    for (let i = 0; i < 10; i++) failures.push(await failureOf(client.send(pairwise())));
    const kinds = new Set(failures.map(({ name, status }) => `${status} ${name}`));
    expect(kinds).toEqual(new Set(['500 InternalServerException', '503 ServiceUnavailableException']));
    expect(emulator.stats()).toMatchObject({ errors: 10, answered: 0 });
  });

  it('is retried by the SDK like the real service errors', async () => {
    const { emulator, client } = await start({ errorRate: 1 }, 2);
    expect((await failureOf(client.send(pairwise()))).attempts).toBe(2);
    expect(emulator.stats().errors).toBe(2);
  });
});

describe('malformed and truncated replies', () => {
  it('serves them at about the configured rates and counts exactly what it served', async () => {
    const { emulator, client } = await start({ malformedRate: 0.2, truncatedRate: 0.1, seed: 5 });
    const seen = await outcomes(client, 60);
    const malformed = seen.filter((o) => o === 'malformed').length;
    const truncated = seen.filter((o) => o === 'truncated').length;
    expect(malformed).toBe(emulator.stats().malformed);
    expect(truncated).toBe(emulator.stats().truncated);
    expect(malformed).toBeGreaterThanOrEqual(5);
    expect(malformed).toBeLessThanOrEqual(20);
    expect(truncated).toBeGreaterThanOrEqual(2);
    expect(truncated).toBeLessThanOrEqual(12);
    expect(seen.filter((o) => o === 'A>>B').length).toBe(60 - malformed - truncated);
  });

  it('breaks rubric replies too: scores out of range or missing', async () => {
    const { client } = await start({ malformedRate: 1, seed: 2 });
    const problems = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const output = await client.send(
        rubricCommand({
          question: CAPITAL_QUESTION,
          reference: CAPITAL_REFERENCE,
          answer: POOR_ANSWER,
          criteria: ['accuracy'],
        }),
      );
      const scores = (toolUseOf(output)?.input as { scores?: { accuracy?: number } } | undefined)?.scores;
      problems.add(scores === undefined ? 'missing' : String(scores.accuracy));
    }
    expect(problems).toEqual(new Set(['missing', '0', '11']));
  });

  it('leaves the label out of a malformed text-mode reply', async () => {
    const { client } = await start({ malformedRate: 1, seed: 1 });
    const texts = [];
    for (let i = 0; i < 6; i++) {
      const output = await client.send(
        pairwiseCommand(
          { question: CAPITAL_QUESTION, answerA: CAPITAL_REFERENCE, answerB: POOR_ANSWER },
          { mode: 'text' },
        ),
      );
      texts.push((output.output?.message?.content ?? []).map((block) => block.text ?? '').join(''));
    }
    for (const text of texts) expect(text).not.toMatch(/\[\[(A>>B|A>B|A=B|B>A|B>>A)\]\]/);
  });
});

describe('seeded faults', () => {
  const faulty: EmulatorOptions = {
    throttleRate: 0.2,
    errorRate: 0.2,
    malformedRate: 0.2,
    truncatedRate: 0.1,
  };

  it('repeats the same sequence of faults for the same seed and another for another seed', async () => {
    const first = await start({ ...faulty, seed: 42 }, 1);
    const again = await start({ ...faulty, seed: 42 }, 1);
    const other = await start({ ...faulty, seed: 43 }, 1);
    const sequence = await outcomes(first.client, 30);
    expect(await outcomes(again.client, 30)).toEqual(sequence);
    expect(await outcomes(other.client, 30)).not.toEqual(sequence);
    expect(new Set(sequence)).toEqual(
      new Set([
        'A>>B',
        'malformed',
        'truncated',
        'ThrottlingException',
        'InternalServerException',
        'ServiceUnavailableException',
      ]),
    );
    expect(first.emulator.stats()).toEqual(again.emulator.stats());
  });
});

describe('latency', () => {
  it('waits the configured latency before answering', async () => {
    const { client } = await start({ latencyMs: { min: 30, max: 40 } });
    const before = performance.now();
    const output = await client.send(pairwise());
    expect(performance.now() - before).toBeGreaterThanOrEqual(29);
    expect(output.metrics?.latencyMs).toBeGreaterThanOrEqual(29);
  });

  it('draws a lognormal latency with the configured median and 99th percentile', () => {
    const random = createRandom(9);
    const samples = Array.from({ length: 20_000 }, () =>
      sampleLatency({ median: 100, p99: 800 }, random.next(), random.next()),
    ).sort((a, b) => a - b);
    expect(samples[10_000]).toBeGreaterThan(95);
    expect(samples[10_000]).toBeLessThan(105);
    expect(samples[19_800]).toBeGreaterThan(700);
    expect(samples[19_800]).toBeLessThan(900);
  });

  it('drops a reply still waiting when the emulator closes, and closes promptly', async () => {
    const emulator = await startBedrockEmulator({ latencyMs: 10_000 });
    const client = emulatorClient(emulator.url, { maxAttempts: 1 });
    const pending = failureOf(client.send(pairwise()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = performance.now();
    await emulator.close();
    const failure = await pending;
    client.destroy();
    expect(performance.now() - before).toBeLessThan(5_000);
    // The connection went down with no reply: the SDK sees a dropped session, not an HTTP status.
    expect(failure).toMatchObject({ status: 0, attempts: 1 });
    expect(emulator.stats().answered).toBe(0);
  });
});
