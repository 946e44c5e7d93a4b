import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { IsoDateTime, RecordId } from '../../shared/contracts/common.js';
import type { ResultRecord } from '../../shared/contracts/results.js';
import { TestingRecord } from '../../shared/contracts/testing-data.js';
import { parseJsonl } from '../../shared/jsonl/parse-jsonl.js';
import { Invalid, NotFound } from '../../shared/lambda/errors.js';
import { logger } from '../../shared/lambda/logger.js';
import { readJson, updateJson } from '../../shared/storage/json-object.js';
import { objectKey } from '../../shared/storage/object-key.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { ValidationReport } from '../validation/report.js';
import { type RunInferenceOptions, runInference } from './run-inference.js';
import type { TeamModel } from './team-model.js';

/**
 * An id that is safe as one key segment: testing-data ids (`td-` + base64url, so `_` included) and
 * run ids. No `/`, so an id can never reach outside its prefix.
 */
const KeySegmentId = z.string().regex(/^[\w.:-]{1,128}$/, 'must be 1–128 characters of A–Z a–z 0–9 _ . : -');

export const InferenceRunStatus = z.enum(['queued', 'running', 'completed', 'failed']);
export type InferenceRunStatus = z.infer<typeof InferenceRunStatus>;

/** One inference run over a validated testing-data set, as stored at `runs/{runId}.json`. */
export const InferenceRun = z.object({
  /** A random UUID: URL-safe, and a valid record id (it names the results file and, later, a submission). */
  runId: RecordId,
  testingDataId: KeySegmentId,
  status: InferenceRunStatus,
  total: z.number().int().nonnegative(),
  /** Records settled so far, answered or failed. */
  done: z.number().int().nonnegative(),
  /** Records whose model call failed for good (they are in the results, with their `error`). */
  failed: z.number().int().nonnegative(),
  /** The team model's name, as the results file carries it; set once the run starts. */
  model: z.string().optional(),
  /** Where the results JSONL is in the results store; set when the run completes. */
  resultsKey: z.string().optional(),
  /** SHA-256 (hex) of the results file, as an evaluation request states it. */
  resultsSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** When the run was requested. */
  startedAt: IsoDateTime,
  updatedAt: IsoDateTime,
  finishedAt: IsoDateTime.optional(),
  /** Why the run failed, in words the team can act on. */
  error: z.string().optional(),
});
export type InferenceRun = z.infer<typeof InferenceRun>;

/** Where each thing lives: `state` holds runs and validation reports, the other stores what they say. */
export const inferenceKeys = {
  run: (runId: string) => objectKey('runs', `${runId}.json`),
  report: (testingDataId: string) => objectKey('reports', `${testingDataId}.json`),
  validated: (testingDataId: string) => objectKey('validated', `${testingDataId}.jsonl`),
  results: (runId: string) => objectKey('results', `${runId}.jsonl`),
};

/** Starts the runner for a queued run (on AWS, an asynchronous invoke of the inference-runner Lambda). */
export interface InferenceDispatcher {
  dispatch(runId: string): Promise<void>;
}

export interface StartRunDeps {
  /** Runs and validation reports. */
  readonly state: ObjectStore;
  /** Validated testing data. */
  readonly validated: ObjectStore;
  readonly dispatcher: InferenceDispatcher;
  readonly now: () => Date;
  /** Injected for tests; `randomUUID` otherwise. */
  readonly newRunId?: () => string;
}

export interface ExecuteRunDeps {
  readonly state: ObjectStore;
  readonly validated: ObjectStore;
  /** Where results files go: the team's results bucket, which submissions are presigned from. */
  readonly results: ObjectStore;
  /** Built when the run starts, so that a model that cannot be set up fails the run with the reason. */
  readonly teamModel: () => Promise<TeamModel>;
  readonly concurrency: number;
  /** Retry and pacing options for `runInference` (attempts, back-off, max tokens, sleep). */
  readonly inference?: Omit<RunInferenceOptions, 'concurrency' | 'onProgress' | 'signal'>;
  /** Progress is written every this-many records or this-many milliseconds. Default 50 records / 5 s. */
  readonly progressEvery?: { readonly records?: number; readonly ms?: number };
  /** Stops the run (e.g. before the Lambda times out): it then ends `failed`, saying so. */
  readonly signal?: AbortSignal;
  /**
   * A `running` run not updated for this long lost its runner and may be taken over. Default 15
   * minutes: no Lambda runs longer, so a run that old has no live runner.
   */
  readonly staleAfterMs?: number;
  readonly now: () => Date;
}

