import { SQSClient } from '@aws-sdk/client-sqs';
import type { LeagueConfig } from '../../../shared/config/league-config.js';
import { EvaluationRequest } from '../../../shared/contracts/evaluation.js';
import { clientConfig, localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { NotFound } from '../../../shared/lambda/errors.js';
import { httpHandler, parseBody, pathParameter } from '../../../shared/lambda/http.js';
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

/**
 * The Judge API (IAM auth): POST /evaluations, GET /evaluations/{id}, POST /evaluations/{id}/select,
 * GET /questions, GET /submission-quota.
 */
export const handler = httpHandler(async (event) => {
  const config = leagueConfig();
  const team = teamOfCaller(event.requestContext.identity.userArn, config);
  const route = `${event.httpMethod} ${event.resource}`;
  switch (route) {
    case 'POST /evaluations': {
      const request = parseBody(event, EvaluationRequest);
      const { created, evaluation } = await submitEvaluation(team, request, {
        config,
        store,
        queue,
        now: () => new Date(),
      });
      return { status: created ? 202 : 200, body: view(evaluation, config) };
    }
    case 'GET /evaluations/{id}':
      return {
        status: 200,
        body: view(await getEvaluation(team, pathParameter(event, 'id'), store), config),
      };
    case 'GET /questions':
      return {
        status: 200,
        body: {
          questionSetId: config.questionSetId,
          questions: await listPublicQuestions(store, config.questionSetId),
        },
      };
    case 'GET /submission-quota':
      return { status: 200, body: await submissionQuota(team, { config, store, now: () => new Date() }) };
    case 'POST /evaluations/{id}/select': {
      const site = new S3ObjectStore(s3, requireEnv('SITE_BUCKET'));
      await selectSubmission(
        { config, store, site, now: () => new Date() },
        team,
        pathParameter(event, 'id'),
      );
      return { status: 200, body: { selected: pathParameter(event, 'id') } };
    }
    default:
      throw new NotFound(`no route ${route}`);
  }
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
