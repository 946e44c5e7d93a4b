import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import * as z from 'zod';
import { Invalid, NotFound } from '../../shared/lambda/errors.js';
import { readJson } from '../../shared/storage/json-object.js';
import { objectKey, objectPrefix } from '../../shared/storage/object-key.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { ValidationReport } from '../validation/report.js';

export const UploadRequest = z.object({
  fileName: z.string().min(1).max(200),
  contentType: z.enum(['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain']),
  size: z.number().int().min(1),
});

/** Where an upload and its outcome live. */
export const testingDataKeys = {
  upload: (id: string) => objectKey('uploads', id, 'data.jsonl'),
  uploadPrefix: (id: string) => objectPrefix('uploads', id),
  report: (id: string) => objectKey('reports', `${id}.json`),
  validated: (id: string) => objectKey('validated', `${id}.jsonl`),
} as const;

const UPLOAD_URL_SECONDS = 300;

/**
 * POST /testing-data/uploads: a presigned POST whose policy pins the key (under this upload's own
 * prefix), the content type and the size range, so the browser uploads straight to S3 and S3
 * itself refuses anything else. The validator Lambda takes it from there.
 */
export async function createUpload(
  request: z.infer<typeof UploadRequest>,
  deps: { s3: S3Client; uploadsBucket: string; maxBytes: number },
): Promise<{
  testingDataId: string;
  url: string;
  fields: Record<string, string>;
  expiresInSeconds: number;
  maxBytes: number;
}> {
  if (request.size > deps.maxBytes) {
    throw new Invalid(`the file is ${request.size} bytes; the limit is ${deps.maxBytes} bytes`);
  }
  const testingDataId = `td-${randomBytes(9).toString('base64url')}`;
  const { url, fields } = await createPresignedPost(deps.s3, {
    Bucket: deps.uploadsBucket,
    Key: testingDataKeys.upload(testingDataId),
    Conditions: [
      ['starts-with', '$key', testingDataKeys.uploadPrefix(testingDataId)],
      ['eq', '$Content-Type', request.contentType],
      ['content-length-range', 1, deps.maxBytes],
    ],
    Fields: { 'Content-Type': request.contentType },
    Expires: UPLOAD_URL_SECONDS,
  });
  return { testingDataId, url, fields, expiresInSeconds: UPLOAD_URL_SECONDS, maxBytes: deps.maxBytes };
}

/** GET /testing-data/{id}: the validation report, or `pending` while the validator runs. */
export async function getTestingData(
  testingDataId: string,
  deps: { state: ObjectStore; uploads: ObjectStore },
): Promise<{ testingDataId: string; status: 'pending' | 'valid' | 'invalid'; report?: ValidationReport }> {
  if (!/^td-[A-Za-z0-9_-]{12}$/.test(testingDataId)) throw new NotFound(`no testing data ${testingDataId}`);
  const report = await readJson(deps.state, testingDataKeys.report(testingDataId), ValidationReport);
  if (report)
    return { testingDataId, status: report.value.valid ? 'valid' : 'invalid', report: report.value };
  if (await deps.uploads.get(testingDataKeys.upload(testingDataId)))
    return { testingDataId, status: 'pending' };
  throw new NotFound(`no testing data ${testingDataId}: upload the file first`);
}
