import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from './index.js';

// The real SDK against the local S3. Clients use the `local` placeholder key (the local stack's)
// unless a test says otherwise.
const BUCKET = 'league-state';
const UPLOADS = 'league-uploads';

let s3: LocalS3;
let client: S3Client;

function s3Client(endpoint: string, accessKeyId = 'local'): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: accessKeyId },
  });
}

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [{ name: BUCKET }, { name: UPLOADS, cors: true }] });
  client = s3Client(s3.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

const put = (key: string, body: string, extra: { IfMatch?: string; IfNoneMatch?: string } = {}) =>
  client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ...extra }));

async function bodyOf(key: string, bucket = BUCKET): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

/** The SDK error a failed send rejects with, for asserting on its name and status. */
async function failure(sending: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const error = await sending.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error('expected the request to fail');
  const status =
    '$metadata' in error ? (error.$metadata as { httpStatusCode?: number }).httpStatusCode : undefined;
  return { name: error.name, status };
}

describe('startLocalS3', () => {
  it('creates the listed buckets, with a CORS configuration only where asked', async () => {
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.map((bucket) => bucket.Name).sort()).toEqual([BUCKET, UPLOADS]);
    const cors = await client.send(new GetBucketCorsCommand({ Bucket: UPLOADS }));
    expect(cors.CORSRules?.[0]).toMatchObject({ AllowedOrigins: ['*'], ExposeHeaders: ['ETag'] });
    expect(await failure(client.send(new GetBucketCorsCommand({ Bucket: BUCKET })))).toMatchObject({
      name: 'NoSuchCORSConfiguration',
    });
  });

  it('rejects a bucket name S3 would reject', async () => {
    await expect(startLocalS3({ buckets: [{ name: 'Team_Uploads' }] })).rejects.toThrow(/bucket name/);
  });

  it("accepts s3rver's own access key and refuses an unknown one", async () => {
    const s3rverKey = s3Client(s3.endpoint, 'S3RVER');
    const stranger = s3Client(s3.endpoint, 'AKIASTRANGER');
    await s3rverKey.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keys/s3rver', Body: 'ok' }));
    expect(
      await failure(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'keys/s3rver' }))),
    ).toEqual({
      name: 'InvalidAccessKeyId',
      status: 403,
    });
    s3rverKey.destroy();
    stranger.destroy();
  });

  it('keeps user metadata, content type and cache control', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'metadata/report.json',
        Body: '{}',
        ContentType: 'application/json',
        CacheControl: 'no-cache',
        Metadata: { team: 'otters', 'line-count': '12' },
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'metadata/report.json' }));
    expect(head).toMatchObject({
      ContentType: 'application/json',
      CacheControl: 'no-cache',
      Metadata: { team: 'otters', 'line-count': '12' },
    });
  });
});

describe('object-created notifications', () => {
  it('notifies a bucket listener of a put, with the key URL-encoded as S3 does, and not of other buckets', async () => {
    const events: S3Event[] = [];
    s3.onObjectCreated(UPLOADS, (event) => events.push(event));
    await put('elsewhere.txt', 'not this bucket');
    await client.send(new PutObjectCommand({ Bucket: UPLOADS, Key: 'uploads/my file.jsonl', Body: '{}' }));
    await expect.poll(() => events.length).toBe(1);
    const record = events[0]?.Records[0];
    expect(record?.eventName).toBe('ObjectCreated:Put');
    expect(record?.s3.bucket.name).toBe(UPLOADS);
    expect(record?.s3.object.key).toBe('uploads/my+file.jsonl');
    expect(record?.s3.object.size).toBe(2);
  });
});

