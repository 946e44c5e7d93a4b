import { setTimeout as delay } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import * as z from 'zod';

/** An SQS-triggered Lambda handler, as the League's handlers are written. */
// biome-ignore lint/suspicious/noConfusingVoidType: aws-lambda's SQSHandler allows a handler that returns nothing, and so must this.
export type SqsEventHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface PollQueueOptions {
  /** A real `SQSClient`, pointed at the local SQS or at AWS. */
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsEventHandler;
  /** Messages per invocation, 1 to 10 (one ReceiveMessage); default 10, as for a Lambda SQS trigger. */
  readonly batchSize?: number;
  /** How long a received batch stays hidden; default the queue's own visibility timeout. */
  readonly visibilityTimeoutSeconds?: number;
  /** Handler invocations at once; default 1. */
  readonly concurrency?: number;
  /** Long-poll wait of each receive, 0 to 20; default 20, as Lambda's pollers wait. Aborting ends it at once. */
  readonly waitTimeSeconds?: number;
  /** Stops polling; invocations under way finish and their batches are settled first. */
  readonly signal: AbortSignal;
  /**
   * Told about a handler that throws or answers with an invalid batch response (the batch is then
   * retried) and about failed receives and deletes. Default: `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

const PollSettings = z.object({
  batchSize: z.int().min(1).max(10).default(10),
  visibilityTimeoutSeconds: z.int().min(0).max(43_200).optional(),
  concurrency: z.int().min(1).default(1),
  waitTimeSeconds: z.int().min(0).max(20).default(20),
});

/** A batch response Lambda would refuse, which makes it retry the whole batch. */
export class InvalidBatchResponseError extends Error {
  override readonly name = 'InvalidBatchResponseError';
}

/**
 * A local event source mapping: what Lambda does for an SQS trigger with `ReportBatchItemFailures`.
 * It long-polls the queue with the real SDK client, hands each batch to the handler as a
 * Lambda-shaped `SQSEvent`, deletes the messages that succeeded and leaves failed ones to come back
 * after the visibility timeout (where the queue's redrive policy counts them towards its DLQ).
 * Up to `concurrency` invocations run at once, each fed by its own poller. Resolves once `signal`
 * is aborted and the invocations under way have finished.
 *
 * As on AWS, a receive cut short by the abort may already have taken messages; they come back after
 * their visibility timeout.
 */
export async function pollQueue(options: PollQueueOptions): Promise<void> {
  const settings = PollSettings.parse({
    batchSize: options.batchSize,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    concurrency: options.concurrency,
    waitTimeSeconds: options.waitTimeSeconds,
  });
  const { client, queueUrl, handler, signal } = options;
  const report = options.onError ?? ((error: unknown) => console.error('pollQueue:', error));
  if (signal.aborted) return;

  let source: SqsEventSource;
  try {
    source = await eventSourceOf(client, queueUrl, signal);
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }

  const poll = async (): Promise<void> => {
    let consecutiveFailures = 0;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const output = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: settings.batchSize,
            WaitTimeSeconds: settings.waitTimeSeconds,
            VisibilityTimeout: settings.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: signal },
        );
        messages = output.Messages ?? [];
        consecutiveFailures = 0;
      } catch (error) {
        if (signal.aborted) return;
        report(error);
        consecutiveFailures += 1;
        await pause(Math.min(5_000, 100 * 2 ** consecutiveFailures), signal);
        continue;
      }
      if (messages.length > 0) await invoke(messages);
    }
  };

  const invoke = async (messages: readonly Message[]): Promise<void> => {
    const records = messages.map((message) => sqsRecord(message, source));
    let failed: ReadonlySet<string>;
    try {
      failed = failedMessageIds(await handler({ Records: records }), records);
    } catch (error) {
      report(error);
      failed = new Set(records.map((record) => record.messageId));
    }
    const succeeded = records.filter((record) => !failed.has(record.messageId));
    if (succeeded.length === 0) return;
    try {
      // Not tied to `signal`: work that is done should be deleted even while stopping.
      const output = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: succeeded.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
          })),
        }),
      );
      for (const failure of output.Failed ?? []) {
        const record = succeeded[Number(failure.Id)];
        report(
          new Error(
            `could not delete message ${record?.messageId}: ${failure.Code} ${failure.Message ?? ''}`,
          ),
        );
      }
    } catch (error) {
      report(error);
    }
  };

  await Promise.all(Array.from({ length: settings.concurrency }, poll));
}

/** The queue a mapping reads from, as its records name it. */
export interface SqsEventSource {
  readonly arn: string;
  readonly region: string;
}

async function eventSourceOf(
  client: SQSClient,
  queueUrl: string,
  signal: AbortSignal,
): Promise<SqsEventSource> {
  const output = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    { abortSignal: signal },
  );
  const arn = output.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`GetQueueAttributes returned no QueueArn for ${queueUrl}`);
  return { arn, region: arn.split(':')[3] ?? '' };
}

/** The record Lambda builds from a received message (field names and string-typed attributes as Lambda's). */
export function sqsRecord(message: Message, source: SqsEventSource): SQSRecord {
  const { MessageId, ReceiptHandle, Body, MD5OfBody } = message;
  if (
    MessageId === undefined ||
    ReceiptHandle === undefined ||
    Body === undefined ||
    MD5OfBody === undefined
  ) {
    throw new Error('ReceiveMessage returned a message without an id, receipt handle, body or body digest');
  }
  const attributes = message.Attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((bytes) => Buffer.from(bytes).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return {
    messageId: MessageId,
    receiptHandle: ReceiptHandle,
    body: Body,
    attributes: {
      ...attributes,
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes,
    md5OfBody: MD5OfBody,
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: source.arn,
    awsRegion: source.region,
  };
}

/**
 * The messages a batch response reports as failed. As Lambda does, no response or no
 * `batchItemFailures` means all succeeded, and a failure naming no message of the batch makes the
 * whole response invalid.
 */
function failedMessageIds(response: unknown, records: readonly SQSRecord[]): ReadonlySet<string> {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object') {
    throw new InvalidBatchResponseError(`the handler answered ${typeof response}, not a batch response`);
  }
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) throw new InvalidBatchResponseError('batchItemFailures is not a list');
  const inBatch = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id: unknown =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || !inBatch.has(id)) {
      throw new InvalidBatchResponseError(
        `batchItemFailures names ${JSON.stringify(id)}, which is not a message id of this batch`,
      );
    }
    failed.add(id);
  }
  return failed;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // Aborted: the caller's loop sees the signal and stops.
  }
}
