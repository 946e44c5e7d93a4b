import { GetObjectCommand } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { clientConfig, localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { httpRoutes, route } from '../../../shared/lambda/http.js';
import { participantConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { type JudgeApi, SignedJudgeApi } from '../../adapters/judge-api.js';
import {
  listQuestions,
  listSubmissions,
  type SubmissionDeps,
  SubmitRequest,
  submissionQuota,
  submitRun,
} from '../../app/submissions.js';

const config = participantConfig();
const s3 = createS3Client({
  region: process.env.AWS_REGION ?? config.team.region,
  endpoint: localEndpoint('S3'),
});
const resultsBucket = requireEnv('RESULTS_BUCKET');
const judgeApi: JudgeApi = new SignedJudgeApi({
  sts: new STSClient({ region: config.leaderboard.region, ...clientConfig('STS') }),
  roleArn: config.leaderboard.submitterRoleArn,
  externalId: config.team.externalId,
  teamId: config.team.teamId,
  baseUrl: config.leaderboard.judgeApiUrl,
  region: config.leaderboard.region,
});

const deps = (): SubmissionDeps => ({
  config,
  state: new S3ObjectStore(s3, requireEnv('STATE_BUCKET')),
  results: new S3ObjectStore(s3, resultsBucket),
  presignResults: (key, expiresIn) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: resultsBucket, Key: key }), { expiresIn }),
  judgeApi,
  now: () => new Date(),
});

/** POST /submissions, GET /submissions, GET /questions (Cognito-authorised at API Gateway). */
export const handler = httpRoutes({
  'POST /submissions': route({ body: SubmitRequest }, async ({ body }) => {
    const response = await submitRun(body, deps());
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.status,
      body: response.body,
      ...(retryAfter ? { headers: { 'retry-after': retryAfter } } : {}),
    };
  }),
  'GET /submissions': route({}, async () => {
    const [submissions, quota] = await Promise.all([listSubmissions(deps()), submissionQuota(deps())]);
    return { status: 200, body: { submissions, quota } };
  }),
  'GET /questions': route({}, async () => {
    const response = await listQuestions(deps());
    return { status: response.status, body: response.body };
  }),
});
