/** S3 error replies, worded as S3 words them, for what the front answers itself. */
export interface S3ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly detail: Readonly<Record<string, string>>;
}

export function preconditionFailed(condition: 'If-Match' | 'If-None-Match'): S3ErrorReply {
  return {
    status: 412,
    code: 'PreconditionFailed',
    message: 'At least one of the pre-conditions you specified did not hold',
    detail: { Condition: condition },
  };
}

export function notImplemented(header: string): S3ErrorReply {
  return {
    status: 501,
    code: 'NotImplemented',
    message: 'A header you provided implies functionality that is not implemented',
    detail: { Header: header },
  };
}

export function invalidArgument(argument: string, value: string, message: string): S3ErrorReply {
  return {
    status: 400,
    code: 'InvalidArgument',
    message,
    detail: { ArgumentName: argument, ArgumentValue: value },
  };
}

export function noSuchBucket(bucket: string): S3ErrorReply {
  return {
    status: 404,
    code: 'NoSuchBucket',
    message: 'The specified bucket does not exist',
    detail: { BucketName: bucket },
  };
}

/** An unexpected failure in the front itself. */
export const internalError: S3ErrorReply = {
  status: 500,
  code: 'InternalError',
  message: 'We encountered an internal error. Please try again.',
  detail: {},
};

export function errorXml(error: S3ErrorReply, requestId: string): string {
  const fields = { Code: error.code, Message: error.message, ...error.detail, RequestId: requestId };
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${body}</Error>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
