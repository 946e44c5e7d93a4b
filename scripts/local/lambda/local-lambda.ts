import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import * as z from 'zod';

/**
 * A Lambda handler as the local Lambda runs it: the event, and a Lambda-shaped context. The event is
 * typed `never` so that any handler (`(event: ScheduledEvent) => …`, `(event: unknown, context) => …`)
 * registers as it is: like Lambda, the local Lambda passes on whatever JSON the caller sent, and the
 * handler's own parsing decides what it accepts.
 */
export type LocalFunction = (event: never, context: Context) => Promise<unknown>;

export interface LocalLambdaOptions {
  /** 0 (the default) = any free port. */
  readonly port?: number;
  /** The region in function ARNs; default `us-east-1`. */
  readonly region?: string;
  /** The functions that exist, by name. */
  readonly functions: Readonly<Record<string, LocalFunction>>;
  /**
   * Told when an `Event` (asynchronous) invocation fails, which has no caller to tell. Lambda's own
   * retries of failed asynchronous invocations (twice, minutes apart) are not emulated.
   * Default: `console.error`.
   */
  readonly onAsyncError?: (functionName: string, error: unknown) => void;
}

export interface LocalLambda {
  /** `http://127.0.0.1:PORT`, the `endpoint` for `LambdaClient`. */
  readonly endpoint: string;
  /** Invocations accepted for a function so far, of any invocation type. */
  invocations(name: string): number;
  /** Resolves when every `Event` invocation started so far has finished. */
  settled(): Promise<void>;
  /**
   * Stops listening, lets invocations under way answer, drops every connection, then waits for the
   * `Event` invocations still running.
   */
  close(): Promise<void>;
}

const Options = z.object({
  port: z.int().min(0).max(65_535).default(0),
  region: z.string().min(1).default('us-east-1'),
});

const LOCAL_ACCOUNT_ID = '000000000000';
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Lambda's payload quotas: 6 MB each way for synchronous invocations, 1 MB for asynchronous ones. */
const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;
/** What a local invocation reports as its budget: Lambda's maximum timeout, which is not enforced. */
const TIMEOUT_MS = 900_000;

type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Starts a local Lambda invoke endpoint on 127.0.0.1 for `@aws-sdk/client-lambda`'s `InvokeCommand`
 * (REST-JSON: `POST /2015-03-31/functions/{FunctionName}/invocations`), so code that invokes the
 * League's functions runs unchanged with only its endpoint pointed here. It answers as Lambda does:
 * a handler's error is a 200 with `X-Amz-Function-Error: Unhandled` and the error in the payload,
 * not an HTTP error; `Event` invocations are accepted with 202 and run in the background.
 */
