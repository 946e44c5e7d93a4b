import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  apiGatewayClaims,
  type TokenVerifier,
  Unauthorized,
} from '../../../participant-account/auth/index.js';
import { checkObjectKey, InvalidObjectKey } from '../../../shared/storage/object-key.js';
import type { ObjectStore } from '../../../shared/storage/object-store.js';
import { type LocalIam, SignatureRefused, serveSts } from '../iam/index.js';

export type HttpLambda = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** One route of an API, as its infra declares it, and the function behind it. */
export interface ApiRoute {
  readonly method: string;
  readonly resource: string;
  readonly fn: string;
  /** No authorizer (a public read route). */
  readonly public?: boolean;
}

/** The Participant API's routes, as `participant-account/infra/participant-api.ts` declares them. */
export const PARTICIPANT_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', resource: '/testing-data/uploads', fn: 'participantApi' },
  { method: 'GET', resource: '/testing-data/{id}', fn: 'participantApi' },
  { method: 'POST', resource: '/inference', fn: 'participantApi' },
  { method: 'POST', resource: '/inference-runs', fn: 'participantApi' },
  { method: 'GET', resource: '/inference-runs/{id}', fn: 'participantApi' },
  { method: 'GET', resource: '/questions', fn: 'submissions' },
  { method: 'POST', resource: '/submissions', fn: 'submissions' },
  { method: 'GET', resource: '/submissions', fn: 'submissions' },
];

/** The Judge API's routes, as `leaderboard-account/infra/judge-api.ts` declares them (IAM auth). */
export const JUDGE_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', resource: '/evaluations', fn: 'judgeApi' },
  { method: 'GET', resource: '/evaluations/{id}', fn: 'judgeApi' },
  { method: 'POST', resource: '/evaluations/{id}/select', fn: 'judgeApi' },
  { method: 'GET', resource: '/questions', fn: 'judgeApi' },
  { method: 'GET', resource: '/submission-quota', fn: 'judgeApi' },
];

/** The leaderboard API's routes (`leaderboard-account/infra/leaderboard-api.ts`): IAM admin, one public read. */
export const LEADERBOARD_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', resource: '/admin/freeze', fn: 'leaderboardApi' },
  { method: 'POST', resource: '/admin/reveal', fn: 'leaderboardApi' },
  { method: 'POST', resource: '/admin/recompute', fn: 'leaderboardApi' },
  { method: 'PUT', resource: '/admin/selection', fn: 'leaderboardApi' },
  { method: 'GET', resource: '/admin/boards', fn: 'leaderboardApi' },
  { method: 'GET', resource: '/snapshots', fn: 'leaderboardApi', public: true },
];

/** How an API authorises its callers, as its API Gateway does. */
export type ApiAuthorizer =
  | { readonly kind: 'cognito'; readonly verifier: TokenVerifier }
  /** SigV4 for `execute-api`; `allow` is the resource policy and IAM policy in one. */
  | { readonly kind: 'iam'; readonly iam: LocalIam; readonly allow: (callerArn: string) => boolean };

/** An API served under `prefix` (its stage's base path). */
export interface GatewayApi {
  readonly prefix: string;
  readonly routes: readonly ApiRoute[];
  readonly handlers: Readonly<Record<string, HttpLambda>>;
  readonly authorizer: ApiAuthorizer;
}

