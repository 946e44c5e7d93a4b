import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../scripts/local/s3/index.js';
import { ResultRecord } from '../../shared/contracts/results.js';
import type { TestingRecord } from '../../shared/contracts/testing-data.js';
import { Invalid, NotFound } from '../../shared/lambda/errors.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { createS3Client, S3ObjectStore } from '../../shared/storage/s3-object-store.js';
import type { ValidationReport } from '../validation/report.js';
import { teamModelFromSettings } from './adapters/team-model-from-settings.js';
import {
  type ExecuteRunDeps,
  executeRun,
  getRun,
  InferenceRun,
  inferenceKeys,
  type StartRunDeps,
  startRun,
} from './inference-runs.js';
import type { TeamModel } from './team-model.js';

// Integration tests: the run use case with the real SDK against the local S3.
let s3: LocalS3;
let client: S3Client;
let state: S3ObjectStore;
let validated: S3ObjectStore;
let results: S3ObjectStore;
/** Every run record written to the state store, as written: progress included. */
const runWrites: InferenceRun[] = [];
let recordingState: ObjectStore;

beforeAll(async () => {
  s3 = await startLocalS3({
    buckets: [{ name: 'participant-state' }, { name: 'participant-validated' }, { name: 'team-results' }],
  });
  client = createS3Client({ region: 'us-east-1', endpoint: s3.endpoint });
  state = new S3ObjectStore(client, 'participant-state');
  validated = new S3ObjectStore(client, 'participant-validated');
  results = new S3ObjectStore(client, 'team-results');
  recordingState = {
    get: (key) => state.get(key),
    list: (prefix) => state.list(prefix),
    delete: (key) => state.delete(key),
    put: async (key, body, options) => {
      const written = await state.put(key, body, options);
      if (key.startsWith('runs/')) runWrites.push(InferenceRun.parse(JSON.parse(String(body))));
      return written;
    },
  };
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const jsonl = (records: readonly object[]) =>
  records
    .map((record) => JSON.stringify(record))
    .join('\n')
    .concat('\n');
const testingData = (n: number): TestingRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `q-${String(i + 1).padStart(3, '0')}`,
    prompt: `Question ${i + 1}?`,
  }));
const validReport = (records: number): ValidationReport => ({
  valid: true,
  records,
  errors: [],
  errorCount: 0,
  warnings: [],
});

/** A testing-data set as the validator leaves it: its report in the state store, the validated file beside. */
async function seedTestingData(testingDataId: string, records: readonly TestingRecord[]): Promise<void> {
  await state.put(inferenceKeys.report(testingDataId), JSON.stringify(validReport(records.length)));
  await validated.put(inferenceKeys.validated(testingDataId), jsonl(records));
}

function startDeps(overrides: Partial<StartRunDeps> = {}): StartRunDeps & { dispatched: string[] } {
  const dispatched: string[] = [];
  return {
    state,
    validated,
    dispatcher: {
      dispatch: async (runId) => {
        dispatched.push(runId);
      },
    },
    now: () => new Date(),
    dispatched,
    ...overrides,
  };
}

/** A replay of the testing data's answers, as a results file in the results store, with some ids left out. */
async function seedReplay(key: string, records: readonly TestingRecord[], leaveOut: ReadonlySet<string>) {
  const answered = records
    .filter((record) => !leaveOut.has(record.id))
    .map((record) => ({
      id: record.id,
      prompt: record.prompt,
      response: `Answer ${record.id}`,
      model: 'otters-7b',
    }));
  await results.put(key, jsonl(answered));
}

function executeDeps(
  teamModel: () => Promise<TeamModel>,
  overrides: Partial<ExecuteRunDeps> = {},
): ExecuteRunDeps {
  return {
    state: recordingState,
    validated,
    results,
    teamModel,
    concurrency: 4,
    inference: { sleep: async () => {} },
    now: () => new Date(),
    ...overrides,
  };
}

const replayModel = (resultsKey: string) => () =>
  teamModelFromSettings(
    { kind: 'replay', resultsKey },
    { loadReplay: async (key) => (await results.get(key))?.body },
  );

