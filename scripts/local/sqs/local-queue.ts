import { randomBytes, randomUUID } from 'node:crypto';
import { md5OfBody, md5OfMessageAttributes } from './digest.js';
import { sqsErrors } from './sqs-error.js';

/** A message attribute as stored: the SQS wire shape with the binary value decoded. */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string | undefined;
  readonly BinaryValue?: Uint8Array | undefined;
}

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export interface QueueSettings {
  readonly visibilityTimeoutSeconds: number;
  readonly delaySeconds: number;
  readonly receiveMessageWaitTimeSeconds: number;
  readonly messageRetentionPeriodSeconds: number;
  readonly maximumMessageSize: number;
  readonly redrivePolicy: RedrivePolicy | undefined;
}

/** SQS's defaults for a new standard queue (1 MiB since SQS raised the payload limit in 2025). */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  visibilityTimeoutSeconds: 30,
  delaySeconds: 0,
  receiveMessageWaitTimeSeconds: 0,
  messageRetentionPeriodSeconds: 345_600,
  maximumMessageSize: 1_048_576,
  redrivePolicy: undefined,
};

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly deadLetterQueueSourceArn: string | undefined;
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp: number | undefined;
  /** The handle of the latest receive; only it deletes the message or changes its visibility. */
  receiptHandle: string | undefined;
}

/** One message as a receive hands it out: a copy, so later changes to the queue do not leak into a reply. */
export interface Delivery {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  readonly receiveCount: number;
  readonly sentTimestamp: number;
  readonly firstReceiveTimestamp: number;
  readonly senderId: string;
  readonly deadLetterQueueSourceArn: string | undefined;
}

export interface SentMessage {
  readonly messageId: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes: string | undefined;
}

export interface QueueCounts {
  /** Ready to be received: `ApproximateNumberOfMessages`. */
  readonly visible: number;
  /** Received and not yet deleted or returned: `ApproximateNumberOfMessagesNotVisible`. */
  readonly inFlight: number;
  /** Sent with a delay that has not yet passed: `ApproximateNumberOfMessagesDelayed`. */
  readonly delayed: number;
}

const RECEIPT_HANDLE = /^([0-9a-f-]{36}):[0-9a-f]{32}$/;

/**
 * One standard queue held in memory. Time is passed in (epoch milliseconds) rather than read, so
 * the rules here (visibility, delay, retention, receive counts) read as plain state changes.
 */
