import { ConverseCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verdict } from '../../../shared/contracts/judgment.js';
import {
  CAPITAL_QUESTION,
  CAPITAL_REFERENCE,
  converseInput,
  emulatorClient,
  failureOf,
  MODEL_ID,
  POOR_ANSWER,
  pairwiseCommand,
  rubricCommand,
  textOf,
  toolUseOf,
} from './converse-fixtures.js';
import { type RunningEmulator, startBedrockEmulator } from './index.js';

const MIRROR = { 'A>>B': 'B>>A', 'A>B': 'B>A', 'A=B': 'A=B', 'B>A': 'A>B', 'B>>A': 'A>>B' } as const;

let emulator: RunningEmulator;
let client: ReturnType<typeof emulatorClient>;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ references: new Map([[CAPITAL_QUESTION, CAPITAL_REFERENCE]]) });
  client = emulatorClient(emulator.url);
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

const verdictOf = (output: ConverseCommandOutput) => {
  const input = toolUseOf(output)?.input as { verdict?: unknown } | undefined;
  return Verdict.parse(input?.verdict);
};

describe('pairwise judging through the real SDK client (HTTP/2 cleartext)', () => {
  it('answers a forced-tool call with a record_verdict tool use, a valid verdict and usage', async () => {
    const output = await client.send(
      pairwiseCommand({ question: CAPITAL_QUESTION, answerA: CAPITAL_REFERENCE, answerB: POOR_ANSWER }),
    );
    expect(output.stopReason).toBe('tool_use');
    expect(output.output?.message?.role).toBe('assistant');
    const toolUse = toolUseOf(output);
    expect(toolUse?.name).toBe('record_verdict');
    expect(toolUse?.toolUseId).toMatch(/^tooluse_\d+$/);
    expect(toolUse?.input).toEqual({
      rationale: expect.stringMatching(/not an LLM/),
      verdict: expect.any(String),
    });
    expect(Verdict.options).toContain(verdictOf(output));
    const usage = output.usage;
    expect(usage?.inputTokens).toBeGreaterThan(100);
    expect(usage?.outputTokens).toBeGreaterThan(0);
    expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0));
    expect(usage?.cacheReadInputTokens).toBe(0);
    expect(usage?.cacheWriteInputTokens).toBe(0);
    expect(output.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(output.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
  });

  it('prefers an answer identical to the reference over a poor one, in either position', async () => {
    const first = await client.send(
      pairwiseCommand({ question: CAPITAL_QUESTION, answerA: CAPITAL_REFERENCE, answerB: POOR_ANSWER }),
    );
    const second = await client.send(
      pairwiseCommand({ question: CAPITAL_QUESTION, answerA: POOR_ANSWER, answerB: CAPITAL_REFERENCE }),
    );
    expect(verdictOf(first)).toBe('A>>B');
    expect(verdictOf(second)).toBe('B>>A');
  });

  it('mirrors its verdict when the answers swap places, with or without a known reference', async () => {
    const cases = [
      { question: CAPITAL_QUESTION, answerA: 'Canberra, chosen as a compromise.', answerB: POOR_ANSWER },
      { question: CAPITAL_QUESTION, answerA: 'Canberra.', answerB: 'Canberra is the capital.' },
      {
        question: 'Name a prime number greater than ten.',
        answerA: 'Eleven is a prime number.',
        answerB: '12',
      },
      { question: 'Why is the sky blue?', answerA: '', answerB: 'Rayleigh scattering makes the sky blue.' },
    ];
    const seen = new Set<string>();
    for (const c of cases) {
      const forward = verdictOf(await client.send(pairwiseCommand(c)));
      const swapped = verdictOf(
        await client.send(pairwiseCommand({ ...c, answerA: c.answerB, answerB: c.answerA })),
      );
      expect(swapped).toBe(MIRROR[forward]);
      seen.add(forward);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('ends a text-mode reply with a [[verdict]] label and stops at end_turn', async () => {
    const output = await client.send(
      pairwiseCommand(
        { question: CAPITAL_QUESTION, answerA: POOR_ANSWER, answerB: CAPITAL_REFERENCE },
        { mode: 'text' },
      ),
    );
    expect(output.stopReason).toBe('end_turn');
    expect(toolUseOf(output)).toBeUndefined();
    expect(textOf(output)).toMatch(/\[\[B>>A\]\]$/);
  });
});

describe('rubric judging through the real SDK client', () => {
  const criteria = ['accuracy', 'coherence', 'relevance', 'helpfulness'];

  it('returns integer scores from 1 to 10 for exactly the criteria of the tool schema', async () => {
    const output = await client.send(
      rubricCommand({
        question: CAPITAL_QUESTION,
        reference: CAPITAL_REFERENCE,
        answer: CAPITAL_REFERENCE,
        criteria,
      }),
    );
    expect(output.stopReason).toBe('tool_use');
    const toolUse = toolUseOf(output);
    expect(toolUse?.name).toBe('record_scores');
    const scores = (toolUse?.input as { scores?: Record<string, number> } | undefined)?.scores ?? {};
    expect(Object.keys(scores).sort()).toEqual([...criteria].sort());
    for (const score of Object.values(scores)) {
      expect(Number.isInteger(score)).toBe(true);
      expect(score).toBeGreaterThanOrEqual(1);
      expect(score).toBeLessThanOrEqual(10);
    }
    expect(scores.accuracy).toBe(10);
  });

  it('grades a poor answer lower on accuracy than the reference itself', async () => {
    const poor = await client.send(
      rubricCommand({
        question: CAPITAL_QUESTION,
        reference: CAPITAL_REFERENCE,
        answer: POOR_ANSWER,
        criteria,
      }),
    );
    const scores = (toolUseOf(poor)?.input as { scores?: Record<string, number> } | undefined)?.scores;
    expect(scores?.accuracy).toBeLessThan(5);
  });

  it('ends a text-mode reply with a {"scores": …} object naming the criteria of the instructions', async () => {
    const output = await client.send(
      rubricCommand(
        {
          question: CAPITAL_QUESTION,
          reference: CAPITAL_REFERENCE,
          answer: POOR_ANSWER,
          criteria: ['accuracy', 'depth'],
        },
        { mode: 'text' },
      ),
    );
    expect(output.stopReason).toBe('end_turn');
    const json = /(\{"scores":.*\})$/.exec(textOf(output))?.[1];
    expect(Object.keys((JSON.parse(json ?? '{}') as { scores?: object }).scores ?? {})).toEqual([
      'accuracy',
      'depth',
    ]);
  });
});

describe('token accounting and prompt caching', () => {
  it('writes the prefix before the cache point on the first call and reads it on the next', async () => {
    const modelId = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
    const ask = (answerA: string) =>
      client.send(
        pairwiseCommand(
          { question: CAPITAL_QUESTION, answerA, answerB: POOR_ANSWER },
          { cache: true, modelId },
        ),
      );
    const first = await ask('Canberra.');
    const second = await ask('Canberra, a compromise between Sydney and Melbourne.');
    expect(first.usage?.cacheWriteInputTokens).toBeGreaterThan(100);
    expect(first.usage?.cacheReadInputTokens).toBe(0);
    expect(second.usage?.cacheReadInputTokens).toBe(first.usage?.cacheWriteInputTokens);
    expect(second.usage?.cacheWriteInputTokens).toBe(0);
    // Only the text after the cache point is plain input: the enveloped question and answers.
    expect(second.usage?.inputTokens).toBeLessThan(first.usage?.cacheWriteInputTokens ?? 0);
    const usage = second.usage;
    expect(usage?.totalTokens).toBe(
      (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0) + (usage?.cacheReadInputTokens ?? 0),
    );
  });

  it('counts about one token for four characters', async () => {
    const input = converseInput({
      system: 's'.repeat(400),
      staticPrefix: 'p'.repeat(400),
      content: 'c'.repeat(399),
      tool: { name: 'noop', description: 'x', inputSchema: { type: 'object' } },
      maxTokens: 100,
    });
    const output = await client.send(new ConverseCommand(input));
    expect(output.usage?.inputTokens).toBe(Math.ceil((400 + 400 + 399) / 4));
  });

  it('cuts a reply that does not fit maxTokens off with stopReason max_tokens', async () => {
    const output = await client.send(
      pairwiseCommand({ question: CAPITAL_QUESTION, answerA: 'a', answerB: 'b' }, { maxTokens: 5 }),
    );
    expect(output.stopReason).toBe('max_tokens');
    expect(toolUseOf(output)).toBeUndefined();
    expect(textOf(output).length).toBeGreaterThan(0);
  });
});

describe('request validation', () => {
  it('rejects a forced tool that is not among the tools with a ValidationException', async () => {
    const input = converseInput({
      system: 'system',
      staticPrefix: 'prefix',
      content: 'content',
      tool: { name: 'record_verdict', description: 'x', inputSchema: { type: 'object' } },
      maxTokens: 100,
    });
    const failure = await failureOf(
      client.send(
        new ConverseCommand({
          ...input,
          toolConfig: { tools: input.toolConfig?.tools ?? [], toolChoice: { tool: { name: 'other' } } },
        }),
      ),
    );
    expect(failure).toEqual({ name: 'ValidationException', attempts: 1, status: 400 });
  });

  it('rejects a conversation with no messages', async () => {
    const failure = await failureOf(client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [] })));
    expect(failure.name).toBe('ValidationException');
  });
});

describe('HTTP/1.1', () => {
  it('serves the SDK with the HTTP/1.1 NodeHttpHandler on the same port', async () => {
    const http1Client = emulatorClient(emulator.url, { requestHandler: new NodeHttpHandler() });
    const output = await http1Client.send(
      pairwiseCommand({ question: CAPITAL_QUESTION, answerA: CAPITAL_REFERENCE, answerB: POOR_ANSWER }),
    );
    http1Client.destroy();
    expect(verdictOf(output)).toBe('A>>B');
  });
});
