import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../shared/lambda/errors.js';
import {
  checkResultsUrl,
  type FetchOptions,
  fetchResults,
  ResultsRejected,
  type ResultsRejectionCode,
  type ResultsSource,
} from './fetch-results.js';

const source: ResultsSource = { bucket: 'team-results', region: 'eu-west-1' };
const results = new TextEncoder().encode('{"id":"q1","prompt":"p","response":"r","model":"m"}\n');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const signature = '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0123456789abcdef';

/** The rejection code of a call, or `undefined` if it did not throw a `ResultsRejected`. */
function codeOf(run: () => unknown): ResultsRejectionCode | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ResultsRejected ? error.code : undefined;
  }
  return undefined;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ResultsRejected> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ResultsRejected))
    throw new Error(`expected a ResultsRejected, got ${String(error)}`);
  return error;
}

function fakeFetch(response: () => Response) {
  return vi.fn<typeof fetch>(async () => response());
}

function options(overrides: Partial<FetchOptions> = {}): FetchOptions {
  return { maxBytes: 1024 * 1024, timeoutMs: 2000, expectedSha256: sha256(results), ...overrides };
}

describe('checkResultsUrl', () => {
  it.each([
    ['virtual-hosted regional', 'https://team-results.s3.eu-west-1.amazonaws.com/runs/results.jsonl'],
    ['virtual-hosted legacy global', 'https://team-results.s3.amazonaws.com/runs/results.jsonl'],
    [
      'virtual-hosted dual-stack',
      'https://team-results.s3.dualstack.eu-west-1.amazonaws.com/runs/results.jsonl',
    ],
    ['path-style regional', 'https://s3.eu-west-1.amazonaws.com/team-results/runs/results.jsonl'],
    ['path-style legacy global', 'https://s3.amazonaws.com/team-results/runs/results.jsonl'],
    ['path-style dual-stack', 'https://s3.dualstack.eu-west-1.amazonaws.com/team-results/runs/results.jsonl'],
    ['upper-case host', 'https://TEAM-RESULTS.S3.EU-WEST-1.AMAZONAWS.COM/runs/results.jsonl'],
    ['explicit port 443', 'https://team-results.s3.eu-west-1.amazonaws.com:443/runs/results.jsonl'],
  ])('accepts a %s URL of the registered bucket', (_form, url) => {
    expect(checkResultsUrl(`${url}${signature}`, source).hostname).toMatch(/amazonaws\.com$/);
  });

  it('accepts the China partition endpoint for a cn- region', () => {
    const china = { bucket: 'team-results', region: 'cn-north-1' };
    expect(
      checkResultsUrl('https://team-results.s3.cn-north-1.amazonaws.com.cn/r.jsonl', china).hostname,
    ).toBe('team-results.s3.cn-north-1.amazonaws.com.cn');
  });

  it('accepts a bucket name with dots path-style', () => {
    const dotted = { bucket: 'team.results', region: 'eu-west-1' };
    expect(checkResultsUrl('https://s3.eu-west-1.amazonaws.com/team.results/r.jsonl', dotted).pathname).toBe(
      '/team.results/r.jsonl',
    );
  });

  it('accepts plain http to the local stack, path-style', () => {
    const url = checkResultsUrl('http://127.0.0.1:4569/team-results/r.jsonl', source, {
      localHost: '127.0.0.1:4569',
    });
    expect(url.host).toBe('127.0.0.1:4569');
  });

  it.each<[string, string, ResultsRejectionCode]>([
    ['is not a URL at all', 'results.jsonl', 'E_URL'],
    ['is empty', '', 'E_URL'],
    ['is absurdly long', `https://team-results.s3.eu-west-1.amazonaws.com/${'k'.repeat(9000)}`, 'E_URL'],
    ['omits the slashes after the scheme', 'https:team-results.s3.eu-west-1.amazonaws.com/r.jsonl', 'E_URL'],
    ['names only the bucket, no object', 'https://team-results.s3.eu-west-1.amazonaws.com/', 'E_URL'],
    ['names only the bucket path-style', 'https://s3.eu-west-1.amazonaws.com/team-results/', 'E_URL'],
    [
      'smuggles a slash into the host with %2F',
      'https://evil.com%2Fteam-results.s3.amazonaws.com/r',
      'E_URL',
    ],
    ['uses plain http', 'http://team-results.s3.eu-west-1.amazonaws.com/r.jsonl', 'E_SCHEME'],
    ['uses ftp', 'ftp://team-results.s3.eu-west-1.amazonaws.com/r.jsonl', 'E_SCHEME'],
    ['uses file', 'file:///etc/passwd', 'E_SCHEME'],
    ['uses a data: URL', 'data:text/plain,hello', 'E_SCHEME'],
    [
      'uses http to the local stack address when no local stack is set',
      'http://127.0.0.1:4569/team-results/r',
      'E_SCHEME',
    ],
    [
      'carries a user and password',
      'https://user:pass@team-results.s3.eu-west-1.amazonaws.com/r',
      'E_CREDENTIALS',
    ],
    [
      'puts the S3 host in the userinfo',
      'https://team-results.s3.eu-west-1.amazonaws.com@evil.com/r',
      'E_CREDENTIALS',
    ],
    ['names a port other than 443', 'https://team-results.s3.eu-west-1.amazonaws.com:8443/r.jsonl', 'E_HOST'],
    ['appends an attacker domain', 'https://team-results.s3.eu-west-1.amazonaws.com.evil.com/r', 'E_HOST'],
    [
      'puts the S3 host in the path of another host',
      'https://evil.com/team-results.s3.amazonaws.com/r',
      'E_HOST',
    ],
    ['hides another host behind a backslash', 'https://evil.com\\@team-results.s3.amazonaws.com/r', 'E_HOST'],
    [
      'names a bucket that extends the registered name',
      'https://team-results-x.s3.eu-west-1.amazonaws.com/r',
      'E_HOST',
    ],
    [
      'names a bucket that ends with the registered name',
      'https://xteam-results.s3.eu-west-1.amazonaws.com/r',
      'E_HOST',
    ],
    ['names another region', 'https://team-results.s3.us-east-1.amazonaws.com/r.jsonl', 'E_HOST'],
    ['names another bucket path-style', 'https://s3.eu-west-1.amazonaws.com/other-bucket/r.jsonl', 'E_HOST'],
    [
      'names a longer bucket path-style',
      'https://s3.eu-west-1.amazonaws.com/team-results-x/r.jsonl',
      'E_HOST',
    ],
    [
      'escapes the bucket with an encoded slash',
      'https://s3.amazonaws.com/team-results%2F..%2Fother/r',
      'E_HOST',
    ],
    [
      'climbs out of the bucket with encoded dots',
      'https://s3.amazonaws.com/team-results/%2e%2e/other/r',
      'E_HOST',
    ],
    [
      'names a legacy upper-case bucket path-style',
      'https://s3.amazonaws.com/TEAM-RESULTS/r.jsonl',
      'E_HOST',
    ],
    ['names an S3 host without any bucket', 'https://s3.eu-west-1.amazonaws.com/r.jsonl', 'E_HOST'],
    ['is an IPv4 literal', 'https://52.218.0.1/team-results/r.jsonl', 'E_HOST'],
    ['is the instance metadata address', 'https://169.254.169.254/latest/meta-data/', 'E_HOST'],
    ['is an IPv6 literal', 'https://[::1]/team-results/r.jsonl', 'E_HOST'],
    ['is a decimal IPv4 literal', 'https://2130706433/team-results/r.jsonl', 'E_HOST'],
    ['percent-encodes the host', 'https://team%2Dresults.s3.eu-west-1.amazonaws.com/r.jsonl', 'E_HOST'],
    [
      'spells the host with full-width letters',
      'https://ｔeam-results.s3.eu-west-1.amazonaws.com/r.jsonl',
      'E_HOST',
    ],
    ['hides a tab in the host', 'https://team-results.s3.eu-west-1.amazonaws.com\t.evil.com/r', 'E_HOST'],
    ['ends the host with a dot', 'https://team-results.s3.eu-west-1.amazonaws.com./r.jsonl', 'E_HOST'],
    [
      'uses the China suffix outside China',
      'https://team-results.s3.eu-west-1.amazonaws.com.cn/r.jsonl',
      'E_HOST',
    ],
    [
      'uses an S3 transfer-acceleration host',
      'https://team-results.s3-accelerate.amazonaws.com/r.jsonl',
      'E_HOST',
    ],
  ])('rejects a results URL that %s', (_shape, url, code) => {
    expect(codeOf(() => checkResultsUrl(url, source))).toBe(code);
  });

  it('rejects the global suffix for a bucket registered in China', () => {
    const china = { bucket: 'team-results', region: 'cn-north-1' };
    expect(codeOf(() => checkResultsUrl('https://team-results.s3.cn-north-1.amazonaws.com/r', china))).toBe(
      'E_HOST',
    );
  });

  it('rejects a dotted bucket addressed virtual-hosted and says to use path-style', () => {
    const dotted = { bucket: 'team.results', region: 'eu-west-1' };
    expect(() => checkResultsUrl('https://team.results.s3.eu-west-1.amazonaws.com/r.jsonl', dotted)).toThrow(
      /must be addressed path-style/,
    );
  });

  it.each<[string, string, ResultsRejectionCode]>([
    ['another port on the same address', 'http://127.0.0.1:4570/team-results/r.jsonl', 'E_SCHEME'],
    ['another name for the same address', 'http://localhost:4569/team-results/r.jsonl', 'E_SCHEME'],
    ['another bucket on the local stack', 'http://127.0.0.1:4569/other-bucket/r.jsonl', 'E_HOST'],
  ])('rejects %s when only the local stack may use http', (_shape, url, code) => {
    expect(codeOf(() => checkResultsUrl(url, source, { localHost: '127.0.0.1:4569' }))).toBe(code);
  });

  it('tells the participant which bucket and region the URL must point at', () => {
    expect(() => checkResultsUrl('https://evil.com/r.jsonl', source)).toThrow(
      /registered results bucket "team-results" in eu-west-1, e\.g\. https:\/\/team-results\.s3\.eu-west-1/,
    );
  });

  it('never echoes the presigned signature in a rejection message', () => {
    let message = '';
    try {
      checkResultsUrl(`https://team-results.s3.us-east-1.amazonaws.com/r.jsonl${signature}`, source);
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/registered results bucket/);
    expect(message).not.toContain('X-Amz-Signature');
  });

  it('is a 400 the HTTP error mapper can send back with its code', () => {
    const error = new ResultsRejected('E_HOST', 'wrong host');
    expect(error).toBeInstanceOf(HttpError);
    expect({ status: error.status, name: error.name, details: error.details }).toEqual({
      status: 400,
      name: 'ResultsRejected',
      details: { code: 'E_HOST' },
    });
  });
});

