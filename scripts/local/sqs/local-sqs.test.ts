import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSqs, md5OfBody, startLocalSqs } from './index.js';

let sqs: LocalSqs;
let client: SQSClient;

beforeAll(async () => {
  sqs = await startLocalSqs({
    queues: [
      { name: 'evaluations', visibilityTimeoutSeconds: 1 },
      { name: 'visibility', visibilityTimeoutSeconds: 1 },
      { name: 'redriven', visibilityTimeoutSeconds: 1, dlq: { name: 'redriven-dlq', maxReceiveCount: 2 } },
      { name: 'long-poll', visibilityTimeoutSeconds: 1 },
      { name: 'delayed', visibilityTimeoutSeconds: 1 },
      { name: 'counted', visibilityTimeoutSeconds: 1 },
      { name: 'batches', visibilityTimeoutSeconds: 1 },
      { name: 'errors' },
    ],
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

const receiveAll = (QueueUrl: string, extra: { VisibilityTimeout?: number; WaitTimeSeconds?: number } = {}) =>
  client.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...extra,
    }),
  );

describe('send, receive and delete', () => {
  it('round-trips a body and its attributes, with digests the SDK checks', async () => {
    const QueueUrl = sqs.queueUrl('evaluations');
    expect(QueueUrl).toBe(`${sqs.endpoint}/000000000000/evaluations`);
    const body = JSON.stringify({ team: 'équipe-ü', submissionId: 'sub-1', note: '✓ 🚀' });
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: body,
        MessageAttributes: {
          timestamp: { DataType: 'Number', StringValue: '1493147359900' },
        },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe(md5OfBody(body));
    // The digest moto's test suite pins as what AWS returns for this attribute.
    expect(sent.MD5OfMessageAttributes).toBe('235c5c510d26fb653d073faed50ae77c');
    expect(sqs.depth('evaluations')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const before = Date.now();
    const { Messages } = await receiveAll(QueueUrl);
    expect(Messages).toHaveLength(1);
    const [message] = Messages ?? [];
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: body,
      MD5OfBody: md5OfBody(body),
      MD5OfMessageAttributes: '235c5c510d26fb653d073faed50ae77c',
      MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
      Attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000' },
    });
    expect(Number(message?.Attributes?.SentTimestamp)).toBeGreaterThan(before - 5_000);
    expect(Number(message?.Attributes?.SentTimestamp)).toBeLessThanOrEqual(Date.now());
    expect(sqs.depth('evaluations')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(sqs.depth('evaluations')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('returns binary attributes as bytes and only the attributes asked for', async () => {
    const QueueUrl = sqs.queueUrl('evaluations');
    await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'with attributes',
        MessageAttributes: {
          'trace.id': { DataType: 'String', StringValue: 'abc' },
          'trace.span': { DataType: 'String', StringValue: 'def' },
          checksum: { DataType: 'Binary', BinaryValue: Uint8Array.of(0, 1, 254, 255) },
        },
      }),
    );
    const { Messages } = await client.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['trace.*', 'checksum'] }),
    );
    const [message] = Messages ?? [];
    expect(Object.keys(message?.MessageAttributes ?? {}).sort()).toEqual([
      'checksum',
      'trace.id',
      'trace.span',
    ]);
    expect([...(message?.MessageAttributes?.checksum?.BinaryValue ?? [])]).toEqual([0, 1, 254, 255]);
    expect(message?.Attributes).toBeUndefined();
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
  });
});

describe('visibility timeout', () => {
  it('returns a message that was not deleted, with ApproximateReceiveCount 2 and a new receipt handle', async () => {
    const QueueUrl = sqs.queueUrl('visibility');
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'retry me' }));
    const first = (await receiveAll(QueueUrl)).Messages?.[0];
    expect(first?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect((await receiveAll(QueueUrl)).Messages).toBeUndefined();

    const second = (await receiveAll(QueueUrl, { WaitTimeSeconds: 3 })).Messages?.[0];
    expect(second).toMatchObject({ MessageId: sent.MessageId, Attributes: { ApproximateReceiveCount: '2' } });
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(Number(second?.Attributes?.ApproximateFirstReceiveTimestamp)).toBe(
      Number(first?.Attributes?.ApproximateFirstReceiveTimestamp),
    );

    // A superseded receipt handle deletes nothing; the latest one does.
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle }));
    expect(sqs.depth('visibility').inFlight).toBe(1);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second?.ReceiptHandle }));
    expect(sqs.depth('visibility')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('makes a message visible again at once when its visibility is changed to 0', async () => {
    const QueueUrl = sqs.queueUrl('visibility');
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'give back' }));
    const first = (await receiveAll(QueueUrl, { VisibilityTimeout: 60 })).Messages?.[0];
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = (await receiveAll(QueueUrl)).Messages?.[0];
    expect(again).toMatchObject({ Body: 'give back', Attributes: { ApproximateReceiveCount: '2' } });
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again?.ReceiptHandle }));
  });
});

