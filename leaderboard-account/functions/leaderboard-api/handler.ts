import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { TeamId } from '../../../shared/contracts/common.js';
import { localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { httpRoutes, route } from '../../../shared/lambda/http.js';
import { logger } from '../../../shared/lambda/logger.js';
import { leagueConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import {
  organiserView,
  rebuild,
  republish,
  setFrozen,
  setRevealed,
  setSelectionMode,
} from '../../app/board-actions.js';
import { publishedSnapshotDays } from '../../app/daily-snapshot.js';
import type { PublishDeps } from '../../app/publish-boards.js';
import { recordEvaluation } from '../../app/record-evaluation.js';
import { EvaluationMessage } from '../../app/records.js';

const s3 = createS3Client({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: localEndpoint('S3') });
const store = new S3ObjectStore(s3, requireEnv('STATE_BUCKET'));
const site = new S3ObjectStore(s3, requireEnv('SITE_BUCKET'));
const deps = (): PublishDeps => ({ config: leagueConfig(), store, site, now: () => new Date() });

const Toggle = z.object({ value: z.boolean() });
const Selection = z.object({ mode: z.enum(['best', 'selected']) });

/** Organiser actions (IAM-only at API Gateway) and the public list of snapshot days. */
const api = httpRoutes({
  'POST /admin/freeze': route({ body: Toggle }, async ({ body }) => ({
    status: 200,
    body: { frozen: (await setFrozen(deps(), body.value)).frozen },
  })),
  'POST /admin/reveal': route({ body: Toggle }, async ({ body }) => ({
    status: 200,
    body: { revealed: (await setRevealed(deps(), body.value)).revealed },
  })),
  'POST /admin/recompute': route({}, async () => ({ status: 200, body: await republish(deps()) })),
  'PUT /admin/selection': route({ body: Selection }, async ({ body }) => ({
    status: 200,
    body: { selection: (await setSelectionMode(deps(), body.mode)).selection },
  })),
  'GET /admin/boards': route({ query: z.strictObject({ team: TeamId.optional() }) }, async ({ query }) => ({
    status: 200,
    body: await organiserView(deps(), query.team === undefined ? {} : { team: query.team }),
  })),
  // The published days (as the site lists them): a snapshot held back by a freeze is not listed.
  'GET /snapshots': route({}, async () => ({
    status: 200,
    body: { days: await publishedSnapshotDays(site) },
  })),
});

const DirectRequest = z.discriminatedUnion('action', [
  EvaluationMessage.extend({ action: z.literal('record') }),
  z.object({ action: z.literal('rebuild') }),
]);

/**
 * Invoked directly by the orchestrator (`{action: 'record', team, submissionId}`) or by an organiser
 * (`{action: 'rebuild'}`: rebuild the board state from every stored evaluation and judgment), or
 * through API Gateway.
 */
export async function handler(
  event: unknown,
  context: Context,
): Promise<APIGatewayProxyResult | { recorded: true } | { rebuilt: { submissions: number } }> {
  if (typeof event === 'object' && event !== null && 'httpMethod' in event) {
    return api(event as APIGatewayProxyEvent, context);
  }
  const request = DirectRequest.parse(event);
  if (request.action === 'rebuild') {
    logger.setCorrelationId(`rebuild-${context.awsRequestId}`);
    return { rebuilt: await rebuild(deps()) };
  }
  logger.setCorrelationId(`${request.team}/${request.submissionId}`);
  await recordEvaluation(request, deps());
  return { recorded: true };
}