describe('fetchResults with an injected fetch', () => {
  it.each([
    'https://team-results.s3.eu-west-1.amazonaws.com/runs/results.jsonl',
    'https://team-results.s3.amazonaws.com/runs/results.jsonl',
    'https://team-results.s3.dualstack.eu-west-1.amazonaws.com/runs/results.jsonl',
    'https://s3.eu-west-1.amazonaws.com/team-results/runs/results.jsonl',
    'https://s3.amazonaws.com/team-results/runs/results.jsonl',
  ])('returns the verified bytes from %s', async (url) => {
    const fetch = fakeFetch(() => new Response(results));
    const bytes = await fetchResults(`${url}${signature}`, source, options({ fetch }));
    expect(Buffer.from(bytes).equals(Buffer.from(results))).toBe(true);
    expect(fetch).toHaveBeenCalledWith(`${url}${signature}`, expect.anything());
  });

  it('returns the verified bytes from a China-partition URL', async () => {
    const fetch = fakeFetch(() => new Response(results));
    const china = { bucket: 'team-results', region: 'cn-north-1' };
    const bytes = await fetchResults(
      'https://team-results.s3.cn-north-1.amazonaws.com.cn/r',
      china,
      options({ fetch }),
    );
    expect(bytes.byteLength).toBe(results.byteLength);
  });

  it('does not follow redirects and bounds the request with an abort signal', async () => {
    const fetch = fakeFetch(() => new Response(results));
    await fetchResults('https://team-results.s3.eu-west-1.amazonaws.com/r', source, options({ fetch }));
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.redirect).toBe('manual');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('never calls fetch for a rejected URL', async () => {
    const fetch = fakeFetch(() => new Response(results));
    const error = await rejectionOf(
      fetchResults('https://169.254.169.254/latest/', source, options({ fetch })),
    );
    expect(error.code).toBe('E_HOST');
    expect(fetch).not.toHaveBeenCalled();
  });

  it.each([301, 302, 303, 307, 308])('refuses a %i redirect', async (status) => {
    const fetch = fakeFetch(
      () => new Response(null, { status, headers: { location: 'http://169.254.169.254/' } }),
    );
    const error = await rejectionOf(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch })),
    );
    expect(error.code).toBe('E_REDIRECT');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it.each([
    [403, /expired/],
    [404, /does not exist/],
    [500, /HTTP 500/],
    [206, /HTTP 206/],
  ])('rejects an HTTP %i answer', async (status, message) => {
    const fetch = fakeFetch(() => new Response('<Error/>', { status }));
    const error = await rejectionOf(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch })),
    );
    expect(error.code).toBe('E_STATUS');
    expect(error.message).toMatch(message);
  });

  it('rejects a declared Content-Length over the cap without reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1;
          controller.enqueue(new Uint8Array(10));
        },
      },
      { highWaterMark: 0 },
    );
    const fetch = fakeFetch(() => new Response(body, { headers: { 'content-length': '2048' } }));
    const error = await rejectionOf(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch, maxBytes: 1024 })),
    );
    expect(error.code).toBe('E_TOO_LARGE');
    expect(pulled).toBe(0);
  });

  it('stops reading a body that outgrows a Content-Length that lied, and cancels it', async () => {
    const chunk = new Uint8Array(100);
    let served = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          // Finite (50x the cap) so that a missing cap fails the test instead of exhausting memory.
          if (served >= 50_000) return controller.close();
          served += chunk.byteLength;
          controller.enqueue(chunk);
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const fetch = fakeFetch(() => new Response(body, { headers: { 'content-length': '10' } }));
    const error = await rejectionOf(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch, maxBytes: 1000 })),
    );
    expect(error.code).toBe('E_TOO_LARGE');
    expect(served).toBeLessThanOrEqual(1000 + chunk.byteLength);
    expect(cancelled).toBe(true);
  });

  it('accepts a body of exactly the cap', async () => {
    const fetch = fakeFetch(() => new Response(results));
    const bytes = await fetchResults(
      'https://s3.amazonaws.com/team-results/r',
      source,
      options({ fetch, maxBytes: results.byteLength }),
    );
    expect(bytes.byteLength).toBe(results.byteLength);
  });

  it('rejects results whose SHA-256 differs from the one submitted, naming the actual hash', async () => {
    const fetch = fakeFetch(() => new Response(results));
    const error = await rejectionOf(
      fetchResults(
        'https://s3.amazonaws.com/team-results/r',
        source,
        options({ fetch, expectedSha256: 'a'.repeat(64) }),
      ),
    );
    expect(error.code).toBe('E_HASH');
    expect(error.message).toContain(sha256(results));
  });

  it('rejects a submitted SHA-256 that is not lowercase hex before fetching anything', async () => {
    const fetch = fakeFetch(() => new Response(results));
    const expectedSha256 = sha256(results).toUpperCase();
    const error = await rejectionOf(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch, expectedSha256 })),
    );
    expect(error.code).toBe('E_HASH');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('times out even when the fetch ignores its abort signal', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => new Promise<Response>(() => undefined));
    const started = Date.now();
    const error = await rejectionOf(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch, timeoutMs: 100 })),
    );
    expect(error.code).toBe('E_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('lets a network failure through untouched so that the evaluation is retried', async () => {
    const unreachable = new TypeError('fetch failed');
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      throw unreachable;
    });
    await expect(
      fetchResults('https://s3.amazonaws.com/team-results/r', source, options({ fetch })),
    ).rejects.toBe(unreachable);
  });
});

