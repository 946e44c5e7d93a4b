import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3 } from '../../scripts/local/s3/index.js';
import { createS3Client, S3ObjectStore } from '../../shared/storage/s3-object-store.js';
import { createUpload, getTestingData, testingDataKeys } from './testing-data.js';
import { validateUpload } from './validate-upload.js';

/** Testing data from the presigned POST to the validated bucket, with the real SDK on the local S3. */
let local: Awaited<ReturnType<typeof startLocalS3>>;
let s3: ReturnType<typeof createS3Client>;
const MAX = 2048;

beforeAll(async () => {
  local = await startLocalS3({
    buckets: [{ name: 'uploads', cors: true }, { name: 'validated' }, { name: 'state' }],
  });
  s3 = createS3Client({ region: 'us-east-1', endpoint: local.endpoint });
});
afterAll(async () => {
  await local?.close();
});

async function post(
  upload: { url: string; fields: Record<string, string> },
  body: string,
  fieldChanges: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...fieldChanges })) form.append(name, value);
  form.append('file', new Blob([body], { type: 'application/x-ndjson' }), 'data.jsonl');
  return fetch(upload.url, { method: 'POST', body: form });
}

const stores = () => ({ state: new S3ObjectStore(s3, 'state'), uploads: new S3ObjectStore(s3, 'uploads') });
const validate = (key: string) =>
  validateUpload(key, {
    openUpload: async (k) => {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: k }));
      return Body as AsyncIterable<Uint8Array>;
    },
    state: stores().state,
    copyToValidated: async (from, to) => {
      const object = await stores().uploads.get(from);
      if (object) await new S3ObjectStore(s3, 'validated').put(to, object.body);
    },
    maxBytes: MAX,
    maxRecords: 100,
  });

describe('testing-data uploads', () => {
  it('uploads through the presigned POST, validates, and copies a valid file to the validated bucket', async () => {
    const upload = await createUpload(
      { fileName: 'tests.jsonl', contentType: 'application/x-ndjson', size: 60 },
      { s3, uploadsBucket: 'uploads', maxBytes: MAX },
    );
    expect(upload.fields.key).toBe(testingDataKeys.upload(upload.testingDataId));
    const body = '{"id":"q1","prompt":"What is 2+2?"}\n{"id":"q2","prompt":"Name a prime."}\n';
    expect((await post(upload, body)).ok).toBe(true);
    expect((await getTestingData(upload.testingDataId, stores())).status).toBe('pending');
    const report = await validate(testingDataKeys.upload(upload.testingDataId));
    expect(report).toMatchObject({ valid: true, records: 2 });
    expect(await getTestingData(upload.testingDataId, stores())).toMatchObject({
      status: 'valid',
      report: { records: 2 },
    });
    expect(
      await new S3ObjectStore(s3, 'validated').get(testingDataKeys.validated(upload.testingDataId)),
    ).toBeDefined();
  });

  it('reports an invalid file line by line and never copies it', async () => {
    const upload = await createUpload(
      { fileName: 'bad.jsonl', contentType: 'application/x-ndjson', size: 60 },
      { s3, uploadsBucket: 'uploads', maxBytes: MAX },
    );
    await post(upload, '{"id":"q1","prompt":"ok"}\n{"id":"q1","prompt":"again"}\nnot json\n');
    const report = await validate(testingDataKeys.upload(upload.testingDataId));
    expect(report?.valid).toBe(false);
    expect(report?.errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'E_DUPLICATE_ID'],
      [3, 'E_JSON'],
    ]);
    expect(
      await new S3ObjectStore(s3, 'validated').get(testingDataKeys.validated(upload.testingDataId)),
    ).toBeUndefined();
    expect((await getTestingData(upload.testingDataId, stores())).status).toBe('invalid');
  });

  it('refuses to presign an upload larger than the limit', async () => {
    await expect(
      createUpload(
        { fileName: 'huge.jsonl', contentType: 'application/x-ndjson', size: MAX + 1 },
        { s3, uploadsBucket: 'uploads', maxBytes: MAX },
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('has S3 refuse an upload beyond the size range of the policy', async () => {
    const upload = await createUpload(
      { fileName: 'x.jsonl', contentType: 'application/x-ndjson', size: 10 },
      { s3, uploadsBucket: 'uploads', maxBytes: MAX },
    );
    const response = await post(upload, `${'{"id":"a","prompt":"x"}\n'.repeat(200)}`);
    expect(response.ok).toBe(false);
    expect(await stores().uploads.get(testingDataKeys.upload(upload.testingDataId))).toBeUndefined();
  });

  it('has S3 refuse an upload outside the key prefix of the policy', async () => {
    const upload = await createUpload(
      { fileName: 'x.jsonl', contentType: 'application/x-ndjson', size: 10 },
      { s3, uploadsBucket: 'uploads', maxBytes: MAX },
    );
    const response = await post(upload, '{"id":"a","prompt":"x"}\n', {
      key: 'uploads/someone-else/data.jsonl',
    });
    expect(response.status).toBe(403);
    expect(await stores().uploads.get('uploads/someone-else/data.jsonl')).toBeUndefined();
  });

  it('ignores objects that were not uploaded through the API, and answers 404 for unknown ids', async () => {
    expect(await validate('uploads/elsewhere.jsonl')).toBeUndefined();
    await expect(getTestingData('td-AAAAAAAAAAAA', stores())).rejects.toMatchObject({ status: 404 });
    await expect(getTestingData('../etc/passwd', stores())).rejects.toMatchObject({ status: 404 });
  });
});