describe('startRun', () => {
  it('queues a run over a valid testing-data set, sized from its report, and dispatches it', async () => {
    await seedTestingData('set-valid', testingData(5));
    const deps = startDeps();
    const run = await startRun({ testingDataId: 'set-valid' }, deps);
    expect(run).toMatchObject({ testingDataId: 'set-valid', status: 'queued', total: 5, done: 0, failed: 0 });
    expect(run.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.startedAt).toBe(run.updatedAt);
    expect(deps.dispatched).toEqual([run.runId]);
    expect(await getRun(run.runId, { state })).toEqual(run);
  });

  it('gives every run its own id', async () => {
    await seedTestingData('set-twice', testingData(2));
    const first = await startRun({ testingDataId: 'set-twice' }, startDeps());
    const second = await startRun({ testingDataId: 'set-twice' }, startDeps());
    expect(first.runId).not.toBe(second.runId);
  });

  it('refuses a set that failed validation, creating and dispatching nothing', async () => {
    const report: ValidationReport = {
      valid: false,
      records: 3,
      errors: [{ line: 2, code: 'E_JSON', message: 'not valid JSON' }],
      errorCount: 1,
      warnings: [],
    };
    await state.put(inferenceKeys.report('set-invalid'), JSON.stringify(report));
    await validated.put(inferenceKeys.validated('set-invalid'), jsonl(testingData(3)));
    const runsBefore = await state.list('runs/');
    const deps = startDeps();
    const refusal = await startRun({ testingDataId: 'set-invalid' }, deps).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(Invalid);
    expect(refusal).toMatchObject({
      message: expect.stringContaining('failed validation'),
      details: { errorCount: 1 },
    });
    expect(deps.dispatched).toEqual([]);
    expect(await state.list('runs/')).toEqual(runsBefore);
  });

  it('refuses a set with no validation report, or with a report but no validated file', async () => {
    await expect(startRun({ testingDataId: 'set-never-uploaded' }, startDeps())).rejects.toBeInstanceOf(
      NotFound,
    );
    await state.put(inferenceKeys.report('set-no-file'), JSON.stringify(validReport(3)));
    await validated.put(`${inferenceKeys.validated('set-no-file')}.partial`, 'x');
    const refusal = await startRun({ testingDataId: 'set-no-file' }, startDeps()).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(NotFound);
    expect(refusal).toMatchObject({ message: 'testing data set-no-file has no validated file' });
  });

  it('refuses a testing-data id that is not a valid id, before reading anything', async () => {
    await expect(startRun({ testingDataId: '../runs/x' }, startDeps())).rejects.toBeInstanceOf(Invalid);
  });

  it('marks the run failed, and rethrows, when its runner cannot be started', async () => {
    await seedTestingData('set-no-runner', testingData(1));
    const deps = startDeps({
      newRunId: () => 'run-no-runner',
      dispatcher: {
        dispatch: async () => {
          throw new Error('Lambda is down');
        },
      },
    });
    await expect(startRun({ testingDataId: 'set-no-runner' }, deps)).rejects.toThrow('Lambda is down');
    expect(await getRun('run-no-runner', { state })).toMatchObject({
      status: 'failed',
      error: 'the inference runner could not be started',
    });
  });
});

