import * as z from 'zod';
import {
  DEFAULT_QUEUE_SETTINGS,
  type Delivery,
  LocalQueue,
  type QueueCounts,
  type QueueSettings,
  type RedrivePolicy,
  type SentMessage,
} from './local-queue.js';
import { sqsErrors } from './sqs-error.js';

/** The account id every local queue lives in, as in LocalStack and the AWS docs' examples. */
export const LOCAL_ACCOUNT_ID = '000000000000';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Queue attributes SQS accepts that the local SQS stores nowhere (encryption, access policy). */
const ACCEPTED_AND_IGNORED = new Set([
  'Policy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'RedriveAllowPolicy',
]);

const COUNT_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;
const READABLE_ATTRIBUTES = new Set<string>([
  ...COUNT_ATTRIBUTES,
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  ...ACCEPTED_AND_IGNORED,
]);

/** Integer queue attributes and the ranges SQS allows for them. */
const INTEGER_ATTRIBUTES = {
  DelaySeconds: { key: 'delaySeconds', min: 0, max: 900 },
  MaximumMessageSize: { key: 'maximumMessageSize', min: 1024, max: 1_048_576 },
  MessageRetentionPeriod: { key: 'messageRetentionPeriodSeconds', min: 60, max: 1_209_600 },
  ReceiveMessageWaitTimeSeconds: { key: 'receiveMessageWaitTimeSeconds', min: 0, max: 20 },
  VisibilityTimeout: { key: 'visibilityTimeoutSeconds', min: 0, max: 43_200 },
} as const satisfies Record<string, { key: keyof QueueSettings; min: number; max: number }>;

const RedrivePolicyAttribute = z.object({
  deadLetterTargetArn: z.string().min(1),
  // SQS documents a number, and the console and CLI write it as a string; both are accepted.
  maxReceiveCount: z.coerce.number().int().min(1).max(1000),
});

type SettingsChange = { -readonly [K in keyof QueueSettings]?: QueueSettings[K] };

/** The queues of one local SQS, looked up by name, URL or ARN, with redrive between them. */
export class QueueBroker {
  private readonly queues = new Map<string, LocalQueue>();

  constructor(
    private readonly baseUrl: string,
    private readonly region: string,
  ) {}