const JSONL_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Queues an inference run over a testing-data set that passed validation, and starts its runner.
 * Refuses a set with no report or no validated file (`NotFound`) or one that failed validation
 * (`Invalid`). Should the runner not start, the run is marked failed and the error rethrown.
 */
export async function startRun(input: { testingDataId: string }, deps: StartRunDeps): Promise<InferenceRun> {
  const testingDataId = parseId(input.testingDataId, 'testingDataId');
  const report = await readJson(deps.state, inferenceKeys.report(testingDataId), ValidationReport);
  if (!report) {
    throw new NotFound(
      `testing data ${testingDataId} has no validation report: upload it and wait for validation`,
    );
  }
  if (!report.value.valid) {
    throw new Invalid(`testing data ${testingDataId} failed validation; fix it and upload it again`, {
      errorCount: report.value.errorCount,
    });
  }
  const validatedKey = inferenceKeys.validated(testingDataId);
  if (!(await deps.validated.list(validatedKey)).includes(validatedKey)) {
    throw new NotFound(`testing data ${testingDataId} has no validated file`);
  }
  const now = deps.now().toISOString();
  const run: InferenceRun = {
    runId: (deps.newRunId ?? randomUUID)(),
    testingDataId,
    status: 'queued',
    total: report.value.records,
    done: 0,
    failed: 0,
    startedAt: now,
    updatedAt: now,
  };
  await deps.state.put(inferenceKeys.run(run.runId), JSON.stringify(run), {
    contentType: 'application/json',
    ifNoneMatch: '*',
  });
  try {
    await deps.dispatcher.dispatch(run.runId);
  } catch (error) {
    await settle(deps.state, run.runId, deps.now, {
      status: 'failed',
      error: 'the inference runner could not be started',
    });
    throw error;
  }
  return run;
}

/** A run as stored: `Invalid` for a malformed id, `NotFound` when there is no such run. */
export async function getRun(runId: string, deps: { readonly state: ObjectStore }): Promise<InferenceRun> {
  const found = await readJson(deps.state, inferenceKeys.run(parseId(runId, 'runId')), InferenceRun);
  if (!found) throw new NotFound(`inference run ${runId} does not exist`);
  return found.value;
}

/**
 * The runner's use case: claims a queued run (or a stale running one), reads its validated testing
 * data, runs every prompt through the team model, writes the results JSONL (failed records included,
 * with their `error`) and ends the run `completed`, with how many records failed, or `failed` with a
 * reason. Progress is written as it goes. A run already claimed, completed or failed is returned as it
 * is, so a duplicate invocation does no harm.
 */
export async function executeRun(runId: string, deps: ExecuteRunDeps): Promise<InferenceRun> {
  const key = inferenceKeys.run(parseId(runId, 'runId'));
  const staleAfterMs = deps.staleAfterMs ?? 15 * 60_000;
  const claim = await updateJson(deps.state, key, InferenceRun, (current) => {
    if (!current) return { result: undefined };
    const now = deps.now();
    const stale =
      current.status === 'running' && now.getTime() - Date.parse(current.updatedAt) >= staleAfterMs;
    if (current.status !== 'queued' && !stale) return { result: { run: current, claimed: false } };
    const value: InferenceRun = {
      ...current,
      status: 'running',
      done: 0,
      failed: 0,
      updatedAt: now.toISOString(),
    };
    return { value, result: { run: value, claimed: true } };
  });
  if (!claim) throw new NotFound(`inference run ${runId} does not exist`);
  if (!claim.claimed) return claim.run;
  const run = claim.run;

  let settled = 0;
  try {
    const records = await readTestingData(deps.validated, run.testingDataId);
    let model: TeamModel;
    try {
      model = await deps.teamModel();
    } catch (error) {
      throw new RunFailure(`the team model could not be set up: ${messageOf(error)}`, { cause: error });
    }
    const progress = progressWriter(
      (done, failed) =>
        writeProgress(deps, key, { done, failed, total: records.length, model: model.modelName }),
      { records: deps.progressEvery?.records ?? 50, ms: deps.progressEvery?.ms ?? 5000, now: deps.now },
    );
    let results: ResultRecord[];
    try {
      results = await runInference(records, model, {
        ...deps.inference,
        concurrency: deps.concurrency,
        ...(deps.signal ? { signal: deps.signal } : {}),
        onProgress: (done, _total, failed) => {
          settled = done;
          progress.update(done, failed);
        },
      });
    } finally {
      await progress.flush();
    }
    const body = results
      .map((result) => JSON.stringify(result))
      .join('\n')
      .concat('\n');
    const resultsKey = inferenceKeys.results(run.runId);
    await deps.results.put(resultsKey, body, { contentType: JSONL_CONTENT_TYPE });
    return await settle(deps.state, run.runId, deps.now, {
      status: 'completed',
      total: results.length,
      done: results.length,
      failed: results.filter((result) => result.error !== undefined).length,
      model: model.modelName,
      resultsKey,
      resultsSha256: createHash('sha256').update(body).digest('hex'),
    });
  } catch (error) {
    const reason = deps.signal?.aborted
      ? `the run was stopped after ${settled} of ${run.total} records, before it could finish`
      : error instanceof RunFailure
        ? error.message
        : `the run failed: ${messageOf(error)}`;
    logger.error('inference run failed', { runId: run.runId, reason, error: error as Error });
    return await settle(deps.state, run.runId, deps.now, { status: 'failed', error: reason });
  }
}

