import { describe, expect, it } from 'vitest';
import { OpenAiTeamModel } from './openai-team-model.js';

interface SentRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

function headersOf(init: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

function fakeFetch(respond: () => Response | Promise<Response>) {
  const requests: SentRequest[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(url),
      headers: headersOf(init?.headers),
      body: JSON.parse(String(init?.body)) as unknown,
    });
    return respond();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const completion = (content: string | null) =>
  new Response(
    JSON.stringify({ choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }] }),
    {
      status: 200,
      headers: { 'content-type': 'application/json' },
    },
  );

describe('the OpenAI-compatible team model', () => {
  it('posts one user message to /v1/chat/completions with the key as a bearer token', async () => {
    const { fetch, requests } = fakeFetch(() => completion('Four.'));
    const model = new OpenAiTeamModel({
      baseUrl: 'http://127.0.0.1:8000/',
      modelId: 'otters-7b',
      apiKey: 'sk-local',
      fetch,
    });
    const generation = await model.generate('What is 2+2?', { maxTokens: 50 });
    expect(generation.text).toBe('Four.');
    expect(model.modelName).toBe('otters-7b');
    expect(requests[0]?.url).toBe('http://127.0.0.1:8000/v1/chat/completions');
    expect(requests[0]?.headers).toMatchObject({
      authorization: 'Bearer sk-local',
      'content-type': 'application/json',
    });
    expect(requests[0]?.body).toEqual({
      model: 'otters-7b',
      messages: [{ role: 'user', content: 'What is 2+2?' }],
      max_tokens: 50,
      temperature: 0.2,
    });
  });

  it('does not repeat /v1 when the base URL already ends with it, and sends no key when there is none', async () => {
    const { fetch, requests } = fakeFetch(() => completion(null));
    const model = new OpenAiTeamModel({ baseUrl: 'http://127.0.0.1:11434/v1', modelId: 'llama3.1', fetch });
    await expect(model.generate('Hi')).resolves.toMatchObject({ text: '' });
    expect(requests[0]?.url).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(requests[0]?.headers.authorization).toBeUndefined();
  });

  it.each([
    [429, 'throttled', true],
    [408, 'timeout', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
    [400, 'invalid-request', false],
    [401, 'access-denied', false],
    [404, 'not-found', false],
  ])('maps HTTP %i to %s (retryable: %s)', async (status, code, retryable) => {
    const { fetch } = fakeFetch(() => new Response('nope', { status }));
    const model = new OpenAiTeamModel({ baseUrl: 'http://x', modelId: 'm', fetch });
    await expect(model.generate('Hi')).rejects.toMatchObject({
      code,
      retryable,
      providerCode: `HTTP ${status}`,
      message: `OpenAI: HTTP ${status}: nope`,
    });
  });

  it("keeps a 429's Retry-After for the back-off", async () => {
    const { fetch } = fakeFetch(() => new Response('', { status: 429, headers: { 'retry-after': '2' } }));
    const model = new OpenAiTeamModel({ baseUrl: 'http://x', modelId: 'm', fetch });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'throttled', retryAfterMs: 2000 });
  });

  it('treats a failed connection as a retryable network failure', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const model = new OpenAiTeamModel({ baseUrl: 'http://x', modelId: 'm', fetch });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'network', retryable: true });
  });

  it('times out a call that takes longer than its limit', async () => {
    const fetch = ((_url: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const model = new OpenAiTeamModel({ baseUrl: 'http://x', modelId: 'm', fetch, timeoutMs: 20 });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });

  it('refuses a response without choices as a non-retryable bad response', async () => {
    const { fetch } = fakeFetch(() => new Response(JSON.stringify({ error: 'x' }), { status: 200 }));
    const model = new OpenAiTeamModel({ baseUrl: 'http://x', modelId: 'm', fetch });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'bad-response', retryable: false });
  });
});
