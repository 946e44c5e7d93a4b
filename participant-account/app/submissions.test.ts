import { readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3 } from '../../scripts/local/s3/index.js';
import { startLocalSqs } from '../../scripts/local/sqs/index.js';
import { ParticipantConfig } from '../../shared/config/participant-config.js';
import { createS3Client, S3ObjectStore } from '../../shared/storage/s3-object-store.js';
import { LocalJudgeApi, SignedJudgeApi } from '../adapters/judge-api.js';
import { listQuestions, listSubmissions, submitRun } from './submissions.js';

const LEADERBOARD = '111111111111';
const config = ParticipantConfig.parse({
  team: {
    teamId: 'otters',
    displayName: 'Otters',
    account: '333333333333',
    region: 'us-east-1',
    externalId: 'external-id-otters-0123456789abcdef',
    resultsBucket: 'otters-results',
  },
  leaderboard: {
    account: LEADERBOARD,
    region: 'us-east-1',
    judgeApiUrl: 'https://judge.example.execute-api.us-east-1.amazonaws.com/v1/',
    submitterRoleArn: `arn:aws:iam::${LEADERBOARD}:role/LlmLeagueSubmitterRole`,
  },
  model: { kind: 'replay', resultsKey: 'replay.jsonl' },
  questionSetId: 'demo-v1',
});

