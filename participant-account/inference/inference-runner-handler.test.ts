import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../scripts/local/s3/index.js';
import type { ParticipantConfig } from '../../shared/config/participant-config.js';
import { createS3Client, S3ObjectStore } from '../../shared/storage/s3-object-store.js';
import { getRun, inferenceKeys, startRun } from './inference-runs.js';

/**
 * The inference-runner Lambda handler, unchanged, with its module-scope clients pointed at the local S3
 * through `LOCAL_S3_ENDPOINT` and its config from `PARTICIPANT_CONFIG_JSON`: a replay model in the team's
 * results bucket (RESULTS_BUCKET unset: the config's `team.resultsBucket`). (Kept here because the handler's folder holds only the handler.)
 */
type Handler = (event: unknown, context: Context) => Promise<{ runId: string; status: string }>;
let handler: Handler;
let s3: LocalS3;
let client: S3Client;
let state: S3ObjectStore;
let validated: S3ObjectStore;
let results: S3ObjectStore;

const config: ParticipantConfig = {
  team: {
    teamId: 'otters',
    displayName: 'Otters',
    account: '111111111111',
    region: 'us-east-1',
    externalId: 'otters-external-id-0001',
    resultsBucket: 'otters-results',
  },
  leaderboard: {
    account: '999999999999',
    region: 'us-east-1',
    judgeApiUrl: 'http://127.0.0.1:3000/',
    submitterRoleArn: 'arn:aws:iam::999999999999:role/LlmLeagueSubmitterRole',
  },
  model: { kind: 'replay', resultsKey: 'replays/otters.jsonl' },
  uploadMaxBytes: 1024 * 1024,
  maxRecords: 100,
  inferenceConcurrency: 2,
  questionSetId: 'league-2026',
};
const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const jsonl = (records: readonly object[]) =>
  records
    .map((record) => JSON.stringify(record))
    .join('\n')
    .concat('\n');

beforeAll(async () => {
  s3 = await startLocalS3({
    buckets: [{ name: 'otters-state' }, { name: 'otters-validated' }, { name: 'otters-results' }],
  });
  vi.stubEnv('LOCAL_S3_ENDPOINT', s3.endpoint);
  vi.stubEnv('STATE_BUCKET', 'otters-state');
  vi.stubEnv('VALIDATED_BUCKET', 'otters-validated');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('PARTICIPANT_CONFIG_JSON', JSON.stringify(config));
  ({ handler } = (await import('../functions/inference-runner/handler.js')) as { handler: Handler });
  client = createS3Client({ region: 'us-east-1', endpoint: s3.endpoint });
  state = new S3ObjectStore(client, 'otters-state');
  validated = new S3ObjectStore(client, 'otters-validated');
  results = new S3ObjectStore(client, 'otters-results');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  await s3?.close();
});

describe('the inference-runner handler', () => {
  it('runs a queued run to completion with the configured replay model, failing the ids it lacks', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({
      id: `q-${i + 1}`,
      prompt: `Question ${i + 1}?`,
    }));
    await state.put(
      inferenceKeys.report('td-Ab_cD-12eF_g'),
      JSON.stringify({ valid: true, records: 10, errors: [], errorCount: 0, warnings: [] }),
    );
    await validated.put(inferenceKeys.validated('td-Ab_cD-12eF_g'), jsonl(records));
    await results.put(
      'replays/otters.jsonl',
      jsonl(records.slice(1).map((r) => ({ ...r, response: `Answer ${r.id}`, model: 'otters-7b' }))),
    );
    const dispatched: string[] = [];
    const { runId } = await startRun(
      { testingDataId: 'td-Ab_cD-12eF_g' },
      {
        state,
        validated,
        dispatcher: { dispatch: async (id) => void dispatched.push(id) },
        now: () => new Date(),
      },
    );

    await expect(handler({ runId: dispatched[0] }, context)).resolves.toEqual({ runId, status: 'completed' });
    expect(await getRun(runId, { state })).toMatchObject({
      status: 'completed',
      total: 10,
      done: 10,
      failed: 1,
    });
    const file = await results.get(`results/${runId}.jsonl`);
    expect(file && new TextDecoder().decode(file.body).trimEnd().split('\n')).toHaveLength(10);
  });

  it('reports a run that does not exist as missing instead of failing the invoke', async () => {
    await expect(handler({ runId: 'no-such-run' }, context)).resolves.toEqual({
      runId: 'no-such-run',
      status: 'missing',
    });
  });

  it('refuses an event without a run id', async () => {
    await expect(handler({}, context)).rejects.toThrow();
  });
});
