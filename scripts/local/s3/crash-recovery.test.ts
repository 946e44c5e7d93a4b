import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../../leaderboard-account/ranking/prng.js';
import { type LocalS3, startLocalS3 } from './index.js';

// What a crash can leave in the local S3's directory, and what a restart makes of it. The files
// are laid out as s3rver's filesystem store lays them out (`<key>._S3rver_object`, its `.md5` and
// `._S3rver_metadata.json`), as a SIGKILL half-way through one of its writes leaves them.
const BUCKET = 'league-state';
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = 'scripts/local/s3/write-until-killed.ts';
/** The kill schedule's seed. */
const SEED = 20_261_204;

let directory: string;
let server: LocalS3 | undefined;
let client: S3Client | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'league-s3-crash-'));
});

afterEach(async () => {
  await stop();
  await rm(directory, { recursive: true, force: true });
});

/** Stops the local S3 as a crash would find it: whatever its directory holds stays. */
async function stop(): Promise<void> {
  client?.destroy();
  await server?.close();
  client = undefined;
  server = undefined;
}

async function start(): Promise<S3Client> {
  await stop();
  server = await startLocalS3({ directory, buckets: [{ name: BUCKET }] });
  client = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return client;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const file = (key: string, resource: 'object' | 'object.md5' | 'metadata.json') =>
  join(directory, BUCKET, `${key}._S3rver_${resource}`);

/** An object stored whole, then the server stopped: what every test starts from. */
async function storedWhole(key: string, body: string): Promise<void> {
  const s3 = await start();
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'application/json' }),
  );
}

async function listed(s3: S3Client, prefix: string): Promise<{ status: number; keys: string[] }> {
  try {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return { status: 200, keys: (page.Contents ?? []).map((object) => object.Key ?? '') };
  } catch (error) {
    return {
      status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0,
      keys: [],
    };
  }
}

async function read(s3: S3Client, key: string): Promise<{ status: number; body?: string; etag?: string }> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return { status: 200, body: (await object.Body?.transformToString()) ?? '', etag: object.ETag ?? '' };
  } catch (error) {
    return { status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0 };
  }
}

