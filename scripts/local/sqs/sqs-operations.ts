import { md5OfMessageAttributes } from './digest.js';
import type { Delivery, LocalQueue, MessageAttribute } from './local-queue.js';
import { LOCAL_ACCOUNT_ID, type QueueBroker } from './queue-broker.js';
import { SqsError, sqsErrors } from './sqs-error.js';
import {
  ChangeMessageVisibilityRequest,
  CreateQueueRequest,
  DeleteMessageBatchRequest,
  DeleteMessageRequest,
  GetQueueAttributesRequest,
  GetQueueUrlRequest,
  ListQueuesRequest,
  type MessageAttributeValue,
  parseRequest,
  QueueRequest,
  ReceiveMessageRequest,
  SendMessageBatchRequest,
  SendMessageRequest,
} from './sqs-requests.js';

export interface OperationContext {
  readonly broker: QueueBroker;
  /** Aborted when the client goes away or the server closes: a long poll stops waiting. */
  readonly signal: AbortSignal;
}

type Operation = (body: unknown, context: OperationContext) => Promise<Record<string, unknown>>;

/** The SQS operations the local SQS answers, by the name in `X-Amz-Target: AmazonSQS.<name>`. */
export const operations: Readonly<Record<string, Operation>> = {
  CreateQueue: async (body, { broker }) => {
    const request = parseRequest(CreateQueueRequest, body);
    return { QueueUrl: broker.create(request.QueueName, request.Attributes).url };
  },
  GetQueueUrl: async (body, { broker }) => ({
    QueueUrl: broker.byName(parseRequest(GetQueueUrlRequest, body).QueueName).url,
  }),
  ListQueues: async (body, { broker }) => {
    const urls = broker.list(parseRequest(ListQueuesRequest, body).QueueNamePrefix).map((queue) => queue.url);
    return urls.length > 0 ? { QueueUrls: urls } : {};
  },
  GetQueueAttributes: async (body, { broker }) => {
    const request = parseRequest(GetQueueAttributesRequest, body);
    const attributes = broker.attributes(broker.byUrl(request.QueueUrl), request.AttributeNames ?? []);
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },
  PurgeQueue: async (body, { broker }) => {
    broker.byUrl(parseRequest(QueueRequest, body).QueueUrl).purge();
    return {};
  },
  SendMessage: async (body, { broker }) => {
    const request = parseRequest(SendMessageRequest, body);
    return sendOne(broker, broker.byUrl(request.QueueUrl), request);
  },
  SendMessageBatch: async (body, { broker }) => {
    const request = parseRequest(SendMessageBatchRequest, body);
    const queue = broker.byUrl(request.QueueUrl);
    checkBatch(request.Entries.map((entry) => entry.Id));
    return inBatch(request.Entries, (entry) => ({ Id: entry.Id, ...sendOne(broker, queue, entry) }));
  },
  ReceiveMessage: async (body, { broker, signal }) => {
    const request = parseRequest(ReceiveMessageRequest, body);
    const queue = broker.byUrl(request.QueueUrl);
    const deliveries = await receiveWithLongPoll(broker, queue, {
      max: request.MaxNumberOfMessages ?? 1,
      visibilityTimeoutSeconds: request.VisibilityTimeout ?? queue.settings.visibilityTimeoutSeconds,
      waitSeconds: request.WaitTimeSeconds ?? queue.settings.receiveMessageWaitTimeSeconds,
      signal,
    });
    if (deliveries.length === 0) return {};
    const systemAttributeNames = [
      ...(request.AttributeNames ?? []),
      ...(request.MessageSystemAttributeNames ?? []),
    ];
    const messageAttributeNames = request.MessageAttributeNames ?? [];
    return {
      Messages: deliveries.map((delivery) =>
        renderDelivery(delivery, systemAttributeNames, messageAttributeNames),
      ),
    };
  },
  DeleteMessage: async (body, { broker }) => {
    const request = parseRequest(DeleteMessageRequest, body);
    broker.byUrl(request.QueueUrl).delete(request.ReceiptHandle);
    return {};
  },
  DeleteMessageBatch: async (body, { broker }) => {
    const request = parseRequest(DeleteMessageBatchRequest, body);
    const queue = broker.byUrl(request.QueueUrl);
    checkBatch(request.Entries.map((entry) => entry.Id));
    return inBatch(request.Entries, (entry) => {
      queue.delete(entry.ReceiptHandle);
      return { Id: entry.Id };
    });
  },
  ChangeMessageVisibility: async (body, { broker }) => {
    const request = parseRequest(ChangeMessageVisibilityRequest, body);
    broker.changeVisibility(broker.byUrl(request.QueueUrl), request.ReceiptHandle, request.VisibilityTimeout);
    return {};
  },
};

