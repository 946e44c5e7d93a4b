import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import S3rver from 's3rver';
import S3rverAccount from 's3rver/lib/models/account.js';
import * as z from 'zod';
import { checkWriteConditions, frontAction, type ObjectAddress } from './conditional-writes.js';
import { CrashSafeStore, type RecoveryReport } from './crash-safe-store.js';
import { formUpload, ReplayedRequest, receiveFormUpload } from './form-upload.js';
import { KeyedReadWriteLock, type LockMode } from './keyed-lock.js';
import {
  type ListedObject,
  listObjectsV2Bucket,
  listPage,
  listResultXml,
  parseListRequest,
} from './list-objects-v2.js';
import { errorXml, internalError, noSuchBucket, type S3ErrorReply } from './s3-errors.js';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** S3's bucket naming rule, so that a typo fails at start rather than as a 400 later. */
const BucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lowercase letters, digits, . and -');

export const LocalS3Options = z.strictObject({
  /** 0 = any free port. */
  port: z.number().int().min(0).max(65_535).default(0),
  /** Where objects live; default a fresh temporary directory, removed on close. */
  directory: z.string().min(1).optional(),
  /** Created at start (kept, with their objects, when `directory` already holds them). */
  buckets: z.array(
    z.strictObject({
      name: BucketName,
      /** A permissive CORS configuration, for browser uploads with a presigned POST. */
      cors: z.boolean().default(false),
    }),
  ),
  /**
   * Access keys accepted besides s3rver's own `S3RVER`/`S3RVER` (s3rver checks that the key id is
   * known, not the SigV4 signature). Default: `local`/`local`, the placeholder credentials of
   * `shared/lambda/aws-clients.ts` and `createS3Client`.
   */
  accessKeys: z
    .array(z.strictObject({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }))
    .default([LOCAL_CREDENTIALS]),
});
export type LocalS3Options = z.input<typeof LocalS3Options>;

export interface LocalS3 {
  /** `http://127.0.0.1:PORT`: the `endpoint` of an `S3Client` with `forcePathStyle: true`. */
  readonly endpoint: string;
  readonly port: number;
  /** Where the objects are: the `directory` given, or the temporary one made for this server. */
  readonly directory: string;
  /** What the start found half-written in `directory` (after a crash) and finished or discarded. */
  readonly recovered: RecoveryReport;
  /**
   * Calls `listener` with an S3 event notification (as S3 sends to Lambda, keys URL-encoded) for
   * every object created in `bucket` by a PUT, POST or copy: the local stand-in for an S3 event source.
   */
  onObjectCreated(bucket: string, listener: (event: S3Event) => void): void;
  /** Stops listening, drops open connections and removes the temporary directory, if it made one. */
  close(): Promise<void>;
}