describe('conditional writes', () => {
  it('answers If-None-Match: * on an existing object with 412 PreconditionFailed and S3’s XML body', async () => {
    await put('create-once/a.json', 'first', { IfNoneMatch: '*' });
    expect(await failure(put('create-once/a.json', 'second', { IfNoneMatch: '*' }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });

    const raw = await fetch(`${s3.endpoint}/${BUCKET}/create-once/a.json`, {
      method: 'PUT',
      headers: { 'if-none-match': '*' },
      body: 'third',
    });
    expect(raw.status).toBe(412);
    expect(raw.headers.get('content-type')).toBe('application/xml');
    const xml = await raw.text();
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>PreconditionFailed<\/Code>/,
    );
    expect(xml).toContain('<Condition>If-None-Match</Condition>');
    expect(await bodyOf('create-once/a.json')).toBe('first');
  });

  it('writes with If-Match only while the ETag is current', async () => {
    const first = await put('if-match/state.json', 'v1');
    const second = await put('if-match/state.json', 'v2', { IfMatch: first.ETag });
    expect(await failure(put('if-match/state.json', 'v3', { IfMatch: first.ETag }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(await bodyOf('if-match/state.json')).toBe('v2');
    // ETags compare without their quotes, as S3 compares them.
    await put('if-match/state.json', 'v4', { IfMatch: second.ETag?.replaceAll('"', '') });
    expect(await bodyOf('if-match/state.json')).toBe('v4');
  });

  it('refuses If-Match on a missing object', async () => {
    expect(await failure(put('if-match/never-written.json', 'v1', { IfMatch: '"0123"' }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(
      await failure(
        client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'if-match/never-written.json' })),
      ),
    ).toMatchObject({ status: 404 });
  });

  it('leaves a missing bucket to s3rver: 404 NoSuchBucket, not a failed condition', async () => {
    const write = client.send(
      new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x', IfMatch: '"1"' }),
    );
    expect(await failure(write)).toEqual({ name: 'NoSuchBucket', status: 404 });
  });

  it('lets exactly one of 50 concurrent If-Match writers with the same ETag win', async () => {
    const { ETag } = await put('contended/state.json', 'start');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, writer) =>
        put('contended/state.json', `writer-${writer}`, { IfMatch: ETag }),
      ),
    );
    const winners = outcomes.flatMap((outcome, writer) => (outcome.status === 'fulfilled' ? [writer] : []));
    expect(winners).toHaveLength(1);
    const losers = await Promise.all(
      outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [failure(Promise.reject(outcome.reason))] : [],
      ),
    );
    expect(new Set(losers.map((loser) => `${loser.status} ${loser.name}`))).toEqual(
      new Set(['412 PreconditionFailed']),
    );
    expect(await bodyOf('contended/state.json')).toBe(`writer-${winners[0]}`);
  });

  it('never shows a reader half a write', async () => {
    const key = 'torn/large.txt';
    const version = (n: number): string => String.fromCharCode(97 + n).repeat(256 * 1024);
    let { ETag } = await put(key, version(0));
    let writing = true;
    const writer = (async () => {
      for (let n = 1; n <= 12; n++) ({ ETag } = await put(key, version(n), { IfMatch: ETag }));
      writing = false;
    })();
    const readers = Array.from({ length: 4 }, async () => {
      const seen: { uniform: boolean; etagMatches: boolean }[] = [];
      while (writing) {
        const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        const body = (await object.Body?.transformToString()) ?? '';
        seen.push({
          uniform: body.length === 256 * 1024 && body === (body[0] ?? '').repeat(body.length),
          etagMatches: object.ETag === `"${createHash('md5').update(body).digest('hex')}"`,
        });
      }
      return seen;
    });
    await writer;
    const reads = (await Promise.all(readers)).flat();
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((read) => !read.uniform || !read.etagMatches)).toEqual([]);
  });

  it('answers If-None-Match other than * with 501 NotImplemented, as S3 does', async () => {
    const raw = await fetch(`${s3.endpoint}/${BUCKET}/if-none-match/etag.json`, {
      method: 'PUT',
      headers: { 'if-none-match': '"abc"' },
      body: 'x',
    });
    expect(raw.status).toBe(501);
    expect(await raw.text()).toContain('<Code>NotImplemented</Code>');
  });

  it('refuses a conditional delete rather than ignoring its condition', async () => {
    await put('delete/kept.json', 'kept');
    expect(
      await failure(
        client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'delete/kept.json', IfMatch: '"x"' })),
      ),
    ).toEqual({ name: 'NotImplemented', status: 501 });
    expect(await bodyOf('delete/kept.json')).toBe('kept');
  });

  it('applies If-None-Match to the destination of a copy', async () => {
    await put('copy/source.json', 'source');
    await put('copy/taken.json', 'taken');
    const copy = (destination: string) =>
      client.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          Key: destination,
          CopySource: `${BUCKET}/copy/source.json`,
          IfNoneMatch: '*',
        }),
      );
    expect(await failure(copy('copy/taken.json'))).toMatchObject({ status: 412 });
    await copy('copy/free.json');
    expect(await bodyOf('copy/taken.json')).toBe('taken');
    expect(await bodyOf('copy/free.json')).toBe('source');
  });

  it('applies If-None-Match to CompleteMultipartUpload', async () => {
    const upload = async (key: string) => {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
      const part = await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          PartNumber: 1,
          Body: `multipart ${key}`,
        }),
      );
      return client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
    };
    await put('multipart/taken.bin', 'taken');
    expect(await failure(upload('multipart/taken.bin'))).toMatchObject({ status: 412 });
    await upload('multipart/free.bin');
    expect(await bodyOf('multipart/taken.bin')).toBe('taken');
    expect(await bodyOf('multipart/free.bin')).toBe('multipart multipart/free.bin');
  });
});

