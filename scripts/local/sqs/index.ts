/**
 * A local SQS (AWS JSON 1.0 protocol, standard queues in memory, redrive to a DLQ) and a local
 * event source mapping that drives the League's SQS-triggered handlers from it, so the real
 * handlers and the real `@aws-sdk/client-sqs` run unchanged on one machine.
 */
export { md5OfBody, md5OfMessageAttributes } from './digest.js';
export type { QueueCounts } from './local-queue.js';
export { type LocalSqs, LocalSqsOptions, startLocalSqs } from './local-sqs.js';
export {
  InvalidBatchResponseError,
  type PollQueueOptions,
  pollQueue,
  type SqsEventHandler,
  type SqsEventSource,
  sqsRecord,
} from './poll-queue.js';
export { LOCAL_ACCOUNT_ID } from './queue-broker.js';