/** Any origin may GET, PUT, POST, DELETE and read the ETag: local development only. */
const PERMISSIVE_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Starts a local S3 on 127.0.0.1: s3rver, in-process, behind a small front that adds what s3rver
 * lacks and the League relies on: S3 conditional writes (`If-None-Match: *` and `If-Match` on
 * PutObject, CopyObject and CompleteMultipartUpload), ListObjectsV2, and presigned POST policies
 * (expiry, conditions, `content-length-range`). The front checks a condition and lets the write
 * through under the key's exclusive lock, so check and write are atomic per key; reads take the
 * key's shared lock, so they never see half a write. Everything else reaches s3rver unchanged.
 * See README.md for what s3rver does not do.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const config = LocalS3Options.parse(options);
  const ownsDirectory = config.directory === undefined;
  const directory = config.directory ?? (await mkdtemp(join(tmpdir(), 'league-s3-')));
  const s3rver = new S3rver({
    silent: true,
    directory,
    // Path-style only: the front reads the bucket from the path, as s3rver then does.
    vhostBuckets: false,
    configureBuckets: config.buckets.map((bucket) => ({
      name: bucket.name,
      configs: bucket.cors ? [PERMISSIVE_CORS] : [],
    })),
  });
  // s3rver's requests read the store from the app and from Koa's context: both get the crash-safe one.
  const store = new CrashSafeStore(directory);
  s3rver.store = store;
  s3rver.context.store = store;
  const recovered = await store.recover();
  for (const key of config.accessKeys)
    S3rverAccount.DUMMY_ACCOUNT.createKeyPair(key.accessKeyId, key.secretAccessKey);
  await s3rver.configureBuckets();
  const passToS3rver = s3rver.callback();
  const locks = new KeyedReadWriteLock();
  // Form uploads are spooled here while their policy is checked, then replayed to s3rver.
  const spoolDirectory = await mkdtemp(join(tmpdir(), 'league-s3-uploads-'));

  async function currentEtag(object: ObjectAddress): Promise<string | undefined> {
    try {
      return (await store.getMetadata(object.bucket, object.key)).etag;
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw error;
    }
  }

  /**
   * Every object under `prefix` after `after`, each one's ETag, size and date read under its key's
   * shared lock: a write renames an object's files into place one by one, so a listing that did not
   * wait for it could pair the new ETag with the old size.
   */
  async function listStore(bucket: string, prefix: string, after: string): Promise<ListedObject[]> {
    const keys = await store.listKeys(bucket, prefix, after);
    const listed = await Promise.all(
      keys.map(async (key) => {
        const release = await locks.acquire(`${bucket}/${key}`, 'read');
        try {
          const metadata = await store.getMetadata(bucket, key);
          return {
            key,
            lastModified: new Date(String(metadata['last-modified'])),
            etag: metadata.etag,
            size: Number(metadata['content-length']),
          };
        } catch (error) {
          // Deleted since its name was read.
          if (isMissingFile(error)) return undefined;
          throw error;
        } finally {
          release();
        }
      }),
    );
    return listed.filter((object) => object !== undefined);
  }

  async function listObjectsV2(
    bucket: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const query = new URLSearchParams(request.url?.split('?')[1] ?? '');
    const listRequest = parseListRequest(bucket, query);
    if ('status' in listRequest) return sendError(request, response, listRequest);
    if (!(await store.getBucket(bucket))) return sendError(request, response, noSuchBucket(bucket));
    // Everything after the resume point; s3rver's own paging and delimiter handling are not used.
    const objects = await listStore(bucket, listRequest.prefix, listRequest.after);
    const body = listResultXml(bucket, listRequest, listPage(listRequest, objects));
    response.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  /**
   * A browser-style POST upload: its body is spooled and its policy checked before s3rver sees it;
   * s3rver then gets it from the spool, under the key's exclusive lock, as any other write.
   */
  async function formPost(
    upload: { readonly bucket: string; readonly boundary: string },
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    // A missing bucket is s3rver's to report (NoSuchBucket), as S3 would before reading the form.
    if (!(await store.getBucket(upload.bucket))) return passToS3rver(request, response);
    const spoolPath = join(spoolDirectory, randomUUID());
    try {
      const received = await receiveFormUpload(request, { ...upload, spoolPath, now: () => new Date() });
      if (received.kind === 'refused')
        return await sendError(request, response, received.error, { close: received.bodyUnread });
      if (received.key !== undefined) {
        const object = { bucket: upload.bucket, key: received.key };
        if (!(await holdLockUntilReplied(object, 'write', response))) return;
      }
      const replayed = new ReplayedRequest(request, spoolPath);
      response.once('close', () => replayed.destroy());
      await passToS3rver(replayed, response);
    } finally {
      // s3rver has read the whole form by the time it answers; an unread rest is not wanted.
      await rm(spoolPath, { force: true });
    }
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const listedBucket = listObjectsV2Bucket(request.method, request.url);
    if (listedBucket !== undefined) return listObjectsV2(listedBucket, request, response);
    const upload = formUpload(request.method, request.url, request.headers['content-type']);
    if (upload !== undefined) return formPost(upload, request, response);
    const action = frontAction(request.method, request.url, request.headers);
    if (action.kind === 'pass') return passToS3rver(request, response);
    if (action.kind === 'reject') return sendError(request, response, action.error);
    if (!(await holdLockUntilReplied(action.object, action.kind, response))) return;
    if (action.kind === 'write' && action.conditions) {
      // A missing bucket is s3rver's to report (NoSuchBucket), as S3 would before any condition.
      if (await store.getBucket(action.object.bucket)) {
        const failed = checkWriteConditions(action.conditions, await currentEtag(action.object));
        if (failed) return sendError(request, response, failed);
      }
    }
    return passToS3rver(request, response);
  }

  /** Waits for the key's lock and keeps it until the reply is sent; false if the client left meanwhile. */
  async function holdLockUntilReplied(
    object: ObjectAddress,
    mode: LockMode,
    response: ServerResponse,
  ): Promise<boolean> {
    const granted = locks.acquire(`${object.bucket}/${object.key}`, mode);
    let replied = false;
    response.once('close', () => {
      replied = true;
      void granted.then((release) => release());
    });
    await granted;
    return !replied;
  }

  /**
   * Answers with an S3 error. On a bucket with a CORS configuration, a cross-origin request gets
   * the CORS headers s3rver would add (so a browser can read the error); `close` when the client
   * may still be sending a body the front will not read.
   */
  async function sendError(
    request: IncomingMessage,
    response: ServerResponse,
    error: S3ErrorReply,
    options: { readonly close?: boolean } = {},
  ): Promise<void> {
    const cors = await corsHeaders(request).catch(() => ({}));
    writeError(request, response, error, { ...cors, ...(options.close ? { connection: 'close' } : {}) });
  }

  /** The headers s3rver's CORS middleware adds to a response to `request`, if its bucket has a matching rule. */
  async function corsHeaders(request: IncomingMessage): Promise<Record<string, string>> {
    const origin = request.headers.origin;
    const bucket = bucketOf(request.url);
    if (origin === undefined || bucket === undefined || request.method === undefined) return {};
    const rule = (await store.getSubresource(bucket, undefined, 'cors'))?.matchRule(origin, request.method);
    if (rule === undefined) return {};
    return {
      'access-control-allow-origin': rule.hasWildcardOrigin ? '*' : origin,
      ...(rule.exposeHeaders.length > 0
        ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') }
        : {}),
      ...(rule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.maxAgeSeconds) } : {}),
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    };
  }

  const server = http.createServer((request, response) => {
    serve(request, response).catch(() => {
      if (!response.headersSent) writeError(request, response, internalError);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    recovered,
    onObjectCreated: (bucket, listener) => {
      s3rver.on('event', (notification) => {
        const records = (notification.Records as S3EventRecord[])
          .filter(
            (record) => record.s3.bucket.name === bucket && record.eventName.startsWith('ObjectCreated:'),
          )
          .map((record) => ({
            ...record,
            // S3 URL-encodes keys in notifications (a space as '+'); s3rver sends them raw.
            s3: { ...record.s3, object: { ...record.s3.object, key: s3EventKey(record.s3.object.key) } },
          }));
        if (records.length > 0) listener({ Records: records });
      });
    },
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        s3rver.logger.exceptions.unhandle();
        s3rver.logger.close();
        await rm(spoolDirectory, { recursive: true, force: true });
        if (ownsDirectory) await rm(directory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** A key as S3 writes it in an event notification: form-URL-encoded, slashes kept. */
function s3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

function writeError(
  request: IncomingMessage,
  response: ServerResponse,
  error: S3ErrorReply,
  headers: Readonly<Record<string, string>> = {},
): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body = request.method === 'HEAD' ? '' : errorXml(error, requestId);
  // The body of a refused upload is not wanted; read it off (and drop it) so the connection stays
  // usable, or, with `connection: close`, until the client has the answer and stops sending.
  request.resume();
  response.writeHead(error.status, {
    ...headers,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  response.end(body);
}

/** The bucket of a path-style request URL (`/bucket/...`), if it names one. */
function bucketOf(url: string | undefined): string | undefined {
  const [, bucket] = /^\/([^/?]+)/.exec(url ?? '') ?? [];
  if (bucket === undefined) return undefined;
  try {
    return decodeURIComponent(bucket);
  } catch {
    return undefined;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