/** Every file left in the bucket's `dir`, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(join(directory, BUCKET, dir), { recursive: true })).sort();
}

describe('the local S3 after a crash', () => {
  it('lists a prefix whose newest object has half its metadata, leaving that object out', async () => {
    await storedWhole('judgments/a.json', '{"verdict":"A"}');
    await stop();
    // Killed while writing the metadata of a new object: body and MD5 whole, metadata cut short.
    await writeFile(file('judgments/b', 'object'), '{"verdict":"B"}');
    await writeFile(file('judgments/b', 'object.md5'), md5('{"verdict":"B"}'));
    await writeFile(file('judgments/b', 'metadata.json'), '{\n  "content-type": "applica');

    const s3 = await start();
    expect(await listed(s3, 'judgments/')).toEqual({ status: 200, keys: ['judgments/a.json'] });
    expect(await read(s3, 'judgments/b')).toEqual({ status: 404 });
    expect((await read(s3, 'judgments/a.json')).body).toBe('{"verdict":"A"}');
  });

  it('drops a body that a crash left without its metadata: it was never acknowledged', async () => {
    await storedWhole('evaluations/kept.json', '{"status":"queued"}');
    await stop();
    await writeFile(file('evaluations/half.json', 'object'), '{"status":"que');

    const s3 = await start();
    expect(await listed(s3, 'evaluations/')).toEqual({ status: 200, keys: ['evaluations/kept.json'] });
    expect(await read(s3, 'evaluations/half.json')).toEqual({ status: 404 });
  });

  it('drops an object whose body no longer matches its MD5 (an overwrite cut short) rather than serve it', async () => {
    await storedWhole('state/board.json', JSON.stringify({ version: 1, padding: 'x'.repeat(1000) }));
    await stop();
    // The old store rewrote the body in place: killed half-way, the old ETag describes a torn body.
    await writeFile(file('state/board.json', 'object'), '{"version":2,"padd');

    const s3 = await start();
    expect(await read(s3, 'state/board.json')).toEqual({ status: 404 });
    expect(await listed(s3, 'state/')).toEqual({ status: 200, keys: [] });
  });

  it('keeps the previous version when the crash came before a write’s commit point', async () => {
    await storedWhole('state/board.json', '{"version":1}');
    await stop();
    // The new version's files staged under temporary names, no commit marker yet.
    const id = randomUUID();
    await writeFile(`${file('state/board.json', 'object')}.${id}.tmp`, '{"version":2}');
    await writeFile(`${file('state/board.json', 'object.md5')}.${id}.tmp`, md5('{"version":2}'));

    const s3 = await start();
    expect(await read(s3, 'state/board.json')).toEqual({
      status: 200,
      body: '{"version":1}',
      etag: `"${md5('{"version":1}')}"`,
    });
    expect(await filesIn('state')).toEqual([
      'board.json._S3rver_metadata.json',
      'board.json._S3rver_object',
      'board.json._S3rver_object.md5',
    ]);
  });

  it('finishes a write that had passed its commit point when the crash came', async () => {
    await storedWhole('state/board.json', '{"version":1}');
    await stop();
    // Committed, and killed after the MD5 was renamed into place but before the body was.
    const id = randomUUID();
    const metadata = await readFile(file('state/board.json', 'metadata.json'), 'utf8');
    await writeFile(`${file('state/board.json', 'object')}.${id}.tmp`, '{"version":2}');
    await writeFile(`${file('state/board.json', 'metadata.json')}.${id}.tmp`, metadata);
    await writeFile(join(directory, BUCKET, 'state', `board.json._S3rver_commit.${id}`), '');
    await writeFile(file('state/board.json', 'object.md5'), md5('{"version":2}'));

    const s3 = await start();
    expect(await read(s3, 'state/board.json')).toEqual({
      status: 200,
      body: '{"version":2}',
      etag: `"${md5('{"version":2}')}"`,
    });
    expect(await filesIn('state')).toEqual([
      'board.json._S3rver_metadata.json',
      'board.json._S3rver_object',
      'board.json._S3rver_object.md5',
    ]);
  });

  it('leaves no partial object or temporary file in its directory once started', async () => {
    await storedWhole('caps/lynx/2026-12-04.json', '{"submissionIds":["a"]}');
    await stop();
    await writeFile(file('caps/lynx/orphan.json', 'metadata.json'), '{}');
    await writeFile(file('caps/lynx/orphan.json', 'object.md5'), md5(''));
    await writeFile(`${file('caps/lynx/2026-12-04.json', 'object')}.${randomUUID()}.tmp`, '{"subm');

    const s3 = await start();
    expect(await filesIn('caps/lynx')).toEqual([
      '2026-12-04.json._S3rver_metadata.json',
      '2026-12-04.json._S3rver_object',
      '2026-12-04.json._S3rver_object.md5',
    ]);
    expect((await read(s3, 'caps/lynx/2026-12-04.json')).body).toBe('{"submissionIds":["a"]}');
  });
});

/** The writer, in its own process, printing what it sends and what S3 acknowledged. */
function startWriter(seed: number): { child: ChildProcess; lines: string[]; sent: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, directory, String(seed)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  let onLine = () => {};
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete);
    onLine();
  });
  // Resolves once the writer has announced its `sends`-th write (drawn per round).
  const sends = 3 + (seed % 9);
  const sent = new Promise<void>((resolve, reject) => {
    onLine = () => {
      if (lines.filter((line) => line.startsWith('send ')).length >= sends) resolve();
    };
    child.once('exit', () => reject(new Error(`the writer exited early:\n${lines.join('\n')}`)));
  });
  return { child, lines, sent };
}

describe('the local S3 killed in the middle of writes', () => {
  it('keeps every acknowledged write, and only whole objects, across SIGKILLs of its process', async () => {
    const random = createRandom(SEED);
    const acknowledged = new Map<string, number>();
    const sentLast = new Map<string, number>();
    for (let round = 1; round <= 5; round++) {
      const writer = startWriter(random.nextInt(1_000_000));
      await writer.sent;
      writer.child.kill('SIGKILL');
      await new Promise((resolve) => writer.child.once('close', resolve));
      for (const line of writer.lines) {
        const [kind, key, version] = line.split(' ');
        if (key === undefined || version === undefined) continue;
        if (kind === 'ack') acknowledged.set(key, Number(version));
        if (kind === 'send') sentLast.set(key, Number(version));
      }

      const s3 = await start();
      const listing = await listed(s3, '');
      expect(listing.status).toBe(200);
      for (const key of listing.keys) {
        const object = await read(s3, key);
        expect(object.status, key).toBe(200);
        // Whole: the ETag is the body's MD5, and the body is the JSON that was sent for this key.
        expect(object.etag, key).toBe(`"${md5(object.body ?? '')}"`);
        const stored = JSON.parse(object.body ?? '') as { key: string; version: number };
        expect(stored.key).toBe(key);
        // Never older than what S3 acknowledged, never newer than what was sent.
        expect(stored.version).toBeGreaterThanOrEqual(acknowledged.get(key) ?? 0);
        expect(stored.version).toBeLessThanOrEqual(sentLast.get(key) ?? 0);
      }
      for (const key of acknowledged.keys()) expect(listing.keys, key).toContain(key);
      await stop();
    }
  }, 120_000);
});
