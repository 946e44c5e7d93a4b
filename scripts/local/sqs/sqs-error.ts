/**
 * An error in the shape SQS's AWS JSON 1.0 protocol answers with: `__type` (the Smithy shape id),
 * `message`, and the `x-amzn-query-error: <query code>;Sender` header. The SDK is generated with
 * `awsQueryCompatible`, so it picks the error class from the query code (falling back to `__type`)
 * and exposes that code as `error.Code`.
 */
export class SqsError extends Error {
  override readonly name = 'SqsError';

  constructor(
    /** Smithy shape id, e.g. `com.amazonaws.sqs#QueueDoesNotExist`. */
    readonly type: string,
    /** The legacy query-protocol code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly queryCode: string,
    readonly status: number,
    message: string,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const sqs = (shape: string): string => `com.amazonaws.sqs#${shape}`;

/** The errors the local SQS raises, with the codes and statuses of the SQS model (client-sqs 3.x). */
export const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsError(
      sqs('QueueDoesNotExist'),
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
      'The specified queue does not exist.',
    ),
  queueNameExists: (attribute: string) =>
    new SqsError(
      sqs('QueueNameExists'),
      'QueueAlreadyExists',
      400,
      `A queue already exists with the same name and a different value for attribute ${attribute}`,
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError(
      sqs('ReceiptHandleIsInvalid'),
      'ReceiptHandleIsInvalid',
      404,
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    ),
  messageNotInflight: () =>
    new SqsError(
      sqs('MessageNotInflight'),
      'AWS.SimpleQueueService.MessageNotInflight',
      400,
      'The message referred to is not in flight.',
    ),
  /** Not a modelled shape: the SDK raises it as an `SQSServiceException` named `InvalidParameterValue`. */
  invalidParameterValue: (message: string) =>
    new SqsError(sqs('InvalidParameterValue'), 'InvalidParameterValue', 400, message),
  missingParameter: (parameter: string) =>
    new SqsError(
      sqs('MissingParameter'),
      'MissingParameter',
      400,
      `The request must contain the parameter ${parameter}.`,
    ),
  invalidAttributeName: (attribute: string) =>
    new SqsError(sqs('InvalidAttributeName'), 'InvalidAttributeName', 400, `Unknown Attribute ${attribute}.`),
  invalidAttributeValue: (attribute: string) =>
    new SqsError(
      sqs('InvalidAttributeValue'),
      'InvalidAttributeValue',
      400,
      `Invalid value for the parameter ${attribute}.`,
    ),
  invalidMessageContents: (message: string) =>
    new SqsError(sqs('InvalidMessageContents'), 'InvalidMessageContents', 400, message),
  emptyBatchRequest: () =>
    new SqsError(
      sqs('EmptyBatchRequest'),
      'AWS.SimpleQueueService.EmptyBatchRequest',
      400,
      'There should be at least one entry in the request.',
    ),
  tooManyEntriesInBatchRequest: (count: number) =>
    new SqsError(
      sqs('TooManyEntriesInBatchRequest'),
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      400,
      `Maximum number of entries per request are 10. You have sent ${count}.`,
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new SqsError(
      sqs('BatchEntryIdsNotDistinct'),
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      400,
      `Id ${id} repeated.`,
    ),
  invalidBatchEntryId: () =>
    new SqsError(
      sqs('InvalidBatchEntryId'),
      'AWS.SimpleQueueService.InvalidBatchEntryId',
      400,
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    ),
  unsupportedOperation: (message: string) =>
    new SqsError(sqs('UnsupportedOperation'), 'AWS.SimpleQueueService.UnsupportedOperation', 400, message),
  unknownOperation: (message: string) =>
    new SqsError('com.amazon.coral.service#UnknownOperationException', 'UnknownOperation', 400, message),
  serialization: (message: string) =>
    new SqsError('com.amazon.coral.service#SerializationException', 'SerializationException', 400, message),
  internalFailure: () =>
    new SqsError(
      'com.amazon.coral.service#InternalFailure',
      'InternalFailure',
      500,
      'The request processing has failed because of an unknown error, exception or failure.',
      'Receiver',
    ),
};
