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

/** A presigned POST whose policy refuses the upload: expired, or a condition that does not hold. */
export function accessDenied(message: string): S3ErrorReply {
  return { status: 403, code: 'AccessDenied', message, detail: {} };
}

/** A policy that is not a policy: bad base64 or JSON, no expiration, a condition S3 cannot read. */
export function invalidPolicyDocument(message: string): S3ErrorReply {
  return { status: 400, code: 'InvalidPolicyDocument', message, detail: {} };
}

/** The file of a POST upload is over the policy's `content-length-range` (its size is not known yet). */
export function entityTooLarge(maxSizeAllowed: number): S3ErrorReply {
  return {
    status: 400,
    code: 'EntityTooLarge',
    message: 'Your proposed upload exceeds the maximum allowed size',
    detail: { MaxSizeAllowed: String(maxSizeAllowed) },
  };
}

export function entityTooSmall(proposedSize: number, minSizeAllowed: number): S3ErrorReply {
  return {
    status: 400,
    code: 'EntityTooSmall',
    message: 'Your proposed upload is smaller than the minimum allowed size',
    detail: { ProposedSize: String(proposedSize), MinSizeAllowed: String(minSizeAllowed) },
  };
}

export const malformedPostRequest: S3ErrorReply = {
  status: 400,
  code: 'MalformedPOSTRequest',
  message: 'The body of your POST request is not well-formed multipart/form-data.',
  detail: {},
};

export const maxPostPreDataLengthExceeded: S3ErrorReply = {
  status: 400,
  code: 'MaxPostPreDataLengthExceededError',
  message: 'Your POST request fields preceding the upload file were too large.',
  detail: {},
};

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