/** Where a participant origin serves the Participant API (API Gateway's `v1` stage in AWS). */
export const PARTICIPANT_API_PREFIX = '/api';
/** Where the leaderboard origin serves the Judge API and the leaderboard API (their `v1` stages). */
export const JUDGE_API_PREFIX = '/judge-api/v1';
export const LEADERBOARD_API_PREFIX = '/leaderboard-api/v1';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface GatewayOptions {
  readonly port: number;
  /** The built web app served at `/` (its `index.html` for any other path: client-side routes). */
  readonly webRoot: string;
  /** The leaderboard origin: `/data/*` is served from the site bucket's `data/` objects. */
  readonly site?: ObjectStore;
  /** APIs served under their prefixes, each behind its authorizer. */
  readonly apis?: readonly GatewayApi[];
  /** STS's AssumeRole at `POST /sts` (the local IAM's), for the cross-account hop. */
  readonly sts?: LocalIam;
  /** Sent with every page and asset of the web app, as CloudFront's response headers policy does. */
  readonly contentSecurityPolicy?: string;
  /** Served as `/config.json`: the app's run-time settings (in AWS, written by the stack's deployment). */
  readonly runtimeConfig?: Readonly<Record<string, unknown>>;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function matchRoute(routes: readonly ApiRoute[], method: string, path: string) {
  const segments = path.split('/').filter((s) => s !== '');
  let methodMismatch = false;
  for (const route of routes) {
    const template = route.resource.split('/').filter((s) => s !== '');
    if (template.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const actual = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        // As API Gateway does: the parameter arrives decoded; the handler's schema judges it.
        pathParameters[part.slice(1, -1)] = decodePathPart(actual);
        return true;
      }
      return part === actual;
    });
    if (!matches) continue;
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { route, pathParameters };
  }
  return methodMismatch ? 'method-not-allowed' : undefined;
}

