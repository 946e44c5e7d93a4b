import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalS3, startLocalS3 } from '../../scripts/local/s3/index.js';
import { updateJson } from './json-object.js';
import { PreconditionFailed } from './object-store.js';
import { createS3Client, S3ObjectStore } from './s3-object-store.js';

// Integration tests: the real SDK against the local S3 (s3rver behind the conditional-write front).
const BUCKET = 'league-state';

let s3: LocalS3;
let client: S3Client;
let store: S3ObjectStore;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [{ name: BUCKET }] });
  client = createS3Client({ region: 'us-east-1', endpoint: s3.endpoint });
  store = new S3ObjectStore(client, BUCKET);
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('S3ObjectStore', () => {
  it('puts, gets, lists and deletes an object with its metadata', async () => {
    const { etag } = await store.put('round-trip/snapshot.json', '{"rank":1}', {
      contentType: 'application/json',
      cacheControl: 'max-age=60',
      metadata: { team: 'otters', 'submission-id': 'sub-1' },
    });
    await store.put('round-trip/a.json', 'a');
    await store.put('elsewhere/b.json', 'b');

    const object = await store.get('round-trip/snapshot.json');
    expect(object && text(object.body)).toBe('{"rank":1}');
    expect(object?.etag).toBe(etag);
    expect(object?.metadata).toEqual({ team: 'otters', 'submission-id': 'sub-1' });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'round-trip/snapshot.json' }),
    );
    expect(head).toMatchObject({ ContentType: 'application/json', CacheControl: 'max-age=60' });
    expect(await store.list('round-trip/')).toEqual(['round-trip/a.json', 'round-trip/snapshot.json']);

    await store.delete('round-trip/snapshot.json');
    expect(await store.get('round-trip/snapshot.json')).toBeUndefined();
    expect(await store.list('round-trip/')).toEqual(['round-trip/a.json']);
  });

  it('stores bytes as given', async () => {
    const bytes = Uint8Array.from([0, 255, 10, 13, 128]);
    await store.put('bytes/blob.bin', bytes);
    expect((await store.get('bytes/blob.bin'))?.body).toEqual(bytes);
  });

  it('answers undefined for a missing key but fails for a missing bucket', async () => {
    expect(await store.get('no/such/key.json')).toBeUndefined();
    await expect(new S3ObjectStore(client, 'no-such-bucket').get('key.json')).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it('creates an object once with If-None-Match and refuses the second create', async () => {
    await store.put('once/lock.json', 'first', { ifNoneMatch: '*' });
    await expect(store.put('once/lock.json', 'second', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    const object = await store.get('once/lock.json');
    expect(object && text(object.body)).toBe('first');
  });

  it('refuses a write with a stale ETag and leaves the object as it was', async () => {
    const first = await store.put('stale/state.json', 'v1');
    const second = await store.put('stale/state.json', 'v2', { ifMatch: first.etag });
    expect(second.etag).not.toBe(first.etag);

    await expect(store.put('stale/state.json', 'v3', { ifMatch: first.etag })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    const object = await store.get('stale/state.json');
    expect(object && text(object.body)).toBe('v2');
    expect(object?.etag).toBe(second.etag);
  });

  it('refuses an If-Match write to an object deleted since it was read', async () => {
    const { etag } = await store.put('deleted/state.json', 'v1');
    await store.delete('deleted/state.json');
    await expect(store.put('deleted/state.json', 'v2', { ifMatch: etag })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    expect(await store.get('deleted/state.json')).toBeUndefined();
  });

  it('loses no increment when 50 updaters update one counter at once', async () => {
    const Counter = z.strictObject({ count: z.number().int(), writers: z.array(z.number()) });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, writer) =>
        updateJson(store, 'contended/counter.json', Counter, (current) => {
          const next = { count: (current?.count ?? 0) + 1, writers: [...(current?.writers ?? []), writer] };
          return { value: next, result: next.count };
        }),
      ),
    );
    const object = await store.get('contended/counter.json');
    const counter = Counter.parse(JSON.parse(object ? text(object.body) : 'null'));
    expect(counter.count).toBe(50);
    expect([...counter.writers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // Each updater saw a different count: no two wrote from the same read.
    expect(new Set(results).size).toBe(50);
  });

  it('lets exactly one of 50 concurrent creates of one key win', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, writer) =>
        store.put('contended/claim.json', `writer-${writer}`, { ifNoneMatch: '*' }),
      ),
    );
    const winners = outcomes.flatMap((outcome, writer) => (outcome.status === 'fulfilled' ? [writer] : []));
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(PreconditionFailed);
    }
    const object = await store.get('contended/claim.json');
    expect(object && text(object.body)).toBe(`writer-${winners[0]}`);
  });

  it('lists every key under a prefix across pages, beyond S3’s 1,000 a page, in order', async () => {
    const limit = pLimit(50);
    const keys = Array.from({ length: 1_100 }, (_, i) => `many/judgment-${String(i).padStart(4, '0')}.json`);
    await Promise.all(keys.map((key) => limit(() => store.put(key, '{}'))));
    await store.put('many-not-under-prefix.json', '{}');

    expect(await store.list('many/')).toEqual(keys);
  });

  it('pages with a smaller page size too', async () => {
    const small = new S3ObjectStore(client, BUCKET, { listPageSize: 3 });
    const keys = ['paged/b', 'paged/a', 'paged/d/e', 'paged/c', 'paged/d-f', 'paged/g', 'paged/h'];
    await Promise.all(keys.map((key) => small.put(key, key)));
    expect(await small.list('paged/')).toEqual([...keys].sort());
  });
});

describe('createS3Client', () => {
  it('addresses a local endpoint by path, with placeholder credentials', async () => {
    const local = createS3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4569' });
    expect(local.config.forcePathStyle).toBe(true);
    expect(await local.config.credentials()).toMatchObject({ accessKeyId: 'local' });
    local.destroy();
  });

  it('leaves AWS defaults alone without an endpoint', async () => {
    const aws = createS3Client({ region: 'eu-west-1' });
    expect(aws.config.forcePathStyle).toBe(false);
    expect(aws.config.endpoint).toBeUndefined();
    expect(await aws.config.region()).toBe('eu-west-1');
    aws.destroy();
  });
});