export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const config = Options.parse({ port: options.port, region: options.region });
  const functions = new Map(Object.entries(options.functions));
  const counts = new Map<string, number>();
  const background = new Set<Promise<void>>();
  const onAsyncError =
    options.onAsyncError ??
    ((name: string, error: unknown) =>
      console.error(`local Lambda: asynchronous invocation of ${name} failed`, error));
  const arnOf = (name: string): string =>
    `arn:aws:lambda:${config.region}:${LOCAL_ACCOUNT_ID}:function:${name}`;

  const requests = new Set<Promise<void>>();
  const server = http.createServer((request, response) => {
    const answered = handle(request).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        console.error('local Lambda: request failed', error);
        send(
          response,
          errorReply(500, 'ServiceException', 'Message', 'The local Lambda failed to handle the request.'),
        );
      },
    );
    requests.add(answered);
    void answered.finally(() => requests.delete(answered));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  async function handle(request: IncomingMessage): Promise<Reply> {
    const url = new URL(request.url ?? '/', 'http://local');
    const encodedName = request.method === 'POST' ? INVOKE_PATH.exec(url.pathname)?.[1] : undefined;
    if (encodedName === undefined) {
      return errorReply(
        404,
        'UnknownOperationException',
        'message',
        'The local Lambda answers Invoke only: POST /2015-03-31/functions/{FunctionName}/invocations.',
      );
    }
    const requested = decodeURIComponent(encodedName);
    const name = functionNameOf(requested);
    const handler = name === undefined ? undefined : functions.get(name);
    if (name === undefined || handler === undefined) {
      return errorReply(
        404,
        'ResourceNotFoundException',
        'Message',
        `Function not found: ${arnOf(name ?? requested)}`,
      );
    }
    const invocationType = invocationTypeOf(request.headers['x-amz-invocation-type']);
    if (invocationType === undefined) {
      return errorReply(
        400,
        'InvalidParameterValueException',
        'message',
        'X-Amz-Invocation-Type must be RequestResponse, Event or DryRun.',
      );
    }
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    const payload = await readBody(request, limit);
    if (payload === undefined) {
      return errorReply(
        413,
        'RequestTooLargeException',
        'message',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
    }
    let event: unknown;
    try {
      // An invocation without a payload gets an empty object, as from the console or the CLI.
      event = payload.trim() === '' ? {} : JSON.parse(payload);
    } catch (error) {
      return errorReply(
        400,
        'InvalidRequestContentException',
        'message',
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    if (invocationType === 'DryRun') return { status: 204, headers: {}, body: '' };

    counts.set(name, (counts.get(name) ?? 0) + 1);
    const context = lambdaContext(name, arnOf(name));
    if (invocationType === 'Event') {
      const run = (async () => {
        // Answer the caller first: an asynchronous invocation never runs inside the Invoke call.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await handler(event as never, context);
        } catch (error) {
          onAsyncError(name, error);
        }
      })();
      background.add(run);
      void run.finally(() => background.delete(run));
      return { status: 202, headers: { 'x-amzn-requestid': context.awsRequestId }, body: '' };
    }
    const headers = {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      'x-amzn-requestid': context.awsRequestId,
    };
    let body: string;
    try {
      // A handler that returns nothing answers `null`, as on Lambda.
      body = JSON.stringify((await handler(event as never, context)) ?? null) ?? 'null';
    } catch (error) {
      return {
        status: 200,
        headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
        body: JSON.stringify(unhandledError(error)),
      };
    }
    if (Buffer.byteLength(body) > MAX_SYNC_PAYLOAD_BYTES) {
      return {
        status: 200,
        headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
        body: JSON.stringify({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
        }),
      };
    }
    return { status: 200, headers, body };
  }

  /**
   * Accepts a name, a name with a qualifier, a partial ARN (`123456789012:function:name`) or a full
   * ARN; every qualifier runs the one local version.
   */
  function functionNameOf(requested: string): string | undefined {
    const parts = requested.split(':');
    if (parts.length <= 2) return parts[0] || undefined;
    const functionIndex = parts.indexOf('function');
    return functionIndex >= 0 ? parts[functionIndex + 1] || undefined : undefined;
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations: (name) => counts.get(name) ?? 0,
    settled: async () => {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Invocations under way answer their callers before the connections are dropped.
      await Promise.allSettled([...requests]);
      server.closeAllConnections();
      await closed;
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}

function invocationTypeOf(header: string | string[] | undefined): InvocationType | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return 'RequestResponse';
  return value === 'RequestResponse' || value === 'Event' || value === 'DryRun' ? value : undefined;
}

/** The payload the Node.js runtime writes for an error a handler throws. */
function unhandledError(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n').filter((line) => line !== ''),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function lambdaContext(functionName: string, invokedFunctionArn: string): Context {
  const deadline = Date.now() + TIMEOUT_MS;
  const awsRequestId = randomUUID();
  const unsupported = (): never => {
    throw new Error('The local Lambda runs async handlers only; callback-style completion is not supported.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * A Lambda API error: the code in `x-amzn-errortype` and the message in `Message` or `message`,
 * whichever the shape in the Lambda model uses, beside `Type: "User"`.
 */
function errorReply(status: number, code: string, messageKey: 'Message' | 'message', message: string): Reply {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': code,
      'x-amzn-requestid': randomUUID(),
    },
    body: JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', [messageKey]: message }),
  };
}

async function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    // Keep reading to the end, so the connection stays usable for the error reply.
    if (size > limit) tooLarge = true;
    else chunks.push(bytes);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  response.end(reply.body);
}
