import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startBedrockEmulator } from './index.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
});

afterAll(async () => {
  await emulator.close();
});

interface RawReply {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: string;
}

/** One request over a fresh HTTP/2 cleartext session, as the SDK's handler would open it. */
function h2Request(method: string, path: string, body?: string, url = emulator.url): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on('error', reject);
    const stream = session.request({ ':method': method, ':path': path, 'content-type': 'application/json' });
    let status = 0;
    let errorType: string | undefined;
    let text = '';
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
      const header = headers['x-amzn-errortype'];
      errorType = Array.isArray(header) ? header[0] : header;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, errorType, body: text });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

const converseBody = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hello' }] }] });

describe('the HTTP/2 cleartext transport', () => {
  it('answers a Converse request whose model id is URL-encoded', async () => {
    const reply = await h2Request(
      'POST',
      '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse',
      converseBody,
    );
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      output: { message: { role: 'assistant', content: [{ text: expect.stringMatching(/not an LLM/) }] } },
      stopReason: 'end_turn',
    });
  });

  it('rejects a body that is not JSON with 400 ValidationException', async () => {
    const reply = await h2Request('POST', '/model/m/converse', '{"messages": [');
    expect(reply).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect(JSON.parse(reply.body)).toEqual({ message: expect.stringMatching(/not valid JSON/) });
  });

  it('rejects a request without messages with 400 ValidationException naming the field', async () => {
    const reply = await h2Request('POST', '/model/m/converse', JSON.stringify({ system: [{ text: 'hi' }] }));
    expect(reply).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect(reply.body).toMatch(/'messages'/);
  });

  it('answers an unknown operation with 404 UnknownOperationException', async () => {
    const invoke = await h2Request('POST', '/model/m/invoke', converseBody);
    const get = await h2Request('GET', '/model/m/converse');
    expect(invoke).toMatchObject({ status: 404, errorType: 'UnknownOperationException' });
    expect(get).toMatchObject({ status: 404, errorType: 'UnknownOperationException' });
  });
});

describe('the HTTP/1.1 transport on the same port', () => {
  it('answers plain HTTP/1.1 clients such as fetch or curl', async () => {
    const response = await fetch(`${emulator.url}/model/m/converse`, { method: 'POST', body: converseBody });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ stopReason: 'end_turn' });
    const bad = await fetch(`${emulator.url}/model/m/converse`, { method: 'POST', body: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });

  it('counts every request, bad ones included', async () => {
    const counted = await startBedrockEmulator();
    await h2Request('POST', '/model/m/converse', converseBody, counted.url);
    await h2Request('POST', '/model/m/converse', 'not json', counted.url);
    await h2Request('GET', '/', undefined, counted.url);
    const stats = counted.stats();
    await counted.close();
    expect(stats).toMatchObject({ requests: 3, answered: 1, badRequests: 2 });
  });
});
