import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from './index.js';

// Browser-style uploads with the real SDK's presigned POST, sent with fetch and FormData as a
// browser sends them, against a policy the local S3 now enforces.
const UPLOADS = 'team-uploads';
const PREFIX = 'uploads/team-otters/';

let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [{ name: UPLOADS, cors: true }] });
  client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

/**
 * The League's kind of policy: any key under the team's prefix (the browser names the file), an
 * ndjson Content-Type, 1 byte to 1 KiB.
 */
function presign(options: Partial<PresignedPostOptions> = {}) {
  return createPresignedPost(client, {
    Bucket: UPLOADS,
    Key: `${PREFIX}\${filename}`,
    Conditions: [['content-length-range', 1, 1024]],
    Fields: { 'Content-Type': 'application/x-ndjson', success_action_status: '201' },
    Expires: 300,
    ...options,
  });
}

/** Posts the form: `fields` in order (later ones override earlier ones of the same name), then the file. */
async function post(
  url: string,
  fields: Record<string, string>,
  file: Blob | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', typeof file === 'string' ? new Blob([file]) : file, 'data.jsonl');
  return fetch(url, { method: 'POST', body: form, headers });
}

/** Code and message of an S3 XML error. */
async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const xml = await response.text();
  const text = (tag: string) =>
    (new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1] ?? '').replace(/&#(\d+);/g, (_, code: string) =>
      String.fromCharCode(Number(code)),
    );
  return { status: response.status, code: text('Code'), message: text('Message') };
}

async function exists(key: string): Promise<boolean> {
  return client.send(new HeadObjectCommand({ Bucket: UPLOADS, Key: key })).then(
    () => true,
    (error: unknown) => {
      if (error instanceof Error && error.name === 'NotFound') return false;
      throw error;
    },
  );
}

async function bodyOf(key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: UPLOADS, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

const LINE = '{"id":"t1","prompt":"hi"}\n';

describe('presigned POST policies', () => {
  it('takes an upload that meets the policy, with the ETag and status asked for', async () => {
    const { url, fields } = await presign();
    const key = `${PREFIX}valid.jsonl`;
    // Field names are case-insensitive against the policy; x-ignore-* fields need no condition.
    const { 'Content-Type': contentType = '', ...rest } = fields;
    const response = await post(
      url,
      { ...rest, 'content-type': contentType, key, 'x-ignore-note': 'hi' },
      LINE,
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await response.text()).toContain(`<Key>${key}</Key>`);
    expect(await bodyOf(key)).toBe(LINE);
    const head = await client.send(new HeadObjectCommand({ Bucket: UPLOADS, Key: key }));
    expect(head.ContentType).toBe('application/x-ndjson');
  });

  it('takes a file of exactly the maximum size, and refuses one byte more with EntityTooLarge', async () => {
    const { url, fields } = await presign();
    const atMax = await post(url, { ...fields, key: `${PREFIX}max.jsonl` }, 'x'.repeat(1024));
    expect(atMax.status).toBe(201);

    const key = `${PREFIX}too-large.jsonl`;
    const refused = await post(url, { ...fields, key }, 'x'.repeat(1025));
    expect(await errorOf(refused)).toEqual({
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
    });
    expect(await exists(key)).toBe(false);
  });

  it('refuses a file below the minimum with EntityTooSmall', async () => {
    const { url, fields } = await presign({ Conditions: [['content-length-range', 10, 1024]] });
    const key = `${PREFIX}too-small.jsonl`;
    const refused = await post(url, { ...fields, key }, 'tiny');
    expect(await errorOf(refused)).toEqual({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size',
    });
    expect(await exists(key)).toBe(false);
  });

  it('stops reading a large file once it is over the maximum, and stays usable', async () => {
    const { url, fields } = await presign();
    const key = `${PREFIX}huge.jsonl`;
    const refused = await post(url, { ...fields, key }, new Blob([new Uint8Array(32 * 1024 * 1024)]));
    expect(refused.headers.get('connection')).toBe('close');
    expect(await errorOf(refused)).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(await exists(key)).toBe(false);
    const after = await post(url, { ...fields, key: `${PREFIX}after-huge.jsonl` }, LINE);
    expect(after.status).toBe(201);
  });

  it('refuses a key outside the starts-with prefix with 403 AccessDenied', async () => {
    const { url, fields } = await presign();
    const key = 'uploads/team-badgers/data.jsonl';
    expect(await errorOf(await post(url, { ...fields, key }, LINE))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "${PREFIX}"]`,
    });
    expect(await exists(key)).toBe(false);
  });

  it('refuses a Content-Type other than the one the policy fixes', async () => {
    const { url, fields } = await presign();
    const key = `${PREFIX}page.html`;
    const refused = await post(url, { ...fields, key, 'Content-Type': 'text/html' }, '<script></script>');
    expect(await errorOf(refused)).toEqual({
      status: 403,
      code: 'AccessDenied',
      message:
        'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "application/x-ndjson"]',
    });
    expect(await exists(key)).toBe(false);
  });

  it('refuses an expired policy', async () => {
    // Signed to expire a minute ago.
    const { url, fields } = await presign({ Expires: -60 });
    const key = `${PREFIX}late.jsonl`;
    expect(await errorOf(await post(url, { ...fields, key }, LINE))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
    });
    expect(await exists(key)).toBe(false);
  });

  it('refuses a form field that no condition covers', async () => {
    const { url, fields } = await presign();
    const key = `${PREFIX}extra.jsonl`;
    const refused = await post(url, { ...fields, key, 'x-amz-meta-uploaded-by': 'someone-else' }, LINE);
    expect(await errorOf(refused)).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Extra input fields: x-amz-meta-uploaded-by',
    });
    expect(await exists(key)).toBe(false);
  });

  it('refuses a policy posted to another bucket than the one it names', async () => {
    const other = await startLocalS3({ buckets: [{ name: UPLOADS }, { name: 'other-bucket' }] });
    try {
      const { fields } = await presign();
      const refused = await post(
        `${other.endpoint}/other-bucket`,
        { ...fields, key: `${PREFIX}x.jsonl` },
        LINE,
      );
      expect(await errorOf(refused)).toMatchObject({
        status: 403,
        message: `Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "${UPLOADS}"]`,
      });
    } finally {
      await other.close();
    }
  });

  it('sends the bucket’s CORS headers with a refusal, so a browser can read it', async () => {
    const { url, fields } = await presign();
    const refused = await post(url, { ...fields, key: 'elsewhere/x.jsonl' }, LINE, {
      origin: 'http://localhost:5173',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('serialises form uploads with other writes and reads of the key', async () => {
    const { url, fields } = await presign({ Conditions: [['content-length-range', 1, 1024 * 1024]] });
    const key = `${PREFIX}contended.jsonl`;
    const version = (n: number) => String.fromCharCode(97 + n).repeat(256 * 1024);
    await client.send(new PutObjectCommand({ Bucket: UPLOADS, Key: key, Body: version(0) }));
    let writing = true;
    const writer = (async () => {
      for (let n = 1; n <= 8; n++) expect((await post(url, { ...fields, key }, version(n))).status).toBe(201);
      writing = false;
    })();
    const readers = Array.from({ length: 3 }, async () => {
      const torn: string[] = [];
      while (writing) {
        const body = await bodyOf(key);
        if (body.length !== 256 * 1024 || body !== (body[0] ?? '').repeat(body.length))
          torn.push(`${body.length} bytes`);
      }
      return torn;
    });
    await writer;
    expect((await Promise.all(readers)).flat()).toEqual([]);
    expect(await bodyOf(key)).toBe(version(8));
  });
});
