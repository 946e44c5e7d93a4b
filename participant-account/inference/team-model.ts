/**
 * The port every team-model adapter implements (SageMaker endpoint, Bedrock Converse, an
 * OpenAI-compatible server, a replayed results file). Inference code asks for a completion and reads
 * text back; it never sees a provider's wire format or its SDK errors, only a {@link TeamModelError}.
 */
export interface GenerateOptions {
  /** Most new tokens to generate; each adapter has its own default. */
  readonly maxTokens?: number;
  /** Aborts the call (the run was stopped); the adapter then throws a `TeamModelError` coded `aborted`. */
  readonly signal?: AbortSignal;
  /** The testing-data record the prompt belongs to: only the replay adapter needs it. */
  readonly recordId?: string;
}

export interface Generation {
  readonly text: string;
  /** Wall-clock time of the successful call, in whole milliseconds. */
  readonly latencyMs: number;
}

export interface TeamModel {
  /** What results files and evaluation requests name the model by. */
  readonly modelName: string;
  generate(prompt: string, options?: GenerateOptions): Promise<Generation>;
}

/**
 * Why a call failed. `throttled`, `unavailable`, `timeout` and `network` are worth retrying; the others
 * fail the same way on every attempt (a bad request, a prompt the model errors on, a missing endpoint).
 */
export type TeamModelErrorCode =
  | 'throttled'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'invalid-request'
  | 'access-denied'
  | 'not-found'
  | 'model-error'
  | 'bad-response'
  | 'unknown';

const RETRYABLE: ReadonlySet<TeamModelErrorCode> = new Set([
  'throttled',
  'unavailable',
  'timeout',
  'network',
]);

export class TeamModelError extends Error {
  override readonly name = 'TeamModelError';
  readonly retryable: boolean;
  /** The provider's own error name (`ThrottlingException`, `ModelError`, `HTTP 503`, ...). */
  readonly providerCode: string | undefined;
  /** A server's Retry-After, when it sent one: the least time to wait before the next attempt. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: TeamModelErrorCode,
    message: string,
    options: {
      readonly providerCode?: string;
      readonly retryAfterMs?: number;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = RETRYABLE.has(code);
    this.providerCode = options.providerCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Milliseconds since `start` (a `performance.now()` reading), as the whole number results files hold. */
export function elapsedMs(start: number): number {
  return Math.max(0, Math.round(performance.now() - start));
}