describe('what passes through to s3rver', () => {
  it('serves a presigned GET until it expires', async () => {
    await put('presigned/results.jsonl', '{"id":"q1"}\n');
    const command = new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned/results.jsonl' });
    const response = await fetch(await getSignedUrl(client, command, { expiresIn: 300 }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"id":"q1"}\n');

    // Signed ten minutes ago for five: expired, without the test waiting.
    const expired = await getSignedUrl(client, command, {
      expiresIn: 300,
      signingDate: new Date(Date.now() - 600_000),
    });
    const refused = await fetch(expired);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Request has expired');
  });

  it('takes a browser-style presigned POST upload with its form fields, CORS headers included', async () => {
    const key = 'uploads/team-otters/testing-data.jsonl';
    const { url, fields } = await createPresignedPost(client, {
      Bucket: UPLOADS,
      Key: key,
      Conditions: [['content-length-range', 1, 1_048_576]],
      Fields: {
        'Content-Type': 'application/x-ndjson',
        'x-amz-meta-uploaded-by': 'otters',
        success_action_status: '201',
      },
      Expires: 300,
    });
    expect(url).toBe(`${s3.endpoint}/${UPLOADS}`);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(['{"id":"t1","prompt":"hi"}\n']), 'testing-data.jsonl');

    const response = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { origin: 'http://localhost:5173' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toContain(`<Key>${key}</Key>`);

    const head = await client.send(new HeadObjectCommand({ Bucket: UPLOADS, Key: key }));
    expect(head).toMatchObject({
      ContentType: 'application/x-ndjson',
      Metadata: { 'uploaded-by': 'otters' },
    });
    expect(await bodyOf(key, UPLOADS)).toBe('{"id":"t1","prompt":"hi"}\n');
  });

  it('answers a CORS preflight on a CORS bucket only', async () => {
    const preflight = (bucket: string) =>
      fetch(`${s3.endpoint}/${bucket}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(UPLOADS);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('*');
    expect((await preflight(BUCKET)).status).toBe(403);
  });
});

describe('ListObjectsV2', () => {
  async function listAll(prefix: string, extra: { Delimiter?: string; MaxKeys?: number } = {}) {
    const pages: ListObjectsV2CommandOutput[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken, ...extra }),
      );
      pages.push(page);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined);
    return pages;
  }

  it('pages in S3 key order, common prefixes counting as entries', async () => {
    const keys = ['list/a/b/c', 'list/a/x', 'list/a-b', 'list/a', 'list/b', 'list/c/d'];
    await Promise.all(keys.map((key) => put(key, key)));

    const flat = await listAll('list/', { MaxKeys: 2 });
    expect(flat.map((page) => page.KeyCount)).toEqual([2, 2, 2]);
    // S3 order is byte order: "-" sorts before "/".
    expect(flat.flatMap((page) => page.Contents?.map((object) => object.Key) ?? [])).toEqual([
      'list/a',
      'list/a-b',
      'list/a/b/c',
      'list/a/x',
      'list/b',
      'list/c/d',
    ]);
    expect(flat[0]?.Contents?.[0]).toMatchObject({
      Size: 6,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });

    const nested = await listAll('list/', { Delimiter: '/', MaxKeys: 1 });
    expect(
      nested.map((page) => [
        ...(page.Contents ?? []).map((o) => o.Key),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix),
      ]),
    ).toEqual([['list/a'], ['list/a-b'], ['list/a/'], ['list/b'], ['list/c/']]);
  });

  it('refuses a continuation token from another bucket', async () => {
    await Promise.all(['token/1', 'token/2'].map((key) => put(key, key)));
    const first = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'token/', MaxKeys: 1 }),
    );
    const elsewhere = client.send(
      new ListObjectsV2Command({ Bucket: UPLOADS, ContinuationToken: first.NextContinuationToken }),
    );
    expect(await failure(elsewhere)).toEqual({ name: 'InvalidArgument', status: 400 });
  });

  it('lists a missing bucket as NoSuchBucket', async () => {
    expect(await failure(client.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })))).toEqual({
      name: 'NoSuchBucket',
      status: 404,
    });
  });
});

describe('the lifecycle', () => {
  it('keeps objects in a given directory across restarts, and stops listening on close', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'league-s3-test-'));
    try {
      const first = await startLocalS3({ directory, buckets: [{ name: 'kept' }] });
      const firstClient = s3Client(first.endpoint);
      await firstClient.send(new PutObjectCommand({ Bucket: 'kept', Key: 'snapshot.json', Body: '{"n":1}' }));
      firstClient.destroy();
      await first.close();
      await expect(fetch(`${first.endpoint}/kept/snapshot.json`)).rejects.toThrow();

      const second = await startLocalS3({ directory, buckets: [{ name: 'kept' }] });
      const secondClient = s3Client(second.endpoint);
      const object = await secondClient.send(new GetObjectCommand({ Bucket: 'kept', Key: 'snapshot.json' }));
      expect(await object.Body?.transformToString()).toBe('{"n":1}');
      secondClient.destroy();
      await second.close();
      expect((await stat(directory)).isDirectory()).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('removes the temporary directory it made', async () => {
    const local = await startLocalS3({ buckets: [{ name: 'scratch' }] });
    expect((await stat(local.directory)).isDirectory()).toBe(true);
    await local.close();
    await local.close();
    await expect(stat(local.directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
