import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../../shared/lambda/errors.js';

/** The results bucket a team registered, and its region: the only place its results may come from. */
export interface ResultsSource {
  readonly bucket: string;
  readonly region: string;
}

export interface UrlCheckOptions {
  /** `host:port` of the local stack's S3 (e.g. `127.0.0.1:4569`); never set on AWS. */
  readonly localHost?: string;
}

export interface FetchOptions extends UrlCheckOptions {
  readonly maxBytes: number;
  /** Covers the whole fetch: connecting, the response head and the body. */
  readonly timeoutMs: number;
  /** Lowercase hex SHA-256 the participant declared for the results file. */
  readonly expectedSha256: string;
  readonly fetch?: typeof fetch;
}

export type ResultsRejectionCode =
  | 'E_URL'
  | 'E_SCHEME'
  | 'E_CREDENTIALS'
  | 'E_HOST'
  | 'E_REDIRECT'
  | 'E_STATUS'
  | 'E_TOO_LARGE'
  | 'E_TIMEOUT'
  | 'E_HASH';

/**
 * The results could not be taken from the URL a participant sent; the message says what to change.
 * An `HttpError` (400) so that the Judge API can run `checkResultsUrl` up front and answer with it.
 */
export class ResultsRejected extends HttpError {
  override readonly name = 'ResultsRejected';
  readonly status = 400;
  constructor(
    readonly code: ResultsRejectionCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, { code });
    if (cause !== undefined) this.cause = cause;
  }
}

// Presigned URLs with a session token run to about 2 KB; anything far longer is not one.
const MAX_URL_LENGTH = 8192;
// The authority exactly as written, before WHATWG parsing decodes, maps or drops anything in it.
const WRITTEN_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i;
const SHA256_HEX = /^[a-f0-9]{64}$/;

/**
 * Checks that a results URL can only reach an object in the team's registered results bucket, and
 * returns it parsed. Pure: no DNS, no I/O. Throws `ResultsRejected`.
 */
export function checkResultsUrl(url: string, expect: ResultsSource, options: UrlCheckOptions = {}): URL {
  if (url.length > MAX_URL_LENGTH) {
    throw new ResultsRejected('E_URL', `the results URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ResultsRejected(
      'E_URL',
      'the results URL is not a valid URL; send the presigned GET URL as issued',
    );
  }

  const localHost = options.localHost?.toLowerCase();
  const isLocal = localHost !== undefined && parsed.host === localHost;
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLocal)) {
    throw new ResultsRejected(
      'E_SCHEME',
      `the results URL must use https (got ${parsed.protocol.replace(/:$/, '')}); presign it with the S3 https endpoint`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ResultsRejected(
      'E_CREDENTIALS',
      'the results URL must not carry a user name or password before the host; a presigned URL needs none',
    );
  }

  const written = WRITTEN_AUTHORITY.exec(url)?.[1];
  if (written === undefined) {
    throw new ResultsRejected('E_URL', 'the results URL must be written as https://host/path');
  }
  // Percent-escapes, Unicode look-alikes, tabs and the like are decoded away by the parser; a genuine
  // presigned URL never needs them, so the host must be written exactly as it will be reached.
  if (written.replace(/:\d*$/, '').toLowerCase() !== parsed.hostname) {
    throw new ResultsRejected(
      'E_HOST',
      'the host of the results URL must be written in plain ASCII, without percent-escapes or other encodings',
    );
  }

  if (isLocal) {
    checkPathStyleKey(parsed, expect);
    return parsed;
  }
  if (parsed.port !== '') {
    throw new ResultsRejected(
      'E_HOST',
      `the results URL must not name a port (got ${parsed.port}); use the standard S3 https endpoint`,
    );
  }

  const endpoint = s3Endpoints(expect);
  if (endpoint.virtualHosted.includes(parsed.hostname)) {
    if (parsed.pathname.length <= 1) throw missingKey();
    return parsed;
  }
  if (endpoint.pathStyle.includes(parsed.hostname)) {
    checkPathStyleKey(parsed, expect);
    return parsed;
  }
  throw wrongHost(parsed.hostname, expect);
}

/**
 * Fetches a team's results from a checked presigned URL: bounded in size and time, hash verified.
 * Throws `ResultsRejected` for anything the participant must fix. A network failure (the S3 endpoint
 * unreachable) is rethrown as it is: it is ours and transient, so the queue should retry the evaluation.
 */
export async function fetchResults(
  url: string,
  expect: ResultsSource,
  options: FetchOptions,
): Promise<Uint8Array> {
  const target = checkResultsUrl(url, expect, options);
  if (!SHA256_HEX.test(options.expectedSha256)) {
    throw new ResultsRejected('E_HASH', 'resultsSha256 must be 64 lowercase hex characters');
  }
  const fetchImpl = options.fetch ?? fetch;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const stop = new AbortController();
  const signal = AbortSignal.any([deadline, stop.signal]);

  let response: Response | undefined;
  try {
    // `untilAborted` as well as `signal`: an injected fetch may ignore the signal, and the deadline still holds.
    response = await untilAborted(fetchImpl(target.href, { redirect: 'manual', signal }), deadline);
    checkResponseHead(response, options.maxBytes);
    const { bytes, sha256 } = await readCapped(response.body, options.maxBytes, deadline);
    if (!timingSafeEqual(sha256, Buffer.from(options.expectedSha256, 'hex'))) {
      throw new ResultsRejected(
        'E_HASH',
        `the results file's SHA-256 is ${sha256.toString('hex')}, not the resultsSha256 sent; ` +
          'hash the exact bytes uploaded and submit again',
      );
    }
    return bytes;
  } catch (error) {
    // Whatever went wrong, drop the connection rather than leave a hostile body streaming in.
    stop.abort();
    if (response?.body && !response.body.locked) response.body.cancel().catch(() => undefined);
    if (error instanceof ResultsRejected) throw error;
    if (deadline.aborted) {
      throw new ResultsRejected(
        'E_TIMEOUT',
        `the results could not be downloaded within ${options.timeoutMs} ms; check the file size and submit again`,
        error,
      );
    }
    throw error;
  }
}