describe('redrive policy', () => {
  it('moves a message to the DLQ once it has been received maxReceiveCount times', async () => {
    const QueueUrl = sqs.queueUrl('redriven');
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    for (const count of ['1', '2']) {
      const message = (await receiveAll(QueueUrl, { VisibilityTimeout: 0 })).Messages?.[0];
      expect(message?.Attributes?.ApproximateReceiveCount).toBe(count);
    }
    expect((await receiveAll(QueueUrl, { VisibilityTimeout: 0 })).Messages).toBeUndefined();
    expect(sqs.depth('redriven')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(sqs.depth('redriven-dlq')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const dead = (await receiveAll(sqs.queueUrl('redriven-dlq'))).Messages?.[0];
    expect(dead).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      Attributes: { DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:redriven' },
    });
  });

  it('takes a redrive policy given to CreateQueue, and answers GetQueueUrl for the new queue', async () => {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'created-dlq' }));
    const dlqArn = (
      await client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn;
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: 'created',
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '1' }),
        },
      }),
    );
    expect((await client.send(new GetQueueUrlCommand({ QueueName: 'created' }))).QueueUrl).toBe(
      created.QueueUrl,
    );
    await client.send(new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: 'once' }));
    expect((await receiveAll(created.QueueUrl ?? '', { VisibilityTimeout: 0 })).Messages).toHaveLength(1);
    expect((await receiveAll(created.QueueUrl ?? '')).Messages).toBeUndefined();
    expect(sqs.depth('created-dlq').visible).toBe(1);
  });
});

describe('long polling', () => {
  it('returns as soon as a message arrives', async () => {
    const QueueUrl = sqs.queueUrl('long-poll');
    const started = Date.now();
    const polling = receiveAll(QueueUrl, { WaitTimeSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'arrived' }));
    const { Messages } = await polling;
    expect(Messages?.[0]?.Body).toBe('arrived');
    expect(Date.now() - started).toBeLessThan(5_000);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
  });

  it('returns nothing after the wait when no message comes', async () => {
    const started = Date.now();
    const { Messages } = await receiveAll(sqs.queueUrl('long-poll'), { WaitTimeSeconds: 1 });
    expect(Messages).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe('delays and queue attributes', () => {
  it('hides a delayed message until its delay has passed', async () => {
    const QueueUrl = sqs.queueUrl('delayed');
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    expect(sqs.depth('delayed')).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect((await receiveAll(QueueUrl)).Messages).toBeUndefined();
    const started = Date.now();
    const { Messages } = await receiveAll(QueueUrl, { WaitTimeSeconds: 5 });
    expect(Messages?.[0]?.Body).toBe('later');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('counts visible and in-flight messages in GetQueueAttributes', async () => {
    const QueueUrl = sqs.queueUrl('counted');
    for (const body of ['a', 'b', 'c'])
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 30 }));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '2',
    });
  });
});

describe('batches', () => {
  it('sends and deletes in batches, failing only the entry with a bad receipt handle', async () => {
    const QueueUrl = sqs.queueUrl('batches');
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'second' },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => [entry.Id, entry.MD5OfMessageBody])).toEqual([
      ['a', md5OfBody('first')],
      ['b', md5OfBody('second')],
    ]);
    const { Messages = [] } = await receiveAll(QueueUrl);
    expect(Messages.map((message) => message.Body).sort()).toEqual(['first', 'second']);
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          ...Messages.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful?.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    expect(deleted.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
    ]);
    expect(sqs.depth('batches')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('errors in the SQS JSON shape', () => {
  it('raises QueueDoesNotExist for an unknown queue', async () => {
    const error = await client
      .send(new SendMessageCommand({ QueueUrl: `${sqs.endpoint}/000000000000/nope`, MessageBody: 'x' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({
      message: 'The specified queue does not exist.',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  it('raises ReceiptHandleIsInvalid for a receipt handle it never issued', async () => {
    await expect(
      client.send(new DeleteMessageCommand({ QueueUrl: sqs.queueUrl('errors'), ReceiptHandle: 'forged' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('raises InvalidParameterValue with SQS wording for an out-of-range parameter', async () => {
    await expect(
      client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl('errors'), MaxNumberOfMessages: 11 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
  });

  it('refuses a message attribute without a value and a body with a forbidden character', async () => {
    const QueueUrl = sqs.queueUrl('errors');
    await expect(
      client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          MessageAttributes: { empty: { DataType: 'String' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining("'empty'") });
    await expect(
      client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bell \u0007' })),
    ).rejects.toMatchObject({
      name: 'InvalidMessageContents',
    });
    expect(sqs.depth('errors')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('refuses to re-create a queue with a different visibility timeout', async () => {
    await expect(
      client.send(new CreateQueueCommand({ QueueName: 'errors', Attributes: { VisibilityTimeout: '5' } })),
    ).rejects.toMatchObject({
      name: 'QueueNameExists',
      message: expect.stringContaining('VisibilityTimeout'),
    });
    const same = await client.send(new CreateQueueCommand({ QueueName: 'errors' }));
    expect(same.QueueUrl).toBe(sqs.queueUrl('errors'));
  });
});

describe('closing', () => {
  it('answers a pending long poll with no messages instead of dropping it', async () => {
    const own = await startLocalSqs({ queues: [{ name: 'quiet' }] });
    const ownClient = new SQSClient({
      endpoint: own.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const polling = ownClient.send(
        new ReceiveMessageCommand({ QueueUrl: own.queueUrl('quiet'), WaitTimeSeconds: 20 }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await own.close();
      await expect(polling).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      expect((await polling).Messages).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      ownClient.destroy();
      await own.close();
    }
  });
});
