import { describe, expect, it } from 'vitest';
import { JudgeModelError } from '../judge-model.js';
import { buildPairwiseCall } from '../prompts.js';
import { OpenAiJudgeModel } from './openai-judge-model.js';

const call = buildPairwiseCall({ question: 'What is 2+2?', answerA: '4', answerB: 'five', nonce: 'abc' });

function fakeFetch(responses: (() => Response)[]) {
  const requests: { url: string; body: Record<string, unknown> }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const completion = (content: string, finish = 'stop') =>
  new Response(
    JSON.stringify({
      choices: [{ message: { content }, finish_reason: finish }],
      usage: { prompt_tokens: 120, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 100 } },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

describe('the OpenAI-compatible judge', () => {
  it('asks for the tool schema as a JSON-schema response format and reads the JSON back', async () => {
    const { fetch, requests } = fakeFetch([() => completion('{"rationale":"A is right","verdict":"A>B"}')]);
    const model = new OpenAiJudgeModel({
      baseUrl: 'http://127.0.0.1:11434/',
      modelId: 'llama3.1',
      maxAttempts: 3,
      timeoutMs: 1000,
      fetch,
    });
    const reply = await model.complete(call);
    expect(reply.toolInput).toEqual({ rationale: 'A is right', verdict: 'A>B' });
    expect(reply.usage).toEqual({
      inputTokens: 20,
      outputTokens: 30,
      cacheReadTokens: 100,
      cacheWriteTokens: 0,
    });
    expect(requests[0]?.url).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(requests[0]?.body).toMatchObject({
      model: 'llama3.1',
      temperature: 0,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'record_verdict', schema: call.tool.inputSchema },
      },
    });
  });

  it('takes the base URL with or without the /v1 the OpenAI SDKs use', async () => {
    const { fetch, requests } = fakeFetch([() => completion('{"rationale":"r","verdict":"A=B"}')]);
    const model = new OpenAiJudgeModel({
      baseUrl: 'http://127.0.0.1:8000/v1/',
      modelId: 'm',
      maxAttempts: 1,
      timeoutMs: 1000,
      fetch,
    });
    await model.complete(call);
    expect(requests[0]?.url).toBe('http://127.0.0.1:8000/v1/chat/completions');
  });

  it('keeps a non-JSON reply as text so the [[label]] fallback can read it', async () => {
    const { fetch } = fakeFetch([() => completion('B is better. [[B>A]]')]);
    const model = new OpenAiJudgeModel({
      baseUrl: 'http://x',
      modelId: 'm',
      maxAttempts: 1,
      timeoutMs: 1000,
      fetch,
    });
    const reply = await model.complete(call);
    expect(reply.toolInput).toBeUndefined();
    expect(reply.text).toBe('B is better. [[B>A]]');
  });

  it('retries 429 and 5xx with back-off and reports the attempts', async () => {
    const { fetch } = fakeFetch([
      () => new Response('slow down', { status: 429 }),
      () => new Response('oops', { status: 503 }),
      () => completion('{"rationale":"","verdict":"A=B"}'),
    ]);
    const model = new OpenAiJudgeModel({
      baseUrl: 'http://x',
      modelId: 'm',
      maxAttempts: 5,
      timeoutMs: 1000,
      fetch,
      sleep: async () => {},
    });
    const reply = await model.complete(call);
    expect(reply.attempts).toBe(3);
  });

  it('gives up after the configured attempts with the last error', async () => {
    const { fetch } = fakeFetch([
      () => new Response('', { status: 429 }),
      () => new Response('', { status: 429 }),
    ]);
    const model = new OpenAiJudgeModel({
      baseUrl: 'http://x',
      modelId: 'm',
      maxAttempts: 2,
      timeoutMs: 1000,
      fetch,
      sleep: async () => {},
    });
    await expect(model.complete(call)).rejects.toEqual(
      new JudgeModelError('HTTP 429', 'ThrottlingException', 2),
    );
  });

  it('does not retry a 4xx request error', async () => {
    const { fetch, requests } = fakeFetch([() => new Response('bad schema', { status: 400 })]);
    const model = new OpenAiJudgeModel({
      baseUrl: 'http://x',
      modelId: 'm',
      maxAttempts: 5,
      timeoutMs: 1000,
      fetch,
      sleep: async () => {},
    });
    await expect(model.complete(call)).rejects.toMatchObject({ code: 'ClientError', attempts: 1 });
    expect(requests).toHaveLength(1);
  });
});
