import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { BUCKET_SUBRESOURCES } from './list-objects-v2.js';
import { type FormField, type FormProgress, FormScanner, formBoundary } from './multipart-form.js';
import {
  checkFinalSize,
  checkPostPolicy,
  checkSizeSoFar,
  parsePostPolicy,
  type SizeRange,
} from './post-policy.js';
import { malformedPostRequest, maxPostPreDataLengthExceeded, type S3ErrorReply } from './s3-errors.js';

/**
 * A browser-style POST upload (`POST /bucket`, multipart/form-data), received by the front before
 * s3rver sees it, so that its presigned POST policy is enforced: the body is read once, written
 * as it comes to a spool file (never held in memory) and scanned; the policy is checked as soon as
 * the fields before the file are in, and the file's size while it streams. An upload the policy
 * allows is then replayed to s3rver, byte for byte, from the spool.
 */

/**
 * The bucket and form boundary of a form upload, `POST /bucket` with a multipart/form-data body;
 * undefined for any other request (DeleteObjects is `POST /bucket?delete`). A POST upload that is
 * not multipart/form-data is s3rver's to refuse.
 */
export function formUpload(
  method: string | undefined,
  url: string | undefined,
  contentType: string | undefined,
): { readonly bucket: string; readonly boundary: string } | undefined {
  if (method !== 'POST' || url === undefined) return undefined;
  const queryStart = url.indexOf('?');
  const [, bucket] = /^\/([^/]+)\/?$/.exec(queryStart === -1 ? url : url.slice(0, queryStart)) ?? [];
  if (bucket === undefined) return undefined;
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  if (BUCKET_SUBRESOURCES.some((name) => query.has(name))) return undefined;
  const boundary = formBoundary(contentType);
  if (boundary === undefined) return undefined;
  try {
    return { bucket: decodeURIComponent(bucket), boundary };
  } catch {
    return undefined;
  }
}

export type ReceivedUpload =
  /** Refused; `bodyUnread` when the client may still be sending (the reply should close the connection). */
  | { readonly kind: 'refused'; readonly error: S3ErrorReply; readonly bodyUnread: boolean }
  /** The whole body is in the spool file, for s3rver. `key` is the object's key as s3rver reads it. */
  | { readonly kind: 'received'; readonly key: string | undefined };

/**
 * Reads the upload's body into `spoolPath`, checking the form against its policy on the way. A
 * form without a `Policy` field is not checked (as before: s3rver takes it); neither is one
 * without a `file` part or one S3 could not read, which s3rver refuses itself.
 */
export async function receiveFormUpload(
  request: IncomingMessage,
  upload: {
    readonly bucket: string;
    readonly boundary: string;
    readonly spoolPath: string;
    readonly now: () => Date;
  },
): Promise<ReceivedUpload> {
  const scanner = new FormScanner(upload.boundary);
  const spool = await open(upload.spoolPath, 'w');
  let size: SizeRange | undefined;
  let fields: readonly FormField[] | undefined;
  let refusal: S3ErrorReply | undefined;

  /** The error to refuse with, given how far the scan is; undefined to go on. */
  function check(progress: FormProgress): S3ErrorReply | undefined {
    if (progress.phase === 'too-long') return maxPostPreDataLengthExceeded;
    if (progress.phase !== 'file') return undefined;
    if (fields === undefined) {
      fields = progress.fields;
      const policyField = fields.findLast((field) => field.name.toLowerCase() === 'policy');
      if (policyField !== undefined) {
        const policy = parsePostPolicy(policyField.value);
        if ('status' in policy) return policy;
        const failed = checkPostPolicy(policy, fields, upload.bucket, upload.now());
        if (failed) return failed;
        size = policy.size;
      }
    }
    if (size === undefined) return undefined;
    return progress.fileEnded
      ? checkFinalSize(size, progress.fileBytes)
      : checkSizeSoFar(size, progress.fileBytes);
  }

  try {
    const ended = await consumeBody(request, async (chunk) => {
      refusal = check(scanner.push(chunk));
      if (refusal) return false;
      await spool.write(chunk);
      return true;
    });
    if (!ended && refusal) return { kind: 'refused', error: refusal, bodyUnread: true };
    const last = scanner.end();
    // A body that ends inside a part, or before any, is S3's MalformedPOSTRequest once there is a
    // policy to enforce; without one, s3rver's own answer stands, as before.
    if (last.phase === 'malformed' && size !== undefined)
      return { kind: 'refused', error: malformedPostRequest, bodyUnread: false };
  } finally {
    await spool.close();
  }
  const key = fields?.findLast((field) => field.name === 'key')?.value;
  return { kind: 'received', key };
}

/**
 * Feeds the request body to `onChunk` one chunk at a time, waiting for each, so that a slow spool
 * slows the client down rather than filling memory. Resolves true at the end of the body; false
 * as soon as `onChunk` returns false, leaving the rest of the body unread (and the request paused).
 */
function consumeBody(
  request: IncomingMessage,
  onChunk: (chunk: Buffer) => Promise<boolean>,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let busy = false;
    let ended = false;
    const finish = (outcome: boolean | Error) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      busy = true;
      request.pause();
      onChunk(chunk).then(
        (more) => {
          busy = false;
          if (!more) finish(false);
          else if (ended) finish(true);
          else request.resume();
        },
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
    };
    // 'end' can come while the last chunk is still being handled.
    const onEnd = () => {
      ended = true;
      if (!busy) finish(true);
    };
    const onError = (error: Error) => finish(error);
    const onClose = () => {
      if (!request.complete) finish(new Error('the client closed the connection during the upload'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/**
 * The request as it came in, its body read again from `body`: what s3rver gets once the front
 * has read the original. Same method, URL and headers; destroying it leaves the connection alone.
 */
export class ReplayedRequest extends IncomingMessage {
  private readonly body: Readable;

  constructor(original: IncomingMessage, bodyPath: string) {
    super(original.socket);
    this.method = original.method;
    this.url = original.url;
    this.headers = original.headers;
    this.rawHeaders = original.rawHeaders;
    this.httpVersion = original.httpVersion;
    this.httpVersionMajor = original.httpVersionMajor;
    this.httpVersionMinor = original.httpVersionMinor;
    this.body = createReadStream(bodyPath);
    this.body.on('data', (chunk) => {
      if (!this.push(chunk)) this.body.pause();
    });
    this.body.on('end', () => {
      this.complete = true;
      this.push(null);
    });
    this.body.on('error', (error) => this.destroy(error));
    this.body.pause();
  }

  override _read(): void {
    this.body.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.body.destroy();
    callback(error);
  }
}
