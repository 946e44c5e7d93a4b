import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningEmulator,
  startBedrockEmulator,
} from '../../scripts/emulators/bedrock-converse/index.js';
import { startLocalLambda } from '../../scripts/local/lambda/index.js';
import { startLocalS3 } from '../../scripts/local/s3/index.js';
import { pollQueue, startLocalSqs } from '../../scripts/local/sqs/index.js';
import { createS3Client, S3ObjectStore } from '../../shared/storage/s3-object-store.js';
import { keys } from '../app/records.js';

/**
 * The four Lambda handlers, unchanged, with the real AWS SDK clients pointed at the local S3, SQS,
 * Lambda and Converse emulators: what runs on AWS, on one machine.
 */
const QUESTIONS = readFileSync(new URL('../../scripts/demo/questions.jsonl', import.meta.url), 'utf8');
const RESULTS = readFileSync(new URL('../../scripts/demo/results-otters.jsonl', import.meta.url), 'utf8');
const ACCOUNT = '111111111111';

type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let judgeApi: HttpHandler;
const stops: (() => Promise<void>)[] = [];
const abort = new AbortController();
let s3: ReturnType<typeof createS3Client>;

const context = {
  awsRequestId: 'req-1',
  functionName: 'judge-api',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

function apiEvent(
  method: string,
  resource: string,
  caller: string,
  body?: unknown,
  id?: string,
): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    resource,
    path: resource.replace('{id}', id ?? ''),
    body: body === undefined ? null : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    multiValueHeaders: {},
    pathParameters: id ? { id } : null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    isBase64Encoded: false,
    requestContext: { requestId: `r-${Math.random()}`, identity: { userArn: caller } },
  } as unknown as APIGatewayProxyEvent;
}
const caller = (teamId: string) =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/LlmLeagueSubmitterRole/team-${teamId}`;

async function request(teamId: string, submissionId: string) {
  const key = `${teamId}/${submissionId}.jsonl`;
  await s3.send(new PutObjectCommand({ Bucket: 'team-results', Key: key, Body: RESULTS }));
  return {
    submissionId,
    modelName: 'otters/mistral-7b-dpo',
    questionSetId: 'demo-v1',
    resultsUrl: await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'team-results', Key: key }), {
      expiresIn: 600,
    }),
    resultsSha256: createHash('sha256').update(RESULTS).digest('hex'),
  };
}

beforeAll(async () => {
  const localS3 = await startLocalS3({
    buckets: [{ name: 'state' }, { name: 'site' }, { name: 'team-results' }],
  });
  stops.push(() => localS3.close());
  const sqs = await startLocalSqs({
    queues: [
      {
        name: 'evaluations',
        visibilityTimeoutSeconds: 30,
        dlq: { name: 'evaluations-dlq', maxReceiveCount: 3 },
      },
      { name: 'evaluations-dlq' },
    ],
  });
  stops.push(() => sqs.close());
  const references = new Map(
    QUESTIONS.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { prompt: string; reference: string })
      .map((q) => [q.prompt, q.reference]),
  );
  const emulator: RunningEmulator = await startBedrockEmulator({ references });
  stops.push(() => emulator.close());
  s3 = createS3Client({ region: 'us-east-1', endpoint: localS3.endpoint });
  await new S3ObjectStore(s3, 'state').put(keys.questionSet('demo-v1'), QUESTIONS);

  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    STATE_BUCKET: 'state',
    SITE_BUCKET: 'site',
    EVALUATION_QUEUE_URL: sqs.queueUrl('evaluations'),
    LEADERBOARD_FUNCTION_NAME: 'leaderboard-api',
    LOCAL_S3_ENDPOINT: localS3.endpoint,
    LOCAL_SQS_ENDPOINT: sqs.endpoint,
    LOCAL_BEDROCK_ENDPOINT: emulator.url,
    LEAGUE_CONFIG_JSON: JSON.stringify({
      leaderboard: { account: ACCOUNT, region: 'us-east-1' },
      questionSetId: 'demo-v1',
      numBootstrap: 100,
      dailySubmissionCap: 2,
      localResultsHost: new URL(localS3.endpoint).host,
      judge: { provider: 'emulator', modelId: 'emulator/reference-overlap', maxAttempts: 3 },
      teams: ['otters', 'ravens'].map((teamId, k) => ({
        teamId,
        displayName: teamId,
        account: String(222222222222 + k),
        region: 'us-east-1',
        externalId: `external-id-${teamId}-0123456789abcdef`,
        resultsBucket: 'team-results',
      })),
    }),
  });
  const leaderboardApi = await import('./leaderboard-api/handler.js');
  const lambda = await startLocalLambda({ functions: { 'leaderboard-api': leaderboardApi.handler } });
  stops.push(() => lambda.close());
  process.env.LOCAL_LAMBDA_ENDPOINT = lambda.endpoint;
  judgeApi = (await import('./judge-api/handler.js')).handler as unknown as HttpHandler;
  const orchestrator = await import('./judge-orchestrator/handler.js');
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: sqs.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  void pollQueue({
    client,
    queueUrl: sqs.queueUrl('evaluations'),
    handler: orchestrator.handler,
    batchSize: 1,
    waitTimeSeconds: 1,
    signal: abort.signal,
  });
});

afterAll(async () => {
  abort.abort();
  for (const stop of stops.reverse()) await stop();
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the leaderboard account handlers on the local emulators', () => {
  it('accepts an evaluation, judges it from the queue and publishes the board', async () => {
    const accepted = await judgeApi(
      apiEvent('POST', '/evaluations', caller('otters'), await request('otters', 'e2e-1')),
      context,
    );
    expect(accepted.statusCode).toBe(202);
    expect(JSON.parse(accepted.body)).toMatchObject({
      submissionId: 'e2e-1',
      team: 'otters',
      status: 'queued',
    });
    const done = await until(async () => {
      const got = await judgeApi(
        apiEvent('GET', '/evaluations/{id}', caller('otters'), undefined, 'e2e-1'),
        context,
      );
      const body = JSON.parse(got.body) as { status: string };
      return body.status === 'completed' || body.status === 'failed' ? body : undefined;
    });
    expect(done).toMatchObject({ status: 'completed', summary: { nQuestions: 18 } });
    // The status turns completed just before the orchestrator hands the evaluation to the leaderboard.
    const board = await until(async () => {
      const published = await new S3ObjectStore(s3, 'site').get('data/leaderboard.json');
      return published
        ? (JSON.parse(new TextDecoder().decode(published.body)) as { entries: { team: string }[] })
        : undefined;
    });
    expect(board.entries.map((e) => e.team)).toContain('otters');
  });

  it('answers a caller that is not a registered team with 403 and stores nothing', async () => {
    const response = await judgeApi(
      apiEvent(
        'POST',
        '/evaluations',
        `arn:aws:sts::${ACCOUNT}:assumed-role/LlmLeagueSubmitterRole/team-intruders`,
        await request('ravens', 'intrude'),
      ),
      context,
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({
      error: 'Forbidden',
      message: 'the caller is not a registered team of this league',
    });
    expect(await new S3ObjectStore(s3, 'state').list('evaluations/ravens/intrude')).toEqual([]);
  });

  it('answers a body that fails validation with 400 naming the field', async () => {
    const body = { ...(await request('ravens', 'bad')), resultsSha256: 'not-a-hash' };
    const response = await judgeApi(apiEvent('POST', '/evaluations', caller('ravens'), body), context);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).details).toEqual([
      { path: 'resultsSha256', message: 'must be a lowercase hex SHA-256' },
    ]);
  });

  it('answers 429 with Retry-After over the daily cap, and a replay with 200 and the same evaluation', async () => {
    const first = await judgeApi(
      apiEvent('POST', '/evaluations', caller('ravens'), await request('ravens', 'cap-a')),
      context,
    );
    expect(first.statusCode).toBe(202);
    const replay = await judgeApi(
      apiEvent('POST', '/evaluations', caller('ravens'), await request('ravens', 'cap-a')),
      context,
    );
    expect(replay.statusCode).toBe(200);
    expect(JSON.parse(replay.body).createdAt).toBe(JSON.parse(first.body).createdAt);
    expect(
      (
        await judgeApi(
          apiEvent('POST', '/evaluations', caller('ravens'), await request('ravens', 'cap-b')),
          context,
        )
      ).statusCode,
    ).toBe(202);
    const over = await judgeApi(
      apiEvent('POST', '/evaluations', caller('ravens'), await request('ravens', 'cap-c')),
      context,
    );
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(over.body).details.retryAt).toMatch(/T00:00:00.000Z$/);
  });

  it('never shows one team another team’s evaluation', async () => {
    const response = await judgeApi(
      apiEvent('GET', '/evaluations/{id}', caller('ravens'), undefined, 'e2e-1'),
      context,
    );
    expect(response.statusCode).toBe(404);
  });
});