describe('calling the Judge API as the team', () => {
  it('assumes the SubmitterRole with the ExternalId and the session name of its team, then signs for execute-api', async () => {
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'secret',
        SessionToken: 'session-token',
        Expiration: new Date(Date.now() + 900_000),
      },
    });
    const seen: { url: string; headers: Record<string, string>; body?: string }[] = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({
        url: String(url),
        headers: init?.headers as Record<string, string>,
        ...(init?.body ? { body: String(init.body) } : {}),
      });
      return new Response(JSON.stringify({ status: 'queued' }), { status: 202 });
    }) as typeof globalThis.fetch;
    const api = new SignedJudgeApi({
      sts: new STSClient({ region: 'us-east-1' }),
      roleArn: config.leaderboard.submitterRoleArn,
      externalId: config.team.externalId,
      teamId: 'otters',
      baseUrl: config.leaderboard.judgeApiUrl,
      region: 'us-east-1',
      fetch,
    });
    const first = await api.call('POST', '/evaluations', { submissionId: 'run-1' });
    await api.call('GET', '/evaluations/run-1');
    expect(first).toMatchObject({ status: 202, body: { status: 'queued' } });
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1); // credentials are reused
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${LEADERBOARD}:role/LlmLeagueSubmitterRole`,
      RoleSessionName: 'team-otters',
      ExternalId: 'external-id-otters-0123456789abcdef',
    });
    expect(seen[0]?.url).toBe('https://judge.example.execute-api.us-east-1.amazonaws.com/v1/evaluations');
    expect(seen[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=.*host.*x-amz-date.*, Signature=[0-9a-f]{64}$/,
    );
    expect(seen[0]?.headers['x-amz-security-token']).toBe('session-token');
    expect(seen[0]?.body).toBe('{"submissionId":"run-1"}');
    sts.restore();
  });
});

describe('submitting a finished run to the Judge API handler', () => {
  let local: Awaited<ReturnType<typeof startLocalS3>>;
  let sqs: Awaited<ReturnType<typeof startLocalSqs>>;
  let s3: ReturnType<typeof createS3Client>;
  let judgeApiHandler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  const questions = readFileSync(new URL('../../scripts/demo/questions.jsonl', import.meta.url), 'utf8');
  const results = readFileSync(new URL('../../scripts/demo/results-otters.jsonl', import.meta.url), 'utf8');

  beforeAll(async () => {
    local = await startLocalS3({
      buckets: [
        { name: 'lb-state' },
        { name: 'lb-site' },
        { name: 'otters-results' },
        { name: 'otters-state' },
      ],
    });
    sqs = await startLocalSqs({ queues: [{ name: 'evaluations' }] });
    s3 = createS3Client({ region: 'us-east-1', endpoint: local.endpoint });
    await new S3ObjectStore(s3, 'lb-state').put('question-sets/demo-v1.jsonl', questions);
    Object.assign(process.env, {
      STATE_BUCKET: 'lb-state',
      SITE_BUCKET: 'lb-site',
      EVALUATION_QUEUE_URL: sqs.queueUrl('evaluations'),
      LOCAL_SQS_ENDPOINT: sqs.endpoint,
      LOCAL_S3_ENDPOINT: local.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      LEAGUE_CONFIG_JSON: JSON.stringify({
        leaderboard: { account: LEADERBOARD, region: 'us-east-1' },
        questionSetId: 'demo-v1',
        teams: [{ ...config.team, teamId: 'otters' }],
      }),
    });
    judgeApiHandler = (await import('../../leaderboard-account/functions/judge-api/handler.js'))
      .handler as unknown as typeof judgeApiHandler;
  });
  afterAll(async () => {
    await sqs?.close();
    await local?.close();
  });

  function deps(callerArn: string) {
    return {
      config,
      state: new S3ObjectStore(s3, 'otters-state'),
      results: new S3ObjectStore(s3, 'otters-results'),
      presignResults: (key: string, expiresIn: number) =>
        getSignedUrl(s3, new GetObjectCommand({ Bucket: 'otters-results', Key: key }), { expiresIn }),
      judgeApi: new LocalJudgeApi(judgeApiHandler, callerArn),
      now: () => new Date(),
    };
  }
  const otters = `arn:aws:sts::${LEADERBOARD}:assumed-role/LlmLeagueSubmitterRole/team-otters`;

  it('reaches the Judge API handler as this team and records the evaluation under it', async () => {
    const d = deps(otters);
    await d.results.put('results/run-1.jsonl', results);
    await d.state.put(
      'runs/run-1.json',
      JSON.stringify({ runId: 'run-1', status: 'completed', resultsKey: 'results/run-1.jsonl' }),
    );
    const response = await submitRun({ runId: 'run-1', modelName: 'otters/mistral-7b-dpo' }, d);
    expect(response.status).toBe(202);
    expect(sqs.depth('evaluations').visible).toBe(1);
    const stored = await new S3ObjectStore(s3, 'lb-state').get('evaluations/otters/run-1.json');
    const evaluation = JSON.parse(new TextDecoder().decode(stored?.body)) as Record<string, string>;
    expect(evaluation).toMatchObject({
      team: 'otters',
      submissionId: 'run-1',
      modelName: 'otters/mistral-7b-dpo',
      questionSetId: 'demo-v1',
    });
    expect(evaluation.resultsUrl).toContain('/otters-results/results/run-1.jsonl?');
    expect(evaluation.resultsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to submit a run that has not completed', async () => {
    const d = deps(otters);
    await d.state.put('runs/run-2.json', JSON.stringify({ runId: 'run-2', status: 'running' }));
    await expect(submitRun({ runId: 'run-2' }, d)).rejects.toMatchObject({ status: 409 });
  });

  it('passes the Judge API refusal of an unregistered caller through as it is', async () => {
    const d = deps(`arn:aws:sts::${LEADERBOARD}:assumed-role/LlmLeagueSubmitterRole/team-strangers`);
    await d.results.put('results/run-3.jsonl', results);
    await d.state.put(
      'runs/run-3.json',
      JSON.stringify({ runId: 'run-3', status: 'completed', resultsKey: 'results/run-3.jsonl' }),
    );
    const response = await submitRun({ runId: 'run-3' }, d);
    expect(response.status).toBe(403);
    expect(await d.state.list('submissions/run-3')).toEqual([]);
  });

  it('lists the official questions without references, and the team’s submissions with their status', async () => {
    const d = deps(otters);
    const response = await listQuestions(d);
    expect(response.status).toBe(200);
    const body = response.body as { questions: Record<string, unknown>[] };
    expect(body.questions).toHaveLength(24);
    for (const question of body.questions)
      expect(Object.keys(question).sort()).toEqual(['category', 'id', 'prompt']);
    const listed = (await listSubmissions(d)) as { submissionId: string; evaluation: { status: string } }[];
    expect(listed.map((s) => s.submissionId)).toContain('run-1');
  });
});
