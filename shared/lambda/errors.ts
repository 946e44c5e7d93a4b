/**
 * Typed errors a use case may throw; the HTTP error mapper turns each into its status code with a
 * JSON body `{error, message, details?}`. Anything else becomes a 500 with a generic message.
 */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class Invalid extends HttpError {
  override readonly name = 'Invalid';
  readonly status = 400;
}

export class Forbidden extends HttpError {
  override readonly name = 'Forbidden';
  readonly status = 403;
}

export class NotFound extends HttpError {
  override readonly name = 'NotFound';
  readonly status = 404;
}

export class Conflict extends HttpError {
  override readonly name = 'Conflict';
  readonly status = 409;
}

export class PayloadTooLarge extends HttpError {
  override readonly name = 'PayloadTooLarge';
  readonly status = 413;
}

export class UnsupportedMediaType extends HttpError {
  override readonly name = 'UnsupportedMediaType';
  readonly status = 415;
}

export class TooManyRequests extends HttpError {
  override readonly name = 'TooManyRequests';
  readonly status = 429;
  constructor(
    message: string,
    /** When the caller may try again (ISO 8601), also sent as Retry-After. */
    readonly retryAt: string,
  ) {
    super(message, { retryAt });
  }
}
