import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NonRetryableFetchError } from 'aws-jwt-verify/error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, LoopbackHttpFetcher } from './loopback-fetcher.js';

let server: http.Server;
let origin: string;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requests++;
    if (request.url === '/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"keys":[]}');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('isLoopbackHost', () => {
  it('knows the hosts that never leave the machine', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['example.com', '10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '0.0.0.0'].map(
        isLoopbackHost,
      ),
    ).toEqual([false, false, false, false, false]);
  });
});

describe('LoopbackHttpFetcher', () => {
  const fetcher = new LoopbackHttpFetcher();

  it('fetches a JWKS over plain HTTP from a loopback host', async () => {
    const body = await fetcher.fetch(`${origin}/jwks.json`);
    expect(Buffer.from(body).toString('utf8')).toBe('{"keys":[]}');
  });

  it('refuses plain HTTP to any other host without sending a request', async () => {
    const before = requests;
    for (const uri of ['http://example.com/jwks.json', 'ftp://127.0.0.1/jwks.json']) {
      await expect(fetcher.fetch(uri)).rejects.toThrow(NonRetryableFetchError);
    }
    expect(requests).toBe(before);
  });

  it('fails, without retrying, on an answer other than 200', async () => {
    const before = requests;
    await expect(fetcher.fetch(`${origin}/missing.json`)).rejects.toThrow(/Status code is 404/);
    expect(requests).toBe(before + 1);
  });
});