describe('executeRun', () => {
  it('completes a run whose replay misses 10% of ids: those fail, every record is in the results, progress is written', async () => {
    const records = testingData(30);
    const missing = new Set(['q-003', 'q-017', 'q-030']);
    await seedTestingData('set-replay', records);
    await seedReplay('replays/otters.jsonl', records, missing);
    const queued = await startRun({ testingDataId: 'set-replay' }, startDeps());
    runWrites.length = 0;

    const run = await executeRun(
      queued.runId,
      executeDeps(replayModel('replays/otters.jsonl'), { progressEvery: { records: 10 } }),
    );

    expect(run).toMatchObject({
      runId: queued.runId,
      status: 'completed',
      total: 30,
      done: 30,
      failed: 3,
      model: 'otters-7b',
      resultsKey: `results/${queued.runId}.jsonl`,
      startedAt: queued.startedAt,
    });
    expect(run.error).toBeUndefined();
    expect(await getRun(queued.runId, { state })).toEqual(run);

    const file = await results.get(`results/${queued.runId}.jsonl`);
    if (!file) throw new Error('no results file');
    expect(createHash('sha256').update(file.body).digest('hex')).toBe(run.resultsSha256);
    const lines = text(file.body)
      .trimEnd()
      .split('\n')
      .map((line) => ResultRecord.parse(JSON.parse(line)));
    expect(lines.map((line) => line.id)).toEqual(records.map((record) => record.id));
    const failures = lines.filter((line) => line.error !== undefined);
    expect(failures.map((line) => line.id)).toEqual(['q-003', 'q-017', 'q-030']);
    for (const failure of failures) {
      expect(failure).toMatchObject({
        response: '',
        model: 'otters-7b',
        error: `not-found: the replayed results hold no answer for id ${failure.id}`,
      });
    }
    expect(lines.find((line) => line.id === 'q-001')).toMatchObject({
      response: 'Answer q-001',
      latencyMs: 0,
    });

    // Claimed at 0, then progress at the 10th record and at least 10 records apart (one write in flight at a
    // time, so records settled during a write are counted by the next), then settled.
    const progress = runWrites.filter((write) => write.runId === queued.runId && write.status === 'running');
    expect(progress[0]?.done).toBe(0);
    const counts = progress.slice(1).map((write) => write.done);
    expect(counts[0]).toBe(10);
    for (let i = 1; i < counts.length; i++)
      expect((counts[i] ?? 0) - (counts[i - 1] ?? 0)).toBeGreaterThanOrEqual(10);
    expect(progress[1]).toMatchObject({ total: 30, model: 'otters-7b' });
    expect(runWrites.at(-1)).toEqual(run);
  });

  it('returns a settled run as it is when invoked again, rewriting nothing', async () => {
    const records = testingData(3);
    await seedTestingData('set-again', records);
    await seedReplay('replays/again.jsonl', records, new Set());
    const { runId } = await startRun({ testingDataId: 'set-again' }, startDeps());
    const first = await executeRun(runId, executeDeps(replayModel('replays/again.jsonl')));
    const etag = (await results.get(`results/${runId}.jsonl`))?.etag;
    let built = 0;
    const again = await executeRun(
      runId,
      executeDeps(async () => {
        built += 1;
        return replayModel('replays/again.jsonl')();
      }),
    );
    expect(again).toEqual(first);
    expect(built).toBe(0);
    expect((await results.get(`results/${runId}.jsonl`))?.etag).toBe(etag);
  });

  it('leaves a run another runner is working on alone, but takes over one whose runner is gone', async () => {
    const records = testingData(2);
    await seedTestingData('set-claimed', records);
    await seedReplay('replays/claimed.jsonl', records, new Set());
    const { runId } = await startRun({ testingDataId: 'set-claimed' }, startDeps());
    const busy = { ...(await getRun(runId, { state })), status: 'running' as const, done: 1 };
    await state.put(
      inferenceKeys.run(runId),
      JSON.stringify({ ...busy, updatedAt: new Date().toISOString() }),
    );
    const untouched = await executeRun(runId, executeDeps(replayModel('replays/claimed.jsonl')));
    expect(untouched).toMatchObject({ status: 'running', done: 1 });

    const longAgo = new Date(Date.now() - 16 * 60_000).toISOString();
    await state.put(inferenceKeys.run(runId), JSON.stringify({ ...busy, updatedAt: longAgo }));
    const taken = await executeRun(runId, executeDeps(replayModel('replays/claimed.jsonl')));
    expect(taken).toMatchObject({ status: 'completed', done: 2, failed: 0 });
  });

  it('fails a run whose validated file is gone, or whose model cannot be set up, saying why', async () => {
    await seedTestingData('set-vanishing', testingData(2));
    const gone = await startRun({ testingDataId: 'set-vanishing' }, startDeps());
    await validated.delete(inferenceKeys.validated('set-vanishing'));
    const failed = await executeRun(gone.runId, executeDeps(replayModel('replays/otters.jsonl')));
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'the validated testing data set-vanishing is no longer there',
    });
    expect(failed.finishedAt).toBeDefined();

    await seedTestingData('set-no-model', testingData(2));
    const noModel = await startRun({ testingDataId: 'set-no-model' }, startDeps());
    const result = await executeRun(noModel.runId, executeDeps(replayModel('replays/never-uploaded.jsonl')));
    expect(result).toMatchObject({
      status: 'failed',
      error:
        'the team model could not be set up: the replay results file replays/never-uploaded.jsonl does not exist',
    });
    expect(await results.get(`results/${noModel.runId}.jsonl`)).toBeUndefined();
  });

  it('fails a run stopped by its signal, saying how far it got, and writes no results', async () => {
    await seedTestingData('set-stopped', testingData(10));
    const { runId } = await startRun({ testingDataId: 'set-stopped' }, startDeps());
    const controller = new AbortController();
    let calls = 0;
    const model: TeamModel = {
      modelName: 'otters-7b',
      generate: async () => {
        calls += 1;
        if (calls === 5) controller.abort(new Error('the Lambda is about to time out'));
        return { text: 'x', latencyMs: 1 };
      },
    };
    const run = await executeRun(
      runId,
      executeDeps(async () => model, { concurrency: 1, signal: controller.signal }),
    );
    expect(run).toMatchObject({
      status: 'failed',
      // The fifth call was answered as the signal fired; no sixth was started.
      error: 'the run was stopped after 5 of 10 records, before it could finish',
    });
    expect(calls).toBe(5);
    expect(await results.get(`results/${runId}.jsonl`)).toBeUndefined();
  });

  it('answers NotFound for a run that does not exist, and Invalid for a malformed id', async () => {
    await expect(executeRun('no-such-run', executeDeps(replayModel('x')))).rejects.toBeInstanceOf(NotFound);
    await expect(getRun('no-such-run', { state })).rejects.toBeInstanceOf(NotFound);
    await expect(getRun('a/b', { state })).rejects.toBeInstanceOf(Invalid);
  });
});