interface MessageToSend {
  readonly MessageBody: string;
  readonly DelaySeconds?: number | undefined;
  readonly MessageAttributes?: Readonly<Record<string, MessageAttributeValue>> | undefined;
}

function sendOne(broker: QueueBroker, queue: LocalQueue, message: MessageToSend): Record<string, string> {
  const attributes = messageAttributes(message.MessageAttributes ?? {});
  checkBody(message.MessageBody);
  const size = Object.entries(attributes).reduce(
    (total, [name, attribute]) =>
      total +
      Buffer.byteLength(name) +
      Buffer.byteLength(attribute.DataType) +
      (attribute.BinaryValue?.byteLength ?? Buffer.byteLength(attribute.StringValue ?? '')),
    Buffer.byteLength(message.MessageBody),
  );
  if (size > queue.settings.maximumMessageSize) {
    throw sqsErrors.invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${queue.settings.maximumMessageSize} bytes.`,
    );
  }
  const sent = broker.send(queue, {
    body: message.MessageBody,
    attributes,
    delaySeconds: message.DelaySeconds,
    senderId: LOCAL_ACCOUNT_ID,
  });
  return {
    MessageId: sent.messageId,
    MD5OfMessageBody: sent.md5OfBody,
    ...(sent.md5OfMessageAttributes === undefined
      ? {}
      : { MD5OfMessageAttributes: sent.md5OfMessageAttributes }),
  };
}

/** The characters SQS allows in a message (XML 1.0's): anything else is refused, not replaced. */
const FORBIDDEN_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function checkBody(body: string): void {
  if (body === '') throw sqsErrors.missingParameter('MessageBody');
  const forbidden = FORBIDDEN_CHARACTER.exec(body)?.[0];
  if (forbidden !== undefined) {
    const codePoint = (forbidden.codePointAt(0) ?? 0).toString(16).toUpperCase();
    throw sqsErrors.invalidMessageContents(
      `Invalid binary character '#x${codePoint}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const ATTRIBUTE_TYPE = /^(String|Number|Binary)(\..+)?$/;

function messageAttributes(
  attributes: Readonly<Record<string, MessageAttributeValue>>,
): Record<string, MessageAttribute> {
  const names = Object.keys(attributes);
  if (names.length > 10) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`,
    );
  }
  const stored: Record<string, MessageAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws|amazon)\./i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw sqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    const kind = ATTRIBUTE_TYPE.exec(value.DataType)?.[1];
    if (kind === undefined) {
      throw sqsErrors.invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    const empty = (): SqsError =>
      sqsErrors.invalidParameterValue(
        `Message (user) attribute '${name}' must contain a non-empty value of type '${kind}'.`,
      );
    if (kind === 'Binary') {
      const bytes = value.BinaryValue === undefined ? undefined : Buffer.from(value.BinaryValue, 'base64');
      if (bytes === undefined || bytes.byteLength === 0) throw empty();
      stored[name] = { DataType: value.DataType, BinaryValue: bytes };
      continue;
    }
    if (value.StringValue === undefined || value.StringValue === '') throw empty();
    if (
      kind === 'Number' &&
      (value.StringValue.trim() === '' || !Number.isFinite(Number(value.StringValue)))
    ) {
      throw sqsErrors.invalidParameterValue(
        `Can't cast the value of message (user) attribute '${name}' to a number.`,
      );
    }
    stored[name] = { DataType: value.DataType, StringValue: value.StringValue };
  }
  return stored;
}

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