export class LocalQueue {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly url: string,
    public settings: QueueSettings,
    readonly createdAt: number,
  ) {}

  send(
    input: {
      readonly body: string;
      readonly attributes: Readonly<Record<string, MessageAttribute>>;
      readonly delaySeconds: number | undefined;
      readonly senderId: string;
    },
    now: number,
  ): SentMessage {
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      attributes: input.attributes,
      sentTimestamp: now,
      senderId: input.senderId,
      deadLetterQueueSourceArn: undefined,
      visibleAt: now + (input.delaySeconds ?? this.settings.delaySeconds) * 1000,
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      receiptHandle: undefined,
    };
    this.messages.set(message.messageId, message);
    this.notify();
    return {
      messageId: message.messageId,
      md5OfBody: message.md5OfBody,
      md5OfMessageAttributes: md5OfMessageAttributes(message.attributes),
    };
  }

  /**
   * Hands out up to `max` visible messages, hiding each for `visibilityTimeoutSeconds`. A message
   * already received `maxReceiveCount` times goes to `deadLetter` instead, as SQS moves it when a
   * receive would take its count past the limit.
   */
  receive(
    max: number,
    visibilityTimeoutSeconds: number,
    now: number,
    deadLetter: ((message: Delivery) => boolean) | undefined,
  ): Delivery[] {
    this.expire(now);
    const deliveries: Delivery[] = [];
    const maxReceiveCount = this.settings.redrivePolicy?.maxReceiveCount;
    for (const message of this.messages.values()) {
      if (deliveries.length >= max) break;
      if (message.visibleAt > now) continue;
      if (
        deadLetter !== undefined &&
        maxReceiveCount !== undefined &&
        message.receiveCount >= maxReceiveCount &&
        deadLetter(snapshot(message, message.receiptHandle ?? '', now))
      ) {
        this.messages.delete(message.messageId);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = newReceiptHandle(message.messageId);
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      deliveries.push(snapshot(message, message.receiptHandle, now));
    }
    return deliveries;
  }

  /** Takes in a message moved here by a redrive policy: ready at once, its history kept. */
  adopt(message: Delivery, sourceArn: string, now: number): void {
    this.messages.set(message.messageId, {
      messageId: message.messageId,
      body: message.body,
      md5OfBody: message.md5OfBody,
      attributes: message.attributes,
      // Standard queues keep the original enqueue time when moving a message to a dead-letter queue.
      sentTimestamp: message.sentTimestamp,
      senderId: message.senderId,
      deadLetterQueueSourceArn: sourceArn,
      visibleAt: now,
      receiveCount: message.receiveCount,
      firstReceiveTimestamp: message.firstReceiveTimestamp,
      receiptHandle: undefined,
    });
    this.notify();
  }

  /**
   * Deletes the message a receipt handle was issued for. A well-formed handle whose message is gone,
   * or that a later receive has superseded, deletes nothing and is not an error, as on SQS.
   */
  delete(receiptHandle: string): void {
    const message = this.messageFor(receiptHandle);
    if (message?.receiptHandle === receiptHandle) this.messages.delete(message.messageId);
  }

  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number, now: number): void {
    const message = this.messageFor(receiptHandle);
    if (message === undefined || message.receiptHandle !== receiptHandle) {
      throw sqsErrors.invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    if (message.visibleAt <= now) throw sqsErrors.messageNotInflight();
    message.visibleAt = now + visibilityTimeoutSeconds * 1000;
    if (visibilityTimeoutSeconds === 0) this.notify();
  }

  purge(): void {
    this.messages.clear();
  }

  counts(now: number): QueueCounts {
    this.expire(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages.values()) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receiveCount > 0) inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** When the next hidden message (delayed or in flight) becomes visible, if any is hidden. */
  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now && (next === undefined || message.visibleAt < next))
        next = message.visibleAt;
    }
    return next;
  }

  /** Resolves when a message may have become receivable, after `timeoutMs`, or on abort. */
  changed(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(finish);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, timeoutMs));
      this.listeners.add(finish);
      signal.addEventListener('abort', finish, { once: true });
      if (signal.aborted) finish();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private messageFor(receiptHandle: string): StoredMessage | undefined {
    const messageId = RECEIPT_HANDLE.exec(Buffer.from(receiptHandle, 'base64url').toString('utf8'))?.[1];
    if (messageId === undefined) throw sqsErrors.receiptHandleIsInvalid(receiptHandle);
    return this.messages.get(messageId);
  }

  private expire(now: number): void {
    const oldest = now - this.settings.messageRetentionPeriodSeconds * 1000;
    for (const message of this.messages.values()) {
      if (message.sentTimestamp <= oldest) this.messages.delete(message.messageId);
    }
  }
}

function newReceiptHandle(messageId: string): string {
  return Buffer.from(`${messageId}:${randomBytes(16).toString('hex')}`, 'utf8').toString('base64url');
}

function snapshot(message: StoredMessage, receiptHandle: string, now: number): Delivery {
  return {
    messageId: message.messageId,
    receiptHandle,
    body: message.body,
    md5OfBody: message.md5OfBody,
    attributes: message.attributes,
    receiveCount: message.receiveCount,
    sentTimestamp: message.sentTimestamp,
    firstReceiveTimestamp: message.firstReceiveTimestamp ?? now,
    senderId: message.senderId,
    deadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
  };
}
