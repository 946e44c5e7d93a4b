import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import type { QueueCounts } from './local-queue.js';
import { QueueBroker } from './queue-broker.js';
import { SqsError, sqsErrors } from './sqs-error.js';
import { operations } from './sqs-operations.js';

export const LocalSqsOptions = z.strictObject({
  /** 0 = any free port. */
  port: z.int().min(0).max(65_535).default(0),
  /** The region in queue ARNs (`arn:aws:sqs:<region>:000000000000:<name>`). */
  region: z.string().min(1).default('us-east-1'),
  /** Queues that exist from the start; clients may create more with CreateQueue. */
  queues: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        visibilityTimeoutSeconds: z.int().min(0).max(43_200).optional(),
        /** A redrive policy: after `maxReceiveCount` receives a message moves to this queue (created if missing). */
        dlq: z
          .strictObject({ name: z.string().min(1), maxReceiveCount: z.int().min(1).max(1000) })
          .optional(),
      }),
    )
    .default([]),
});
export type LocalSqsOptions = z.input<typeof LocalSqsOptions>;

export interface LocalSqs {
  /** `http://127.0.0.1:PORT`, the `endpoint` for `SQSClient`. */
  readonly endpoint: string;
  /** `http://127.0.0.1:PORT/000000000000/<name>`; throws for a queue that does not exist. */
  queueUrl(name: string): string;
  /** How many messages are ready to receive, in flight, or still delayed. */
  depth(name: string): QueueCounts;
  /** Ends pending long polls, stops listening and drops every connection. */
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const SQS_TARGET_PREFIX = 'AmazonSQS.';
/** A batch of ten 1 MiB messages, base64 attributes and JSON escaping fit well under this. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** SQS operations a client may call that the local SQS does not implement: answered as unsupported. */
const NOT_IMPLEMENTED = new Set([
  'AddPermission',
  'CancelMessageMoveTask',
  'ChangeMessageVisibilityBatch',
  'DeleteQueue',
  'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks',
  'ListQueueTags',
  'RemovePermission',
  'SetQueueAttributes',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
]);

/**
 * Starts a local SQS on 127.0.0.1 that speaks the AWS JSON 1.0 protocol of `@aws-sdk/client-sqs`
 * 3.x (`POST /`, `X-Amz-Target: AmazonSQS.<Operation>`), so the League's SQS code runs unchanged
 * with only its endpoint pointed here. Standard queues only, held in memory; signatures are not
 * checked.
 */
export async function startLocalSqs(options: LocalSqsOptions): Promise<LocalSqs> {
  const config = LocalSqsOptions.parse(options);
  const shutdown = new AbortController();
  const requests = new Set<Promise<void>>();
  const server = http.createServer((request, response) => {
    const served = serve(request, response);
    requests.add(served);
    void served.finally(() => requests.delete(served));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const broker = new QueueBroker(endpoint, config.region);

  for (const queue of config.queues) {
    broker.create(
      queue.name,
      queue.visibilityTimeoutSeconds === undefined
        ? {}
        : { VisibilityTimeout: String(queue.visibilityTimeoutSeconds) },
    );
  }
  for (const { dlq } of config.queues) {
    if (dlq !== undefined && broker.list().every((queue) => queue.name !== dlq.name)) broker.create(dlq.name);
  }
  for (const { name, dlq } of config.queues) {
    if (dlq === undefined) continue;
    const redrivePolicy = {
      deadLetterTargetArn: broker.arnOf(dlq.name),
      maxReceiveCount: dlq.maxReceiveCount,
    };
    const queue = broker.byName(name);
    queue.settings = { ...queue.settings, redrivePolicy };
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const hungUp = new AbortController();
    response.on('close', () => hungUp.abort());
    const signal = AbortSignal.any([hungUp.signal, shutdown.signal]);
    try {
      const operation = operationFor(request);
      const body = await readJsonBody(request);
      const output = await operation(body, { broker, signal });
      reply(response, 200, requestId, output);
    } catch (error) {
      if (!(error instanceof SqsError)) console.error('local SQS: request failed', error);
      const sqsError = error instanceof SqsError ? error : sqsErrors.internalFailure();
      reply(
        response,
        sqsError.status,
        requestId,
        { __type: sqsError.type, message: sqsError.message },
        {
          'x-amzn-query-error': `${sqsError.queryCode};${sqsError.fault}`,
        },
      );
    }
  }

  return {
    endpoint,
    queueUrl: (name) => broker.byName(name).url,
    depth: (name) => broker.counts(broker.byName(name)),
    close: async () => {
      if (shutdown.signal.aborted) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Pending long polls end with an empty answer, as when their wait runs out, before the
      // connections are dropped.
      shutdown.abort();
      await Promise.allSettled([...requests]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function operationFor(request: IncomingMessage): NonNullable<(typeof operations)[string]> {
  const target = request.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX)
      ? target.slice(SQS_TARGET_PREFIX.length)
      : undefined;
  const operation = name === undefined ? undefined : operations[name];
  if (request.method === 'POST' && operation !== undefined) return operation;
  if (name !== undefined && NOT_IMPLEMENTED.has(name)) {
    throw sqsErrors.unsupportedOperation(`The local SQS does not implement ${name}.`);
  }
  throw sqsErrors.unknownOperation(
    'The local SQS answers POST / with X-Amz-Target: AmazonSQS.<Operation> and an application/x-amz-json-1.0 body ' +
      '(the AWS JSON 1.0 protocol of @aws-sdk/client-sqs 3.x); the older query protocol is not supported.',
  );
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    if (size > MAX_BODY_BYTES)
      throw sqsErrors.serialization(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(bytes);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body;
  } catch {
    // Answered below, like any other body that is not a JSON object.
  }
  throw sqsErrors.serialization('The request body is not a JSON object.');
}

function reply(
  response: ServerResponse,
  status: number,
  requestId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...headers,
  });
  response.end(text);
}
