import { TeamModelError, type TeamModelErrorCode } from '../team-model.js';

/** Default limit on one model call: generous, since a long answer from a large model takes a while. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/**
 * The signal one call runs under: the caller's (the run was stopped) joined with a per-call timeout,
 * kept apart so that a failure can say which of the two fired.
 */
export function callSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** The error for a call cut short: `aborted` when the caller stopped it, `timeout` when the clock did. */
export function abortedOrTimedOut(signal: AbortSignal | undefined, provider: string, cause: unknown) {
  return signal?.aborted
    ? new TeamModelError('aborted', `${provider} call aborted`, { cause })
    : new TeamModelError('timeout', `${provider} call timed out`, { cause });
}

/** The AWS SDK v3 error fields read here (service exceptions and transport errors alike). */
interface SdkFailure {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  /** SageMaker `ModelError`: what the model container answered. */
  readonly OriginalStatusCode?: unknown;
  readonly OriginalMessage?: unknown;
}

const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // Bedrock's answer when a request would exceed the on-demand tokens-per-minute quota.
  'ServiceQuotaExceededException',
]);
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerException',
  'InternalDependencyException',
  // A SageMaker endpoint scaling from zero, a Bedrock imported model being loaded: ready shortly.
  'ModelNotReadyException',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Maps an AWS SDK error from SageMaker Runtime or Bedrock Runtime to a {@link TeamModelError}.
 * Throttling, 5xx and a model not yet loaded are retryable; a SageMaker `ModelError` (the container
 * itself answered with an error) is retryable only when that answer was 429 or 503, i.e. the model
 * server was busy, not failing on this prompt.
 */
export function teamModelErrorFromSdk(
  error: unknown,
  provider: string,
  signal?: AbortSignal,
): TeamModelError {
  if (error instanceof TeamModelError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SdkFailure;
  const name = typeof failure.name === 'string' ? failure.name : 'Error';
  const message = `${provider}: ${typeof failure.message === 'string' ? failure.message : String(error)}`;
  const status = failure.$metadata?.httpStatusCode;
  const make = (code: TeamModelErrorCode, text = message) =>
    new TeamModelError(code, text, { providerCode: name, cause: error });

  if (name === 'AbortError' || name === 'TimeoutError') return abortedOrTimedOut(signal, provider, error);
  if (name === 'ModelError') {
    const original = failure.OriginalStatusCode;
    const detail = typeof failure.OriginalMessage === 'string' ? `: ${failure.OriginalMessage}` : '';
    const text = `${message} (model answered ${String(original ?? 'an error')}${detail})`;
    if (original === 429) return make('throttled', text);
    if (original === 503) return make('unavailable', text);
    return make('model-error', text);
  }
  if (THROTTLED.has(name)) return make('throttled');
  if (UNAVAILABLE.has(name)) return make('unavailable');
  if (name === 'ModelTimeoutException') return make('timeout');
  if (name === 'ModelErrorException') return make('model-error');
  if (ACCESS_DENIED.has(name)) return make('access-denied');
  if (name === 'ResourceNotFoundException') return make('not-found');
  // SageMaker answers a missing endpoint with `ValidationError: Endpoint x of account y not found.`
  if (name === 'ValidationError' || name === 'ValidationException')
    return make(/not found/i.test(message) ? 'not-found' : 'invalid-request');
  if (typeof failure.code === 'string' && NETWORK.has(failure.code)) return make('network');
  if (status === 429) return make('throttled');
  if ((typeof status === 'number' && status >= 500) || failure.$fault === 'server')
    return make('unavailable');
  if (typeof status === 'number' && status >= 400) return make('invalid-request');
  return make('unknown');
}