function checkBatch(ids: readonly string[]): void {
  if (ids.length === 0) throw sqsErrors.emptyBatchRequest();
  if (ids.length > 10) throw sqsErrors.tooManyEntriesInBatchRequest(ids.length);
  const seen = new Set<string>();
  for (const id of ids) {
    if (!BATCH_ENTRY_ID.test(id)) throw sqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
}

/** Runs each batch entry on its own: an entry SQS would refuse goes to `Failed`, the rest succeed. */
function inBatch<Entry extends { readonly Id: string }>(
  entries: readonly Entry[],
  run: (entry: Entry) => Record<string, string>,
): Record<string, unknown> {
  const successful: Record<string, string>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      successful.push(run(entry));
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      failed.push({
        Id: entry.Id,
        SenderFault: error.fault === 'Sender',
        Code: error.queryCode,
        Message: error.message,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}

async function receiveWithLongPoll(
  broker: QueueBroker,
  queue: LocalQueue,
  options: { max: number; visibilityTimeoutSeconds: number; waitSeconds: number; signal: AbortSignal },
): Promise<Delivery[]> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (;;) {
    // A client that hung up while waiting must not take messages it will never see.
    if (options.signal.aborted) return [];
    const deliveries = broker.receive(queue, options.max, options.visibilityTimeoutSeconds);
    const now = Date.now();
    if (deliveries.length > 0 || now >= deadline) return deliveries;
    const nextVisibleAt = queue.nextVisibleAt(now) ?? deadline;
    await queue.changed(Math.min(deadline, nextVisibleAt) - now, options.signal);
  }
}

const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
] as const;

function renderDelivery(
  delivery: Delivery,
  systemAttributeNames: readonly string[],
  messageAttributeNames: readonly string[],
): Record<string, unknown> {
  const systemValues: Record<(typeof SYSTEM_ATTRIBUTES)[number], string | undefined> = {
    SenderId: delivery.senderId,
    SentTimestamp: String(delivery.sentTimestamp),
    ApproximateReceiveCount: String(delivery.receiveCount),
    ApproximateFirstReceiveTimestamp: String(delivery.firstReceiveTimestamp),
    DeadLetterQueueSourceArn: delivery.deadLetterQueueSourceArn,
  };
  const allSystem = systemAttributeNames.includes('All');
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = systemValues[name];
    if (value !== undefined && (allSystem || systemAttributeNames.includes(name))) attributes[name] = value;
  }

  const selected: Record<string, MessageAttribute> = {};
  for (const [name, attribute] of Object.entries(delivery.attributes)) {
    if (messageAttributeNames.some((pattern) => attributeNameMatches(pattern, name)))
      selected[name] = attribute;
  }
  const md5OfAttributes = md5OfMessageAttributes(selected);

  return {
    MessageId: delivery.messageId,
    ReceiptHandle: delivery.receiptHandle,
    MD5OfBody: delivery.md5OfBody,
    Body: delivery.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(md5OfAttributes === undefined
      ? {}
      : {
          MD5OfMessageAttributes: md5OfAttributes,
          MessageAttributes: Object.fromEntries(
            Object.entries(selected).map(([name, attribute]) => [
              name,
              attribute.BinaryValue === undefined
                ? { DataType: attribute.DataType, StringValue: attribute.StringValue }
                : {
                    DataType: attribute.DataType,
                    BinaryValue: Buffer.from(attribute.BinaryValue).toString('base64'),
                  },
            ]),
          ),
        }),
  };
}

/** `All` and `.*` select every attribute, `prefix.*` those under a prefix, anything else one name. */
function attributeNameMatches(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}
