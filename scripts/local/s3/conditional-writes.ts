import type { IncomingHttpHeaders } from 'node:http';
import { notImplemented, preconditionFailed, type S3ErrorReply } from './s3-errors.js';

/**
 * S3 conditional writes, which s3rver 3.7 lacks: what the local S3's front does with a request,
 * and whether a write's `If-None-Match` / `If-Match` holds against the object as it is. Pure, so
 * that the rules are testable without a server; `local-s3.ts` does the I/O and the locking.
 */

export interface ObjectAddress {
  readonly bucket: string;
  readonly key: string;
}

/** The conditions of a write. `ifMatch` holds bare ETags (no quotes), or `*` for "any version". */
export interface WriteConditions {
  readonly ifNoneMatch: boolean;
  readonly ifMatch: readonly string[] | '*' | undefined;
}

/**
 * What the front does with one request:
 * - `pass`: hand it to s3rver as it is (bucket operations, form POST uploads, listings).
 * - `read`: GET/HEAD of an object, under the key's shared lock, so that it never sees half a write.
 * - `write`: anything that writes or deletes an object, under the key's exclusive lock;
 *   `conditions` when the write carries S3 write conditions that the front must check.
 * - `reject`: answer with an S3 error without reaching s3rver.
 */
export type FrontAction =
  | { readonly kind: 'pass' }
  | { readonly kind: 'read'; readonly object: ObjectAddress }
  | { readonly kind: 'write'; readonly object: ObjectAddress; readonly conditions?: WriteConditions }
  | { readonly kind: 'reject'; readonly error: S3ErrorReply };

/** Query parameters that make a PUT something other than "write the object" (parts, ACLs, tags...). */
const PUT_SUBRESOURCES = ['acl', 'legal-hold', 'partNumber', 'retention', 'tagging', 'torrent', 'uploadId'];

/** Routes a path-style request (`/bucket/key`); the local S3 serves no virtual-hosted-style requests. */
export function frontAction(
  method: string | undefined,
  url: string | undefined,
  headers: IncomingHttpHeaders,
): FrontAction {
  const parsed = parseObjectUrl(url ?? '/');
  if (!parsed) return { kind: 'pass' };
  const { object, query } = parsed;
  switch (method) {
    case 'GET':
    case 'HEAD':
      return { kind: 'read', object };
    case 'PUT': {
      if (PUT_SUBRESOURCES.some((name) => query.has(name))) return { kind: 'write', object };
      return writeWithConditions(object, headers);
    }
    case 'POST':
      // CompleteMultipartUpload is the only object POST that creates the object.
      if (query.has('uploadId')) return writeWithConditions(object, headers);
      return { kind: 'pass' };
    case 'DELETE':
      // S3 has conditional deletes; the local S3 refuses them rather than ignore their condition.
      if (headers['if-match'] !== undefined) return { kind: 'reject', error: notImplemented('If-Match') };
      if (headers['if-none-match'] !== undefined)
        return { kind: 'reject', error: notImplemented('If-None-Match') };
      return { kind: 'write', object };
    default:
      return { kind: 'pass' };
  }
}

function writeWithConditions(object: ObjectAddress, headers: IncomingHttpHeaders): FrontAction {
  const ifNoneMatch = headers['if-none-match'];
  const ifMatch = headers['if-match'];
  if (ifNoneMatch === undefined && ifMatch === undefined) return { kind: 'write', object };
  // S3 accepts only `*` here: "write only if absent".
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    return { kind: 'reject', error: notImplemented('If-None-Match') };
  }
  return {
    kind: 'write',
    object,
    conditions: { ifNoneMatch: ifNoneMatch !== undefined, ifMatch: parseIfMatch(ifMatch) },
  };
}

function parseIfMatch(header: string | undefined): WriteConditions['ifMatch'] {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return header.split(',').map(bareEtag);
}

/** `"abc"`, `W/"abc"` and `abc` name the same ETag. */
export function bareEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

/**
 * Whether a write may go ahead given the object's current ETag (undefined: no object). S3's rule:
 * `If-None-Match: *` fails on an existing object; `If-Match` fails unless the object exists with
 * one of the ETags given. A failed condition is 412 PreconditionFailed, naming the condition.
 */
export function checkWriteConditions(
  conditions: WriteConditions,
  currentEtag: string | undefined,
): S3ErrorReply | undefined {
  const { ifMatch } = conditions;
  if (ifMatch !== undefined) {
    const holds = currentEtag !== undefined && (ifMatch === '*' || ifMatch.includes(bareEtag(currentEtag)));
    if (!holds) return preconditionFailed('If-Match');
  }
  if (conditions.ifNoneMatch && currentEtag !== undefined) return preconditionFailed('If-None-Match');
  return undefined;
}

/** `/bucket/key...` → the object it addresses; undefined for the service, a bucket or a bad path. */
function parseObjectUrl(url: string): { object: ObjectAddress; query: URLSearchParams } | undefined {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const [, bucket, key] = /^\/([^/]+)\/(.+)$/.exec(path) ?? [];
  if (bucket === undefined || key === undefined) return undefined;
  try {
    // s3rver's router decodes the key the same way, so both name the same object.
    return {
      object: { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key) },
      query: new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1)),
    };
  } catch {
    return undefined;
  }
}
