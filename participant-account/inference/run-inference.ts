import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { ResultRecord } from '../../shared/contracts/results.js';
import type { TestingRecord } from '../../shared/contracts/testing-data.js';
import { type TeamModel, TeamModelError } from './team-model.js';

export interface BackoffOptions {
  /** The wait before the first retry, doubled for each one after. Default 500 ms. */
  readonly baseMs?: number;
  /** The longest wait between two attempts. Default 20 s. */
  readonly maxMs?: number;
}

export interface RunInferenceOptions {
  /** Model calls in flight at once. */
  readonly concurrency: number;
  /** Calls per record, the first included. Default 4. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** Passed to every call; the adapter's default otherwise. */
  readonly maxTokens?: number;
  /** After each record settles, answered or failed. */
  readonly onProgress?: (done: number, total: number, failed: number) => void;
  /** Stops the run: calls in flight are aborted and `runInference` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Injected for tests; a timer that the signal cuts short otherwise. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injected for tests; `Math.random` otherwise. */
  readonly random?: () => number;
}

export const DEFAULT_MAX_ATTEMPTS = 4;

/**
 * Runs every testing-data prompt through the team model: at most `concurrency` calls at once,
 * retryable failures (throttling, 5xx, timeouts) retried with exponential back-off and jitter. A
 * record that still fails gets an empty response and its `error`, and the run goes on: one bad prompt
 * does not cost the team the other answers. Results come back in input order.
 */
export async function runInference(
  records: readonly TestingRecord[],
  model: TeamModel,
  options: RunInferenceOptions,
): Promise<ResultRecord[]> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new Error('maxAttempts must be a whole number ≥ 1');
  const baseMs = options.backoff?.baseMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 20_000;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const random = options.random ?? Math.random;
  const signal = options.signal;
  const limit = pLimit(options.concurrency);
  const total = records.length;
  let done = 0;
  let failed = 0;

  /** Equal jitter: half the exponential step plus a random share of the other half, so a retry always waits. */
  const backoff = (retry: number, failure: TeamModelError): number => {
    const step = Math.min(maxMs, baseMs * 2 ** (retry - 1));
    return Math.max(step / 2 + random() * (step / 2), failure.retryAfterMs ?? 0);
  };

  const answer = async (record: TestingRecord): Promise<ResultRecord> => {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        const generation = await model.generate(record.prompt, {
          recordId: record.id,
          ...(signal ? { signal } : {}),
          ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
        });
        return {
          id: record.id,
          prompt: record.prompt,
          response: generation.text,
          model: model.modelName,
          latencyMs: Math.max(0, Math.round(generation.latencyMs)),
        };
      } catch (error) {
        // A stopped run is not a failed record: the whole run ends, with the signal's reason.
        signal?.throwIfAborted();
        const failure = asTeamModelError(error);
        if (failure.retryable && attempt < maxAttempts) {
          // An aborted wait ends the run with the signal's reason, as an aborted call does.
          await sleep(backoff(attempt, failure), signal).catch((error: unknown) => {
            signal?.throwIfAborted();
            throw error;
          });
          continue;
        }
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        return {
          id: record.id,
          prompt: record.prompt,
          response: '',
          model: model.modelName,
          error: `${failure.code}: ${failure.message}${tries}`,
        };
      }
    }
  };

  return Promise.all(
    records.map((record) =>
      limit(async () => {
        const result = await answer(record);
        done += 1;
        if (result.error !== undefined) failed += 1;
        options.onProgress?.(done, total, failed);
        return result;
      }),
    ),
  );
}

/** An adapter bug (anything but a TeamModelError) is recorded against the record, not retried. */
function asTeamModelError(error: unknown): TeamModelError {
  if (error instanceof TeamModelError) return error;
  return new TeamModelError('unknown', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
