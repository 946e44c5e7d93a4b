import * as z from 'zod';
import { type SqsError, sqsErrors } from './sqs-error.js';

/**
 * The request bodies of the operations the local SQS answers, in the AWS JSON 1.0 shapes that
 * `@aws-sdk/client-sqs` 3.x sends (blobs as base64 strings). Unknown members are ignored, as SQS
 * ignores members it does not use (e.g. `MessageGroupId` on a standard queue).
 */

const between = (min: number, max: number) =>
  z
    .int(`Must be an integer between ${min} and ${max}, if provided`)
    .min(min, `Must be between ${min} and ${max}, if provided`)
    .max(max, `Must be between ${min} and ${max}, if provided`);

const QueueUrl = z.string();

const MessageAttributeValue = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.base64('Must be base64-encoded binary data').optional(),
  StringListValues: z.array(z.string()).optional(),
  BinaryListValues: z.array(z.string()).optional(),
});
export type MessageAttributeValue = z.infer<typeof MessageAttributeValue>;

const MessageAttributes = z.record(z.string(), MessageAttributeValue);

export const CreateQueueRequest = z.object({
  QueueName: z.string(),
  Attributes: z.record(z.string(), z.string()).optional(),
});

export const GetQueueUrlRequest = z.object({ QueueName: z.string() });

export const ListQueuesRequest = z.object({ QueueNamePrefix: z.string().optional() });

export const QueueRequest = z.object({ QueueUrl });

export const GetQueueAttributesRequest = z.object({
  QueueUrl,
  AttributeNames: z.array(z.string()).optional(),
});

const MessageToSend = {
  MessageBody: z.string(),
  DelaySeconds: between(0, 900).optional(),
  MessageAttributes: MessageAttributes.optional(),
};

export const SendMessageRequest = z.object({ QueueUrl, ...MessageToSend });

export const SendMessageBatchRequest = z.object({
  QueueUrl,
  Entries: z.array(z.object({ Id: z.string(), ...MessageToSend })),
});

export const ReceiveMessageRequest = z.object({
  QueueUrl,
  AttributeNames: z.array(z.string()).optional(),
  MessageSystemAttributeNames: z.array(z.string()).optional(),
  MessageAttributeNames: z.array(z.string()).optional(),
  MaxNumberOfMessages: between(1, 10).optional(),
  VisibilityTimeout: between(0, 43_200).optional(),
  WaitTimeSeconds: between(0, 20).optional(),
});

export const DeleteMessageRequest = z.object({ QueueUrl, ReceiptHandle: z.string() });

export const DeleteMessageBatchRequest = z.object({
  QueueUrl,
  Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string() })),
});

export const ChangeMessageVisibilityRequest = z.object({
  QueueUrl,
  ReceiptHandle: z.string(),
  VisibilityTimeout: between(0, 43_200),
});

/** Parses a request body, turning the first problem into the error SQS would answer with. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw requestError(parsed.error, body);
}

function requestError(error: z.ZodError, body: unknown): SqsError {
  const issue = error.issues[0];
  if (issue === undefined) return sqsErrors.invalidParameterValue('The request is invalid.');
  const parameter = issue.path.map(String).join('.');
  const value = valueAt(body, issue.path);
  if (value === undefined) return sqsErrors.missingParameter(parameter);
  return sqsErrors.invalidParameterValue(
    `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${parameter} is invalid. Reason: ${issue.message}.`,
  );
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
