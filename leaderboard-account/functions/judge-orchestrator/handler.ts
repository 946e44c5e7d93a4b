import { randomBytes } from 'node:crypto';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { clientConfig, localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { logger } from '../../../shared/lambda/logger.js';
import { leagueConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { judgeModelFromSettings, judgePanelFromSettings } from '../../adapters/judge-model-from-config.js';
import { LambdaLeaderboardRecorder } from '../../adapters/lambda-leaderboard-recorder.js';
import { EvaluationMessage } from '../../app/records.js';
import { runEvaluation } from '../../app/run-evaluation.js';
import { RateLimiter } from '../../judging/rate-limiter.js';

const config = leagueConfig();
const store = new S3ObjectStore(
  createS3Client({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: localEndpoint('S3') }),
  requireEnv('STATE_BUCKET'),
);
const judge = judgeModelFromSettings(
  config.judge,
  localEndpoint('BEDROCK') ? { endpoint: localEndpoint('BEDROCK') as string } : {},
);
/** A panel of judges when the config names one: each judge paced by its own share of its own quota. */
const panel = config.judge.panel
  ? judgePanelFromSettings(config.judge, {
      ...(localEndpoint('BEDROCK') ? { endpoint: localEndpoint('BEDROCK') as string } : {}),
      quotaShare: 1 / Math.max(1, Number(process.env.ORCHESTRATOR_CONCURRENCY ?? '1')),
    })
  : undefined;
const recorder = new LambdaLeaderboardRecorder(
  new LambdaClient(clientConfig('LAMBDA')),
  process.env.LEADERBOARD_FUNCTION_NAME ?? '',
);
/** This container's share of the quota: the stack sizes reserved concurrency so shares add up to it. */
const rateLimiter =
  config.judge.requestsPerMinute || config.judge.tokensPerMinute
    ? new RateLimiter({
        requestsPerMinute: perContainer(config.judge.requestsPerMinute),
        tokensPerMinute: perContainer(config.judge.tokensPerMinute),
      })
    : undefined;
const MAX_DELIVERIES = 3;

function perContainer(quota: number | undefined): number | undefined {
  const containers = Number(process.env.ORCHESTRATOR_CONCURRENCY ?? '1');
  return quota === undefined ? undefined : quota / Math.max(1, containers);
}

/** SQS-triggered: judges one queued evaluation per message; a failure returns the message for retry. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = EvaluationMessage.parse(JSON.parse(record.body));
      logger.setCorrelationId(`${message.team}/${message.submissionId}`);
      const status = await runEvaluation(
        {
          ...message,
          delivery: Number(record.attributes.ApproximateReceiveCount ?? '1'),
          maxDeliveries: MAX_DELIVERIES,
        },
        {
          config,
          store,
          judge,
          recorder,
          now: () => new Date(),
          nonce: () => randomBytes(12).toString('hex'),
          ...(rateLimiter ? { rateLimiter } : {}),
          ...(panel ? { panel } : {}),
        },
      );
      logger.info('evaluation processed', { status });
    } catch (error) {
      logger.error('evaluation will be retried', error as Error);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
