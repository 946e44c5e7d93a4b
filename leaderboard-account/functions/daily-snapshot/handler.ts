import type { ScheduledEvent } from 'aws-lambda';
import { localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { logger } from '../../../shared/lambda/logger.js';
import { leagueConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { takeDailySnapshot } from '../../app/daily-snapshot.js';

const s3 = createS3Client({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: localEndpoint('S3') });
const store = new S3ObjectStore(s3, requireEnv('STATE_BUCKET'));
const site = new S3ObjectStore(s3, requireEnv('SITE_BUCKET'));

/** EventBridge, daily at 10:00 UTC. */
export async function handler(event: ScheduledEvent): Promise<{ day: string; boards: number }> {
  logger.setCorrelationId(event.id);
  const result = await takeDailySnapshot({
    config: leagueConfig(),
    store,
    site,
    now: () => new Date(event.time),
  });
  logger.info('daily snapshot written', result);
  return result;
}