/** A request the gateway refuses before any handler runs, with its status. */
class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new GatewayRefusal(400, 'BadRequest', `malformed percent-encoding in ${JSON.stringify(part)}`);
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/**
 * The request body, up to API Gateway's 10 MB. A larger one is 413; it is read to its end and
 * dropped (not buffered) before the answer, so the client reads the 413 and its keep-alive
 * connection stays usable.
 */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw new GatewayRefusal(413, 'PayloadTooLarge', `the request body is over ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

function headerRecord(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/**
 * A local CloudFront distribution with its API Gateway: one origin serving a built web app and,
 * as configured, the board's data from the site bucket (the leaderboard origin) or the Participant
 * API (a participant origin: Cognito ID tokens verified as the Cognito authorizer does, then an API
 * Gateway proxy event for the real handler).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  async function serveApi(api: GatewayApi, request: IncomingMessage, response: ServerResponse, url: URL) {
    const path = url.pathname.slice(api.prefix.length) || '/';
    const method = request.method ?? 'GET';
    const match = matchRoute(api.routes, method, path);
    if (match === undefined) {
      sendJson(response, 404, { error: 'NotFound', message: `no route ${method} ${path}` });
      return;
    }
    if (match === 'method-not-allowed') {
      sendJson(response, 405, { error: 'MethodNotAllowed', message: `${method} is not allowed on ${path}` });
      return;
    }
    const body = await readBody(request);
    let claims: Record<string, string> | undefined;
    let userArn: string | undefined;
    if (!match.route.public) {
      try {
        if (api.authorizer.kind === 'cognito') {
          claims = apiGatewayClaims(await api.authorizer.verifier.verify(request.headers.authorization));
        } else {
          userArn = (
            await api.authorizer.iam.verify({
              method,
              url,
              headers: request.headers,
              body,
              service: 'execute-api',
            })
          ).arn;
        }
      } catch (error) {
        if (error instanceof Unauthorized) {
          sendJson(response, 401, { error: 'Unauthorized', message: error.message, reason: error.reason });
          return;
        }
        if (error instanceof SignatureRefused) {
          sendJson(response, 403, { message: error.message });
          return;
        }
        throw error;
      }
      if (userArn !== undefined && api.authorizer.kind === 'iam' && !api.authorizer.allow(userArn)) {
        sendJson(response, 403, {
          message: `User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: ${method} ${path}`,
        });
        return;
      }
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
      multiQuery[key] = [...(multiQuery[key] ?? []), value];
    });
    const headers = headerRecord(request);
    const requestId = randomUUID();
    const event = {
      httpMethod: method,
      resource: match.route.resource,
      path,
      body: body === '' ? null : body,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      pathParameters: Object.keys(match.pathParameters).length > 0 ? match.pathParameters : null,
      queryStringParameters: Object.keys(query).length > 0 ? query : null,
      multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
      stageVariables: null,
      isBase64Encoded: false,
      requestContext: {
        requestId,
        resourcePath: match.route.resource,
        httpMethod: method,
        path: `/v1${path}`,
        stage: 'v1',
        ...(claims ? { authorizer: { claims } } : {}),
        identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userArn: userArn ?? null },
      },
    } as unknown as APIGatewayProxyEvent;
    const context = {
      awsRequestId: requestId,
      functionName: match.route.fn,
      getRemainingTimeInMillis: () => 29_000,
    } as unknown as Context;
    const handler = api.handlers[match.route.fn];
    if (!handler) throw new Error(`no handler ${match.route.fn} for ${method} ${match.route.resource}`);
    const result = await handler(event, context);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.headers ?? {})) out[key.toLowerCase()] = String(value);
    response.writeHead(result.statusCode, out);
    response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  async function data(site: ObjectStore, response: ServerResponse, url: URL) {
    // As CloudFront hands the path to S3: decoded once, then a key like any other, checked by the
    // one key check every object key goes through (no `..`, no encoded forms of it).
    const key = decodePathPart(url.pathname.slice(1));
    let object: Awaited<ReturnType<ObjectStore['get']>>;
    try {
      object = await site.get(checkObjectKey(key));
    } catch (error) {
      if (!(error instanceof InvalidObjectKey)) throw error;
      sendJson(response, 400, { error: 'Invalid', message: error.message });
      return;
    }
    if (!object) {
      sendJson(response, 404, { error: 'NotFound', message: `${key} is not published yet` });
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(key)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    response.end(object.body);
  }

  async function site(response: ServerResponse, url: URL) {
    const root = normalize(options.webRoot);
    let file = normalize(join(root, decodePathPart(url.pathname)));
    if (file !== root && !file.startsWith(root + sep)) {
      sendJson(response, 403, { error: 'Forbidden', message: 'outside the site' });
      return;
    }
    const found = await stat(file).catch(() => undefined);
    if (!found || found.isDirectory()) {
      // A directory, or a client-side route: the app's page.
      file = found?.isDirectory() ? join(file, 'index.html') : join(root, 'index.html');
    }
    const body = await readFile(file).catch(() => undefined);
    if (!body) {
      sendJson(response, 404, { error: 'NotFound', message: `${url.pathname} not found` });
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      ...(options.contentSecurityPolicy ? { 'content-security-policy': options.contentSecurityPolicy } : {}),
    });
    response.end(body);
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const { site: siteBucket, runtimeConfig, sts } = options;
    const api = options.apis?.find(
      (candidate) => url.pathname === candidate.prefix || url.pathname.startsWith(`${candidate.prefix}/`),
    );
    let served: Promise<void>;
    if (api) {
      served = serveApi(api, request, response, url);
    } else if (sts && (url.pathname === '/sts' || url.pathname === '/sts/')) {
      served = readBody(request).then((body) => serveSts(sts, request, response, url, body));
    } else if (siteBucket && url.pathname.startsWith('/data/')) {
      served = data(siteBucket, response, url);
    } else if (runtimeConfig && url.pathname === '/config.json') {
      sendJson(response, 200, runtimeConfig);
      served = Promise.resolve();
    } else {
      served = site(response, url);
    }
    served.catch((error: unknown) => {
      if (error instanceof GatewayRefusal && !response.headersSent) {
        sendJson(response, error.status, { error: error.error, message: error.message });
        return;
      }
      console.error(`gateway: ${request.method} ${url.pathname} failed`, error);
      if (!response.headersSent)
        sendJson(response, 500, { error: 'InternalError', message: 'internal error' });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
