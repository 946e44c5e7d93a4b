import { CopyObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { logger } from '../../../shared/lambda/logger.js';
import { participantConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { validateUpload } from '../../app/validate-upload.js';

const config = participantConfig();
const s3 = createS3Client({
  region: process.env.AWS_REGION ?? config.team.region,
  endpoint: localEndpoint('S3'),
});
const uploadsBucket = requireEnv('UPLOADS_BUCKET');
const validatedBucket = requireEnv('VALIDATED_BUCKET');
const state = new S3ObjectStore(s3, requireEnv('STATE_BUCKET'));

/** S3 ObjectCreated on the uploads bucket: validate each new upload. */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    // S3 event keys are URL-encoded with '+' for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    logger.setCorrelationId(key);
    const report = await validateUpload(key, {
      openUpload: async (k) => {
        const { Body } = await s3.send(new GetObjectCommand({ Bucket: uploadsBucket, Key: k }));
        if (!Body) throw new Error(`${k} has no body`);
        return Body as AsyncIterable<Uint8Array>;
      },
      state,
      copyToValidated: async (from, to) => {
        await s3.send(
          new CopyObjectCommand({ Bucket: validatedBucket, Key: to, CopySource: `${uploadsBucket}/${from}` }),
        );
      },
      maxBytes: config.uploadMaxBytes,
      maxRecords: config.maxRecords,
    });
    logger.info('upload validated', {
      key,
      valid: report?.valid,
      records: report?.records,
      errors: report?.errorCount,
    });
  }
}