function s3Endpoints(expect: ResultsSource): { virtualHosted: string[]; pathStyle: string[] } {
  const region = expect.region.toLowerCase();
  const bucket = expect.bucket.toLowerCase();
  const china = region.startsWith('cn-');
  const suffix = china ? 'amazonaws.com.cn' : 'amazonaws.com';
  const pathStyle = [`s3.${region}.${suffix}`, `s3.dualstack.${region}.${suffix}`];
  // The legacy global endpoint may still appear in presigned URLs; there is none in the China partition.
  if (!china) pathStyle.push(`s3.${suffix}`);
  // A bucket with dots cannot be reached virtual-hosted over https: the wildcard certificate covers one label.
  const virtualHosted = bucket.includes('.') ? [] : pathStyle.map((host) => `${bucket}.${host}`);
  return { virtualHosted, pathStyle };
}

function checkPathStyleKey(url: URL, expect: ResultsSource): void {
  // Case-sensitive on purpose: us-east-1 still holds legacy buckets with capitals, which are other buckets.
  const prefix = `/${expect.bucket}/`;
  if (url.pathname === `/${expect.bucket}` || url.pathname === prefix) throw missingKey();
  if (!url.pathname.startsWith(prefix)) {
    throw new ResultsRejected(
      'E_HOST',
      `the results URL must name an object in your registered results bucket "${expect.bucket}" ` +
        `(path /${expect.bucket}/<key>)`,
    );
  }
}

function missingKey(): ResultsRejected {
  return new ResultsRejected('E_URL', 'the results URL must name the results object, not the bucket alone');
}

function wrongHost(hostname: string, expect: ResultsSource): ResultsRejected {
  const { bucket, region } = expect;
  const suffix = region.toLowerCase().startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const example = bucket.includes('.')
    ? `https://s3.${region}.${suffix}/${bucket}/<key>`
    : `https://${bucket}.s3.${region}.${suffix}/<key>`;
  const dotted =
    bucket.includes('.') && hostname.startsWith(`${bucket.toLowerCase()}.`)
      ? ' A bucket name with dots must be addressed path-style.'
      : '';
  return new ResultsRejected(
    'E_HOST',
    `the results URL must point at your registered results bucket "${bucket}" in ${region}, ` +
      `e.g. ${example}; "${hostname}" is not one of its S3 endpoints.${dotted}`,
  );
}

function checkResponseHead(response: Response, maxBytes: number): void {
  if (response.status >= 300 && response.status < 400) {
    throw new ResultsRejected(
      'E_REDIRECT',
      `the results URL answered with a redirect (${response.status}); redirects are not followed, ` +
        `presign the URL against the bucket's own regional endpoint`,
    );
  }
  if (response.status !== 200) {
    const hint =
      response.status === 403
        ? '; the presigned URL may have expired or been signed for another object'
        : response.status === 404
          ? '; the results object does not exist at that key'
          : '';
    throw new ResultsRejected('E_STATUS', `fetching the results returned HTTP ${response.status}${hint}`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
}

async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  deadline: AbortSignal,
): Promise<{ bytes: Uint8Array; sha256: Buffer }> {
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await untilAborted(reader.read(), deadline);
        if (done) break;
        total += value.byteLength;
        // Counted as it arrives, whatever Content-Length claimed (or if it claimed nothing).
        if (total > maxBytes) throw tooLarge(maxBytes);
        hash.update(value);
        chunks.push(value);
      }
    } catch (error) {
      reader.cancel().catch(() => undefined);
      throw error;
    }
  }
  return { bytes: Buffer.concat(chunks, total), sha256: hash.digest() };
}

function tooLarge(maxBytes: number): ResultsRejected {
  return new ResultsRejected(
    'E_TOO_LARGE',
    `the results file is larger than the ${maxBytes}-byte limit; trim it to the official questions and submit again`,
  );
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
