import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import type { LeagueConfig } from '../../../shared/config/league-config.js';
import { RecordId } from '../../../shared/contracts/common.js';
import { EvaluationRequest } from '../../../shared/contracts/evaluation.js';
import { clientConfig, localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { httpRoutes, route } from '../../../shared/lambda/http.js';
import { leagueConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { SqsEvaluationQueue } from '../../adapters/sqs-evaluation-queue.js';
import { selectSubmission } from '../../app/board-actions.js';
import { listPublicQuestions } from '../../app/questions.js';
import type { EvaluationRecord } from '../../app/records.js';
import { getEvaluation, submissionQuota, submitEvaluation } from '../../app/submit-evaluation.js';
import { teamOfCaller } from '../../app/team-registry.js';

// Clients once per container, endpoints from the environment (the local stack overrides them).
const s3 = createS3Client({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: localEndpoint('S3') });
const store = new S3ObjectStore(s3, requireEnv('STATE_BUCKET'));
const queue = new SqsEvaluationQueue(
  new SQSClient(clientConfig('SQS')),
  process.env.EVALUATION_QUEUE_URL ?? '',
);

const Evaluation = z.strictObject({ id: RecordId });

/** The calling team, from the SigV4 session API Gateway verified (never from the request). */
function caller(event: APIGatewayProxyEvent) {
  const config = leagueConfig();
  return { config, team: teamOfCaller(event.requestContext.identity.userArn, config) };
}

/**
 * The Judge API (IAM auth): POST /evaluations, GET /evaluations/{id}, POST /evaluations/{id}/select,
 * GET /questions, GET /submission-quota. Every path parameter, query and body is parsed by its schema.
 */
export const handler = httpRoutes({
  'POST /evaluations': route({ body: EvaluationRequest }, async ({ body, event }) => {
    const { config, team } = caller(event);
    const { created, evaluation } = await submitEvaluation(team, body, {
      config,
      store,
      queue,
      now: () => new Date(),
    });
    return { status: created ? 202 : 200, body: view(evaluation, config) };
  }),
  'GET /evaluations/{id}': route({ path: Evaluation }, async ({ path, event }) => {
    const { config, team } = caller(event);
    return { status: 200, body: view(await getEvaluation(team, path.id, store), config) };
  }),
  'POST /evaluations/{id}/select': route({ path: Evaluation }, async ({ path, event }) => {
    const { config, team } = caller(event);
    const site = new S3ObjectStore(s3, requireEnv('SITE_BUCKET'));
    return {
      status: 200,
      body: await selectSubmission({ config, store, site, now: () => new Date() }, team, path.id),
    };
  }),
  'GET /questions': route({}, async ({ event }) => {
    const { config } = caller(event);
    return {
      status: 200,
      body: {
        questionSetId: config.questionSetId,
        questions: await listPublicQuestions(store, config.questionSetId),
      },
    };
  }),
  'GET /submission-quota': route({}, async ({ event }) => {
    const { config, team } = caller(event);
    return { status: 200, body: await submissionQuota(team, { config, store, now: () => new Date() }) };
  }),
});

/** What a team sees of its evaluation: no internal URLs echoed back beyond its own. */
function view(evaluation: EvaluationRecord, config: LeagueConfig) {
  return {
    /** What `summary.score` measures: a win rate against the reference (0–1) or a rubric mean (0–10). */
    scoreKind: config.scoringMode === 'rubric' ? 'rubric' : 'win-rate',
    submissionId: evaluation.submissionId,
    team: evaluation.team,
    modelName: evaluation.modelName,
    questionSetId: evaluation.questionSetId,
    status: evaluation.status,
    ...(evaluation.reason ? { reason: evaluation.reason } : {}),
    ...(evaluation.details ? { details: evaluation.details } : {}),
    ...(evaluation.summary ? { summary: evaluation.summary } : {}),
    createdAt: evaluation.createdAt,
    updatedAt: evaluation.updatedAt,
  };
}