  urlOf(name: string): string {
    return `${this.baseUrl}/${LOCAL_ACCOUNT_ID}/${name}`;
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${LOCAL_ACCOUNT_ID}:${name}`;
  }

  /** CreateQueue: creates the queue, or returns the existing one when no given attribute differs. */
  create(name: string, attributes: Readonly<Record<string, string>> = {}): LocalQueue {
    if (name.endsWith('.fifo') || attributes.FifoQueue === 'true') {
      throw sqsErrors.unsupportedOperation('The local SQS implements standard queues only, not FIFO queues.');
    }
    if (!QUEUE_NAME.test(name)) {
      throw sqsErrors.invalidParameterValue(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const changes = this.settingsFrom(attributes);
    const existing = this.queues.get(name);
    if (existing !== undefined) {
      for (const [key, value] of Object.entries(changes) as [keyof QueueSettings, unknown][]) {
        if (JSON.stringify(existing.settings[key]) !== JSON.stringify(value)) {
          throw sqsErrors.queueNameExists(attributeNameOf(key));
        }
      }
      return existing;
    }
    const queue = new LocalQueue(
      name,
      this.arnOf(name),
      this.urlOf(name),
      { ...DEFAULT_QUEUE_SETTINGS, ...changes },
      Date.now(),
    );
    this.queues.set(name, queue);
    return queue;
  }

  byName(name: string): LocalQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw sqsErrors.queueDoesNotExist();
    return queue;
  }

  /** Any host is accepted (localhost, 127.0.0.1, a container name): the path names the queue. */
  byUrl(queueUrl: string): LocalQueue {
    let segments: string[];
    try {
      segments = new URL(queueUrl).pathname.split('/').filter((segment) => segment !== '');
    } catch {
      throw sqsErrors.queueDoesNotExist();
    }
    const [account, name, ...rest] = segments;
    if (account !== LOCAL_ACCOUNT_ID || name === undefined || rest.length > 0)
      throw sqsErrors.queueDoesNotExist();
    return this.byName(name);
  }

  list(prefix = ''): LocalQueue[] {
    return [...this.queues.values()].filter((queue) => queue.name.startsWith(prefix));
  }

  send(queue: LocalQueue, message: Parameters<LocalQueue['send']>[0]): SentMessage {
    return queue.send(message, Date.now());
  }

  receive(queue: LocalQueue, max: number, visibilityTimeoutSeconds: number): Delivery[] {
    const now = Date.now();
    return queue.receive(max, visibilityTimeoutSeconds, now, (message) => {
      const target = this.byArnIfPresent(queue.settings.redrivePolicy?.deadLetterTargetArn);
      if (target === undefined) return false;
      target.adopt(message, queue.arn, now);
      return true;
    });
  }

  changeVisibility(queue: LocalQueue, receiptHandle: string, visibilityTimeoutSeconds: number): void {
    queue.changeVisibility(receiptHandle, visibilityTimeoutSeconds, Date.now());
  }

  counts(queue: LocalQueue): QueueCounts {
    return queue.counts(Date.now());
  }

  /** GetQueueAttributes: the named attributes (or `All`), as SQS's string map. */
  attributes(queue: LocalQueue, names: readonly string[]): Record<string, string> {
    for (const name of names) {
      if (name !== 'All' && !READABLE_ATTRIBUTES.has(name)) throw sqsErrors.invalidAttributeName(name);
    }
    const wanted = (name: string): boolean => names.includes('All') || names.includes(name);
    const counts = this.counts(queue);
    const { settings } = queue;
    const all: Record<string, string | undefined> = {
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      QueueArn: queue.arn,
      DelaySeconds: String(settings.delaySeconds),
      MaximumMessageSize: String(settings.maximumMessageSize),
      MessageRetentionPeriod: String(settings.messageRetentionPeriodSeconds),
      ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
      VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
      RedrivePolicy:
        settings.redrivePolicy === undefined ? undefined : JSON.stringify(settings.redrivePolicy),
    };
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(all)) {
      if (value !== undefined && wanted(name)) result[name] = value;
    }
    return result;
  }

  private byArnIfPresent(arn: string | undefined): LocalQueue | undefined {
    const prefix = this.arnOf('');
    if (arn === undefined || !arn.startsWith(prefix)) return undefined;
    return this.queues.get(arn.slice(prefix.length));
  }

  private settingsFrom(attributes: Readonly<Record<string, string>>): SettingsChange {
    const settings: SettingsChange = {};
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'RedrivePolicy') {
        settings.redrivePolicy = value === '' ? undefined : this.redrivePolicyFrom(value);
      } else if (name in INTEGER_ATTRIBUTES) {
        const { key, min, max } = INTEGER_ATTRIBUTES[name as keyof typeof INTEGER_ATTRIBUTES];
        const number = Number(value);
        if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
          throw sqsErrors.invalidAttributeValue(name);
        }
        settings[key] = number;
      } else if (!ACCEPTED_AND_IGNORED.has(name)) {
        throw sqsErrors.invalidAttributeName(name);
      }
    }
    return settings;
  }

  private redrivePolicyFrom(value: string): RedrivePolicy {
    const invalid = (reason: string) =>
      sqsErrors.invalidParameterValue(
        `Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`,
      );
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      throw invalid('Redrive policy is not a valid JSON map.');
    }
    const parsed = RedrivePolicyAttribute.safeParse(json);
    if (!parsed.success) {
      throw invalid('Redrive policy needs a deadLetterTargetArn and a maxReceiveCount between 1 and 1000.');
    }
    if (this.byArnIfPresent(parsed.data.deadLetterTargetArn) === undefined) {
      throw invalid('Dead letter target does not exist.');
    }
    return parsed.data;
  }
}

function attributeNameOf(key: keyof QueueSettings): string {
  if (key === 'redrivePolicy') return 'RedrivePolicy';
  const entry = Object.entries(INTEGER_ATTRIBUTES).find(([, spec]) => spec.key === key);
  return entry?.[0] ?? key;
}