/** A failure whose message is already the reason a team should read. */
class RunFailure extends Error {
  override readonly name = 'RunFailure';
}

async function readTestingData(store: ObjectStore, testingDataId: string): Promise<TestingRecord[]> {
  const object = await store.get(inferenceKeys.validated(testingDataId));
  if (!object) throw new RunFailure(`the validated testing data ${testingDataId} is no longer there`);
  const records: TestingRecord[] = [];
  try {
    for await (const record of parseJsonl([object.body], TestingRecord)) records.push(record);
  } catch (error) {
    throw new RunFailure(`the validated testing data ${testingDataId} cannot be read: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return records;
}

/** Moves a run to its final state. */
async function settle(
  state: ObjectStore,
  runId: string,
  now: () => Date,
  changes: Partial<InferenceRun> & { status: 'completed' | 'failed' },
): Promise<InferenceRun> {
  const settled = await updateJson(state, inferenceKeys.run(runId), InferenceRun, (current) => {
    if (!current) return { result: undefined };
    const at = now().toISOString();
    const value: InferenceRun = { ...current, ...changes, updatedAt: at, finishedAt: at };
    return { value, result: value };
  });
  if (!settled) throw new Error(`inference run ${runId} disappeared while it ran`);
  return settled;
}

async function writeProgress(
  deps: Pick<ExecuteRunDeps, 'state' | 'now'>,
  key: string,
  progress: { done: number; failed: number; total: number; model: string },
): Promise<void> {
  await updateJson(deps.state, key, InferenceRun, (current) => {
    // Never move a settled run back, nor a count backwards.
    if (current?.status !== 'running' || current.done > progress.done) return { result: undefined };
    return { value: { ...current, ...progress, updatedAt: deps.now().toISOString() }, result: undefined };
  });
}

/**
 * Writes progress at most every `records` records or `ms` milliseconds, one write at a time. A write
 * that fails is logged and skipped: progress is advisory, and the final state write is not skipped.
 */
function progressWriter(
  write: (done: number, failed: number) => Promise<void>,
  policy: { readonly records: number; readonly ms: number; readonly now: () => Date },
): { update(done: number, failed: number): void; flush(): Promise<void> } {
  let latest = { done: 0, failed: 0 };
  let written = 0;
  let writtenAt = policy.now().getTime();
  let inFlight: Promise<void> | undefined;
  const due = () =>
    latest.done > written &&
    (latest.done - written >= policy.records || policy.now().getTime() - writtenAt >= policy.ms);
  const pump = async () => {
    while (due()) {
      const snapshot = latest;
      written = snapshot.done;
      writtenAt = policy.now().getTime();
      await write(snapshot.done, snapshot.failed).catch((error: unknown) =>
        logger.warn('inference progress not written', { error: messageOf(error) }),
      );
    }
    inFlight = undefined;
  };
  return {
    update(done, failed) {
      latest = { done, failed };
      if (!inFlight && due()) inFlight = pump();
    },
    flush: () => inFlight ?? Promise.resolve(),
  };
}

function parseId(value: string, field: string): string {
  const parsed = KeySegmentId.safeParse(value);
  if (!parsed.success) {
    throw new Invalid(`${field} is not valid`, { [field]: parsed.error.issues[0]?.message ?? 'invalid' });
  }
  return parsed.data;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
