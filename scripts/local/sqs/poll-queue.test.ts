import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalSqs, type PollQueueOptions, pollQueue, startLocalSqs } from './index.js';

let sqs: LocalSqs;
let client: SQSClient;

beforeAll(async () => {
  sqs = await startLocalSqs({
    queues: ['delivered', 'retried', 'partial', 'invalid-response', 'concurrent', 'stopped', 'finishing'].map(
      (name) => ({ name, visibilityTimeoutSeconds: 1, dlq: { name: `${name}-dlq`, maxReceiveCount: 2 } }),
    ),
  });
  client = new SQSClient({
    endpoint: sqs.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await sqs.close();
});

const empty = { visible: 0, inFlight: 0, delayed: 0 };

/** Runs the event source mapping for the duration of `body`, then stops it and waits for it to finish. */
async function whilePolling(
  options: Omit<PollQueueOptions, 'client' | 'signal'>,
  body: (errors: unknown[]) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const errors: unknown[] = [];
  const polling = pollQueue({
    client,
    signal: controller.signal,
    onError: (error) => errors.push(error),
    ...options,
  });
  try {
    await body(errors);
  } finally {
    controller.abort();
    await polling;
  }
}

const send = (queue: string, bodies: readonly string[]) =>
  client.send(
    new SendMessageBatchCommand({
      QueueUrl: sqs.queueUrl(queue),
      Entries: bodies.map((body, index) => ({ Id: `m${index}`, MessageBody: body })),
    }),
  );

describe('pollQueue', () => {
  it('delivers a Lambda-shaped SQSEvent and deletes the messages the handler succeeded on', async () => {
    const events: SQSEvent[] = [];
    await whilePolling(
      {
        queueUrl: sqs.queueUrl('delivered'),
        handler: async (event) => {
          events.push(event);
        },
      },
      async () => {
        await client.send(
          new SendMessageCommand({
            QueueUrl: sqs.queueUrl('delivered'),
            MessageBody: '{"submissionId":"sub-1"}',
            MessageAttributes: { team: { DataType: 'String', StringValue: 'team-a' } },
          }),
        );
        await vi.waitFor(() => expect(sqs.depth('delivered')).toEqual(empty), { timeout: 10_000 });
      },
    );
    expect(events).toHaveLength(1);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      body: '{"submissionId":"sub-1"}',
      attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000' },
      messageAttributes: {
        team: { stringValue: 'team-a', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:delivered',
      awsRegion: 'us-east-1',
    });
    expect(record?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record?.receiptHandle).toEqual(expect.any(String));
    expect(Number(record?.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(record?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it('retries a failing message after the visibility timeout, then the redrive policy moves it to the DLQ', async () => {
    const receiveCounts: string[] = [];
    await whilePolling(
      {
        queueUrl: sqs.queueUrl('retried'),
        handler: async (event) => {
          for (const record of event.Records) receiveCounts.push(record.attributes.ApproximateReceiveCount);
          throw new Error('the judge is down');
        },
      },
      async (errors) => {
        await send('retried', ['always fails']);
        await vi.waitFor(() => expect(sqs.depth('retried-dlq').visible).toBe(1), { timeout: 15_000 });
        expect(errors).toEqual([
          expect.objectContaining({ message: 'the judge is down' }),
          expect.objectContaining({ message: 'the judge is down' }),
        ]);
      },
    );
    expect(receiveCounts).toEqual(['1', '2']);
    expect(sqs.depth('retried')).toEqual(empty);
  });

  it('deletes the rest of a batch and retries only the messages named in batchItemFailures', async () => {
    const deliveries: string[][] = [];
    await whilePolling(
      {
        queueUrl: sqs.queueUrl('partial'),
        handler: async (event): Promise<SQSBatchResponse> => {
          deliveries.push(
            event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`),
          );
          return {
            batchItemFailures: event.Records.filter(
              (record) => record.body === 'bad' && record.attributes.ApproximateReceiveCount === '1',
            ).map((record) => ({ itemIdentifier: record.messageId })),
          };
        },
      },
      async () => {
        await send('partial', ['good-1', 'bad', 'good-2']);
        // Generous waits (no timing is asserted): the suite runs browsers and stacks beside this.
        await vi.waitFor(() => expect(deliveries).toHaveLength(2), { timeout: 40_000 });
        await vi.waitFor(() => expect(sqs.depth('partial')).toEqual(empty), { timeout: 10_000 });
      },
    );
    expect(deliveries[0]?.sort()).toEqual(['bad#1', 'good-1#1', 'good-2#1']);
    expect(deliveries[1]).toEqual(['bad#2']);
    expect(sqs.depth('partial-dlq').visible).toBe(0);
  }, 60_000);

  it('retries the whole batch when batchItemFailures names a message not in it', async () => {
    const deliveries: number[] = [];
    await whilePolling(
      {
        queueUrl: sqs.queueUrl('invalid-response'),
        handler: async (event) => {
          deliveries.push(event.Records.length);
          return deliveries.length === 1
            ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }
            : undefined;
        },
      },
      async (errors) => {
        await send('invalid-response', ['one', 'two']);
        await vi.waitFor(() => expect(deliveries).toEqual([2, 2]), { timeout: 15_000 });
        await vi.waitFor(() => expect(sqs.depth('invalid-response')).toEqual(empty), { timeout: 10_000 });
        expect(errors).toEqual([expect.objectContaining({ name: 'InvalidBatchResponseError' })]);
      },
    );
  });

  it('runs no more handler invocations at once than its concurrency', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let handled = 0;
    await whilePolling(
      {
        queueUrl: sqs.queueUrl('concurrent'),
        batchSize: 1,
        concurrency: 3,
        handler: async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise((resolve) => setTimeout(resolve, 100));
          running -= 1;
          handled += 1;
        },
      },
      async () => {
        await send('concurrent', ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
        await vi.waitFor(() => expect(handled).toBe(9), { timeout: 15_000 });
      },
    );
    expect(mostAtOnce).toBe(3);
    expect(sqs.depth('concurrent')).toEqual(empty);
  });

  it('stops promptly when aborted in the middle of a long poll, leaving later messages queued', async () => {
    const controller = new AbortController();
    const handler = vi.fn(async () => {});
    const polling = pollQueue({
      client,
      queueUrl: sqs.queueUrl('stopped'),
      handler,
      waitTimeSeconds: 20,
      concurrency: 2,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    // Resolves long before the 20 s long poll would have ended (the test's timeout would catch it).
    await polling;
    // The server learns of the hang-up asynchronously; give it a moment on a busy machine, so the
    // message below tests "no poller takes it", not the race with the socket's close event.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    await send('stopped', ['after the stop']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handler).not.toHaveBeenCalled();
    expect(sqs.depth('stopped')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('lets an invocation under way finish and deletes its message before resolving', async () => {
    const controller = new AbortController();
    let finished = false;
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const polling = pollQueue({
      client,
      queueUrl: sqs.queueUrl('finishing'),
      signal: controller.signal,
      handler: async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
    });
    await send('finishing', ['in flight while stopping']);
    await handlerStarted;
    controller.abort();
    await polling;
    expect(finished).toBe(true);
    expect(sqs.depth('finishing')).toEqual(empty);
  });

  it('resolves at once for a signal that is already aborted', async () => {
    const handler = vi.fn(async () => {});
    await pollQueue({ client, queueUrl: sqs.queueUrl('stopped'), handler, signal: AbortSignal.abort() });
    expect(handler).not.toHaveBeenCalled();
  });
});
