import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, {
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import type * as z from 'zod';
import { ConverseRequest, requestedTool } from './converse-request.js';
import { FaultPlan, SlidingWindowQuota } from './faults.js';
import { judgeRequest, ReferenceBook, renderReply } from './judge-reply.js';
import { EmulatorOptions } from './options.js';
import { PromptCache, requestInputTokens } from './token-accounting.js';

export interface EmulatorStats {
  /** Every HTTP request received, bad ones included. */
  readonly requests: number;
  /** 200 replies, malformed and truncated ones included. */
  readonly answered: number;
  /** 429s of both kinds. */
  readonly throttled: number;
  /** 429s drawn at `throttleRate`. */
  readonly throttledByRate: number;
  /** 429s because a requests- or tokens-per-minute quota was full. */
  readonly throttledByQuota: number;
  /** Injected 500 InternalServerException and 503 ServiceUnavailableException replies. */
  readonly errors: number;
  /** 400 ValidationException and 404 UnknownOperationException replies. */
  readonly badRequests: number;
  readonly malformed: number;
  /** 200 replies with `stopReason: "max_tokens"`, injected or because `maxTokens` was too small. */
  readonly truncated: number;
  readonly tokens: {
    readonly input: number;
    readonly output: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
  };
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`, the `endpoint` for `BedrockRuntimeClient`. */
  readonly url: string;
  readonly port: number;
  stats(): EmulatorStats;
  /** Stops listening, drops every connection and pending reply. */
  close(): Promise<void>;
}

interface EmulatorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface IncomingRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly body: AsyncIterable<Buffer | string>;
}

const CONVERSE_PATH = /^\/model\/([^/]+)\/converse$/;
/** A cap, so that a runaway client cannot exhaust the emulator's memory. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;
const HTTP2_PREFACE_START = 'PRI';

/**
 * Starts the Bedrock-Converse-compatible judge emulator on 127.0.0.1. One port speaks both HTTP/2
 * cleartext with prior knowledge (what the SDK's default `NodeHttp2Handler` does with an `http://`
 * endpoint) and HTTP/1.1 (curl, `NodeHttpHandler`, fetch): the first bytes of each connection pick
 * the protocol, because Node's `allowHTTP1` only works over TLS.
 */
export async function startBedrockEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = EmulatorOptions.parse(options);
  const now = (): number => performance.now();
  const references = new ReferenceBook(config.references);
  const faults = new FaultPlan(config);
  const quota = new SlidingWindowQuota(config, now);
  const cache = new PromptCache({ minTokens: config.cacheMinTokens, ttlMs: config.cacheTtlMs, now });
  const counts = {
    requests: 0,
    answered: 0,
    throttledByRate: 0,
    throttledByQuota: 0,
    errors: 0,
    badRequests: 0,
    malformed: 0,
    truncated: 0,
    tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  };
  let closed = false;
  const pendingDelays = new Set<() => void>();

  /** Waits, unless the emulator closes first; true when the reply should still be sent. */
  const delay = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve(!closed);
      const finish = (): void => {
        clearTimeout(timer);
        pendingDelays.delete(finish);
        resolve(!closed);
      };
      const timer = setTimeout(finish, ms);
      pendingDelays.add(finish);
    });

  async function handle(request: IncomingRequest): Promise<EmulatorResponse | undefined> {
    counts.requests += 1;
    const requestId = requestIdFor(counts.requests);
    const match = request.method === 'POST' ? CONVERSE_PATH.exec(request.url ?? '') : null;
    const encodedModelId = match?.[1];
    if (encodedModelId === undefined) {
      counts.badRequests += 1;
      return errorResponse(
        404,
        'UnknownOperationException',
        'The emulator only answers POST /model/{modelId}/converse.',
        requestId,
      );
    }
    const body = await readBody(request.body);
    if (body === undefined) {
      counts.badRequests += 1;
      return errorResponse(
        400,
        'ValidationException',
        `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
        requestId,
      );
    }
    const parsed = parseConverseRequest(body, encodedModelId);
    if (!parsed.ok) {
      counts.badRequests += 1;
      return errorResponse(400, 'ValidationException', parsed.message, requestId);
    }
    const { modelId, converse } = parsed;
    const draw = faults.next();

    if (draw.throttle) {
      counts.throttledByRate += 1;
      return throttled(requestId);
    }
    const admission = quota.admit(requestInputTokens(converse));
    if (!admission.admitted) {
      counts.throttledByQuota += 1;
      // Bedrock's own wording for a full tokens quota.
      return admission.exhausted === 'tokens'
        ? errorResponse(
            429,
            'ThrottlingException',
            'Too many tokens, please wait before trying again.',
            requestId,
          )
        : throttled(requestId);
    }
    const started = now();
    if (!(await delay(draw.latencyMs))) return undefined;
    if (draw.error !== undefined) {
      counts.errors += 1;
      return draw.error === 'InternalServerException'
        ? errorResponse(
            500,
            draw.error,
            'The server encountered an internal error while processing the request.',
            requestId,
          )
        : errorResponse(
            503,
            draw.error,
            'The service is temporarily unable to handle the request. Try again later.',
            requestId,
          );
    }

    const tool = requestedTool(converse);
    const reply = renderReply(judgeRequest(converse, references), {
      tool,
      toolUseId: `tooluse_${counts.answered + 1}`,
      fault: draw.truncated ? 'truncated' : draw.malformed ? 'malformed' : undefined,
      malformedVariant: draw.malformedVariant,
      maxTokens: converse.inferenceConfig?.maxTokens,
    });
    const input = cache.account(modelId, converse);
    admission.entry.tokens =
      input.inputTokens + input.cacheReadInputTokens + input.cacheWriteInputTokens + reply.outputTokens;
    counts.answered += 1;
    if (reply.malformed) counts.malformed += 1;
    if (reply.truncated) counts.truncated += 1;
    counts.tokens.input += input.inputTokens;
    counts.tokens.output += reply.outputTokens;
    counts.tokens.cacheRead += input.cacheReadInputTokens;
    counts.tokens.cacheWrite += input.cacheWriteInputTokens;
    const usage = {
      inputTokens: input.inputTokens,
      outputTokens: reply.outputTokens,
      totalTokens:
        input.inputTokens + input.cacheReadInputTokens + input.cacheWriteInputTokens + reply.outputTokens,
      cacheReadInputTokens: input.cacheReadInputTokens,
      cacheWriteInputTokens: input.cacheWriteInputTokens,
    };
    return jsonResponse(200, requestId, {
      output: { message: { role: 'assistant', content: reply.content } },
      stopReason: reply.stopReason,
      usage,
      metrics: { latencyMs: Math.round(now() - started) },
    });
  }

  const respond = async (
    request: IncomingRequest,
    send: (response: EmulatorResponse) => void,
  ): Promise<void> => {
    const response = await handle(request);
    if (response !== undefined && !closed) send(response);
  };

  const h2 = http2.createServer((req: Http2ServerRequest, res: Http2ServerResponse) => {
    void respond({ method: req.method, url: req.url, body: req }, (response) => {
      if (res.stream.destroyed) return;
      res.writeHead(response.status, response.headers);
      res.end(response.body);
    });
  });
  const h1 = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    void respond({ method: req.method, url: req.url, body: req }, (response) => {
      if (res.destroyed) return;
      res.writeHead(response.status, response.headers);
      res.end(response.body);
    });
  });

  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  h2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  // A client that resets its connection is its own business, not a crash of the emulator.
  h2.on('sessionError', () => undefined);
  h1.on('clientError', (_error, socket) => socket.destroy());

  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    routeByPreface(socket, h2, h1);
  });

  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(config.port, config.host, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const { port } = listener.address() as AddressInfo;

  return {
    url: `http://${config.host}:${port}`,
    port,
    stats: () => ({
      ...counts,
      throttled: counts.throttledByRate + counts.throttledByQuota,
      tokens: { ...counts.tokens },
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const finish of [...pendingDelays]) finish();
      const stopped = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

/**
 * Hands a new connection to the HTTP/2 or the HTTP/1.1 server by its first bytes: an HTTP/2 client
 * with prior knowledge opens with `PRI * HTTP/2.0`. The bytes read are pushed back first. The HTTP/2
 * session reads them from the socket's buffer and then takes over its handle, so the socket must
 * stay paused for it; the HTTP/1.1 server reads through the stream, so it is resumed.
 */
function routeByPreface(socket: Socket, h2: http2.Http2Server, h1: http.Server): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    if (head.length < HTTP2_PREFACE_START.length) return;
    socket.off('data', onData);
    socket.pause();
    socket.unshift(head);
    if (head.subarray(0, HTTP2_PREFACE_START.length).toString('latin1') === HTTP2_PREFACE_START) {
      h2.emit('connection', socket);
    } else {
      h1.emit('connection', socket);
      socket.resume();
    }
  };
  socket.on('data', onData);
}

async function readBody(body: AsyncIterable<Buffer | string>): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

type ParsedRequest =
  | { readonly ok: true; readonly modelId: string; readonly converse: ConverseRequest }
  | { readonly ok: false; readonly message: string };

function parseConverseRequest(body: string, encodedModelId: string): ParsedRequest {
  let modelId: string;
  try {
    modelId = decodeURIComponent(encodedModelId);
  } catch {
    return { ok: false, message: `The model identifier ${encodedModelId} is not validly URL-encoded.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, message: 'Malformed input request: the body is not valid JSON.' };
  }
  const parsed = ConverseRequest.safeParse(json);
  if (!parsed.success) return { ok: false, message: validationMessage(parsed.error) };
  return { ok: true, modelId, converse: parsed.data };
}

/** In the service's own style: `1 validation error detected: Value at 'messages' failed to …`. */
function validationMessage(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3);
  const details = issues.map(
    (issue) => `Value at '${issue.path.join('.') || 'body'}' failed to satisfy constraint: ${issue.message}`,
  );
  const count = error.issues.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${details.join('; ')}`;
}

function throttled(requestId: string): EmulatorResponse {
  return errorResponse(
    429,
    'ThrottlingException',
    'Too many requests, please wait before trying again.',
    requestId,
  );
}

function errorResponse(
  status: number,
  errorType: string,
  message: string,
  requestId: string,
): EmulatorResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': errorType,
    },
    body: JSON.stringify({ message }),
  };
}

function jsonResponse(status: number, requestId: string, body: unknown): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

/** A request id shaped like the service's (a UUID), but counted, so that runs are reproducible. */
function requestIdFor(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