describe('fetchResults against a local HTTP server', () => {
  const CHUNK = 16 * 1024;
  let stopServer: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stopServer?.();
    stopServer = undefined;
  });

  /** Starts a server on 127.0.0.1 and returns its `host:port`, which is also the local stack's host. */
  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stopServer = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /**
   * Streams zeros in 16 KiB chunks every few milliseconds until `total` is sent or the client goes away;
   * `served()` is what was written, `closed` settles when the client dropped the connection.
   */
  function tricklingBody(total: number, headers: Record<string, string> = {}) {
    let written = 0;
    let onClose: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      onClose = resolve;
    });
    const handler = (_req: IncomingMessage, res: ServerResponse): void => {
      res.writeHead(200, headers);
      res.flushHeaders();
      const timer = setInterval(() => {
        if (written >= total) {
          clearInterval(timer);
          res.end();
          return;
        }
        written += CHUNK;
        res.write(Buffer.alloc(CHUNK));
      }, 2);
      res.on('close', () => {
        clearInterval(timer);
        onClose();
      });
    };
    return { handler, served: () => written, closed };
  }

  it('streams a chunked body without Content-Length into verified bytes', async () => {
    const total = 8 * CHUNK;
    const body = tricklingBody(total);
    const host = await serve(body.handler);
    const bytes = await fetchResults(
      `http://${host}/team-results/results.jsonl`,
      source,
      options({ localHost: host, expectedSha256: sha256(Buffer.alloc(total)) }),
    );
    expect(bytes.byteLength).toBe(total);
  });

  it('drops the connection as soon as a body without Content-Length passes the cap', async () => {
    const maxBytes = 256 * 1024;
    const body = tricklingBody(16 * 1024 * 1024);
    const host = await serve(body.handler);
    const error = await rejectionOf(
      fetchResults(`http://${host}/team-results/r.jsonl`, source, options({ localHost: host, maxBytes })),
    );
    await body.closed;
    expect(error.code).toBe('E_TOO_LARGE');
    expect(body.served()).toBeGreaterThan(maxBytes);
    expect(body.served()).toBeLessThan(maxBytes + 1024 * 1024);
  });

  it('drops the connection on a declared Content-Length over the cap before the body arrives', async () => {
    const maxBytes = 256 * 1024;
    const total = 16 * 1024 * 1024;
    const body = tricklingBody(total, { 'content-length': String(total) });
    const host = await serve(body.handler);
    const error = await rejectionOf(
      fetchResults(`http://${host}/team-results/r.jsonl`, source, options({ localHost: host, maxBytes })),
    );
    await body.closed;
    expect(error.code).toBe('E_TOO_LARGE');
    expect(body.served()).toBeLessThan(maxBytes);
  });

  it('times out on a server that never answers', async () => {
    const host = await serve(() => undefined);
    const started = Date.now();
    const error = await rejectionOf(
      fetchResults(
        `http://${host}/team-results/r.jsonl`,
        source,
        options({ localHost: host, timeoutMs: 200 }),
      ),
    );
    expect(error.code).toBe('E_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out on a server that stalls in the middle of the body', async () => {
    const host = await serve((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(CHUNK));
    });
    const error = await rejectionOf(
      fetchResults(
        `http://${host}/team-results/r.jsonl`,
        source,
        options({ localHost: host, timeoutMs: 200 }),
      ),
    );
    expect(error.code).toBe('E_TIMEOUT');
  });

  it('refuses a redirect without requesting its target', async () => {
    const requested: string[] = [];
    const host = await serve((req, res) => {
      requested.push(req.url ?? '');
      res.writeHead(302, { location: '/team-results/elsewhere.jsonl' }).end();
    });
    const error = await rejectionOf(
      fetchResults(`http://${host}/team-results/r.jsonl`, source, options({ localHost: host })),
    );
    expect(error.code).toBe('E_REDIRECT');
    expect(requested).toEqual(['/team-results/r.jsonl']);
  });

  it('rejects an expired presigned URL answered with 403', async () => {
    const host = await serve((_req, res) => {
      res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<Error><Code>AccessDenied</Code></Error>');
    });
    const error = await rejectionOf(
      fetchResults(`http://${host}/team-results/r.jsonl`, source, options({ localHost: host })),
    );
    expect(error.code).toBe('E_STATUS');
  });

  it('rejects a served file whose hash does not match', async () => {
    const host = await serve((_req, res) => {
      res.writeHead(200).end('{"id":"q1","response":"tampered"}\n');
    });
    const error = await rejectionOf(
      fetchResults(`http://${host}/team-results/r.jsonl`, source, options({ localHost: host })),
    );
    expect(error.code).toBe('E_HASH');
  });
});
