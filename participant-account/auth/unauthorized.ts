import { HttpError } from '../../shared/lambda/errors.js';

/** Why a request was refused, sent as `details.reason`: the web app signs in again on `expired`. */
export type UnauthorizedReason =
  | 'missing-token'
  | 'malformed-header'
  | 'malformed-token'
  | 'invalid-signature'
  | 'unknown-key'
  | 'wrong-issuer'
  | 'wrong-client'
  | 'wrong-token-use'
  | 'expired'
  | 'not-yet-valid'
  | 'missing-claims';

/** The caller is not signed in to this team's pool, or their token cannot be trusted: 401. */
export class Unauthorized extends HttpError {
  override readonly name = 'Unauthorized';
  readonly status = 401;
  constructor(
    message: string,
    readonly reason: UnauthorizedReason,
  ) {
    super(message, { reason });
  }
}
