import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { Invalid, NotFound } from '../../../shared/lambda/errors.js';
import { logger } from '../../../shared/lambda/logger.js';
import { participantConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import {
  createTeamModelClients,
  teamModelFromSettings,
} from '../../inference/adapters/team-model-from-settings.js';
import { executeRun, type InferenceRunStatus } from '../../inference/inference-runs.js';

const config = participantConfig();
const region = process.env.AWS_REGION ?? config.team.region;
const s3 = createS3Client({ region, endpoint: localEndpoint('S3') });
const state = new S3ObjectStore(s3, requireEnv('STATE_BUCKET'));
const validated = new S3ObjectStore(s3, requireEnv('VALIDATED_BUCKET'));
/** The team's results bucket: the stack's, which is the one the league registered for the team. */
const results = new S3ObjectStore(s3, process.env.RESULTS_BUCKET || config.team.resultsBucket);
const modelClients = createTeamModelClients(config.model, {
  region,
  ...(localEndpoint('BEDROCK') ? { bedrockEndpoint: localEndpoint('BEDROCK') } : {}),
});
/** Kept back from the Lambda's timeout, so that a run cut short is still marked failed, with why. */
const STOP_MARGIN_MS = 20_000;

const RunnerEvent = z.object({ runId: z.string() });

/** Asynchronous invoke `{runId}` from the Participant API: runs the queued inference run to its end. */
export async function handler(
  event: unknown,
  context: Context,
): Promise<{ runId: string; status: InferenceRunStatus | 'missing' }> {
  const { runId } = RunnerEvent.parse(event);
  logger.setCorrelationId(runId);
  try {
    const run = await executeRun(runId, {
      state,
      validated,
      results,
      teamModel: () =>
        teamModelFromSettings(config.model, {
          ...modelClients,
          // A replay reads a results file from the team's results bucket (demo data, an earlier run).
          loadReplay: async (key) => (await results.get(key))?.body,
        }),
      concurrency: config.inferenceConcurrency,
      signal: AbortSignal.timeout(Math.max(1000, context.getRemainingTimeInMillis() - STOP_MARGIN_MS)),
      now: () => new Date(),
    });
    logger.info('inference run processed', {
      status: run.status,
      total: run.total,
      done: run.done,
      failed: run.failed,
    });
    return { runId, status: run.status };
  } catch (error) {
    // No such run (or no such id): retrying the invoke cannot help, so it is not thrown back to Lambda.
    if (!(error instanceof NotFound || error instanceof Invalid)) throw error;
    logger.warn('inference run not found', { runId, reason: error.message });
    return { runId, status: 'missing' };
  }
}
