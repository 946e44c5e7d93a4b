import { escapeXml, invalidArgument, type S3ErrorReply } from './s3-errors.js';

/**
 * ListObjectsV2, answered by the front rather than s3rver 3.7, which cannot page it on Node 17+:
 * its continuation tokens are DES-encrypted and OpenSSL 3 has no DES, so a truncated listing
 * fails with 500 InternalError. s3rver also pages in directory-walk order, not S3's key order,
 * and misses common prefixes of keys two delimiters deep. Here s3rver's store only finds the
 * objects under the prefix; ordering, delimiters and paging follow S3. Pure, so testable alone.
 */

/** Bucket subresources that make a `GET /bucket` something other than a listing. */
export const BUCKET_SUBRESOURCES = [
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'inventory',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'tagging',
  'uploads',
  'versioning',
  'versions',
  'website',
];

/** S3's own cap on a page, whatever `max-keys` asks for. */
const MAX_PAGE = 1_000;

/** The bucket of a `GET /bucket?list-type=2` listing; undefined for any other request. */
export function listObjectsV2Bucket(method: string | undefined, url: string | undefined): string | undefined {
  if (method !== 'GET' || url === undefined) return undefined;
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return undefined;
  const [, bucket] = /^\/([^/]+)\/?$/.exec(url.slice(0, queryStart)) ?? [];
  const query = new URLSearchParams(url.slice(queryStart + 1));
  if (bucket === undefined || query.get('list-type') !== '2') return undefined;
  if (BUCKET_SUBRESOURCES.some((name) => query.has(name))) return undefined;
  try {
    return decodeURIComponent(bucket);
  } catch {
    return undefined;
  }
}

export interface ListRequest {
  readonly prefix: string;
  readonly delimiter: string;
  /** Entries at or before this name were listed already (from the token, or `start-after`). */
  readonly after: string;
  readonly maxKeys: number;
  /** As the client sent them, echoed back. */
  readonly continuationToken: string | undefined;
  readonly startAfter: string | undefined;
  readonly maxKeysRequested: string | undefined;
  readonly urlEncoded: boolean;
}

export function parseListRequest(bucket: string, query: URLSearchParams): ListRequest | S3ErrorReply {
  const maxKeysRequested = query.get('max-keys') ?? undefined;
  let maxKeys = MAX_PAGE;
  if (maxKeysRequested !== undefined) {
    if (!/^\d+$/.test(maxKeysRequested) || Number(maxKeysRequested) > 2_147_483_647) {
      return invalidArgument(
        'max-keys',
        maxKeysRequested,
        'Provided max-keys not an integer or within integer range',
      );
    }
    maxKeys = Math.min(MAX_PAGE, Number(maxKeysRequested));
  }
  const continuationToken = query.get('continuation-token') ?? undefined;
  const startAfter = query.get('start-after') ?? undefined;
  let after = startAfter ?? '';
  if (continuationToken !== undefined) {
    const resumed = readContinuationToken(bucket, continuationToken);
    if (resumed === undefined) {
      return invalidArgument(
        'continuation-token',
        continuationToken,
        'The continuation token provided is incorrect',
      );
    }
    after = resumed;
  }
  const encodingType = query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url') {
    return invalidArgument('encoding-type', encodingType, 'Invalid Encoding Method specified in Request');
  }
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    after,
    maxKeys,
    continuationToken,
    startAfter,
    maxKeysRequested,
    urlEncoded: encodingType === 'url',
  };
}

export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
  /** Quoted, as S3 sends it. */
  readonly etag: string;
  readonly size: number;
}

export interface ListPage {
  readonly contents: readonly ListedObject[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** The name to resume after: the page's last key or common prefix, when there is more. */
  readonly resumeAfter: string | undefined;
}

/**
 * One page of a listing, S3's way: keys and common prefixes (each counts as one entry) in UTF-8
 * byte order, after `request.after`, at most `maxKeys` of them. `objects` are all the objects
 * under the prefix; those at or before `request.after` are skipped here.
 */
export function listPage(request: ListRequest, objects: readonly ListedObject[]): ListPage {
  const entries = new Map<string, ListedObject | undefined>();
  for (const object of objects) {
    if (!object.key.startsWith(request.prefix)) continue;
    const end = request.delimiter ? object.key.indexOf(request.delimiter, request.prefix.length) : -1;
    if (end === -1) entries.set(object.key, object);
    else entries.set(object.key.slice(0, end + request.delimiter.length), undefined);
  }
  const names = [...entries.keys()].filter((name) => compareUtf8(name, request.after) > 0).sort(compareUtf8);
  const page = names.slice(0, request.maxKeys);
  const isTruncated = request.maxKeys > 0 && names.length > page.length;
  return {
    contents: page.flatMap((name) => {
      const object = entries.get(name);
      return object ? [object] : [];
    }),
    commonPrefixes: page.filter((name) => entries.get(name) === undefined),
    isTruncated,
    resumeAfter: isTruncated ? page.at(-1) : undefined,
  };
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function listResultXml(bucket: string, request: ListRequest, page: ListPage): string {
  const name = (text: string): string => escapeXml(request.urlEncoded ? encodeURIComponent(text) : text);
  const element = (tag: string, value: string | number | boolean | undefined): string =>
    value === undefined ? '' : `<${tag}>${typeof value === 'string' ? value : String(value)}</${tag}>`;
  const contents = page.contents.map(
    (object) =>
      `<Contents>${element('Key', name(object.key))}${element('LastModified', object.lastModified.toISOString())}` +
      `${element('ETag', escapeXml(object.etag))}${element('Size', object.size)}` +
      `${element('StorageClass', 'STANDARD')}</Contents>`,
  );
  const prefixes = page.commonPrefixes.map(
    (prefix) => `<CommonPrefixes>${element('Prefix', name(prefix))}</CommonPrefixes>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    element('Name', escapeXml(bucket)),
    element('Prefix', name(request.prefix)),
    element('Delimiter', request.delimiter ? name(request.delimiter) : undefined),
    element('StartAfter', request.startAfter === undefined ? undefined : name(request.startAfter)),
    element('ContinuationToken', request.continuationToken && escapeXml(request.continuationToken)),
    element(
      'NextContinuationToken',
      page.resumeAfter && escapeXml(continuationToken(bucket, page.resumeAfter)),
    ),
    element('KeyCount', page.contents.length + page.commonPrefixes.length),
    element('MaxKeys', request.maxKeysRequested ?? MAX_PAGE),
    element('EncodingType', request.urlEncoded ? 'url' : undefined),
    element('IsTruncated', page.isTruncated),
    ...contents,
    ...prefixes,
    '</ListBucketResult>',
  ].join('');
}

/** Opaque to clients, as S3's are; it names the bucket so that it cannot resume another listing. */
export function continuationToken(bucket: string, resumeAfter: string): string {
  return Buffer.from(JSON.stringify([bucket, resumeAfter]), 'utf8').toString('base64url');
}

function readContinuationToken(bucket: string, token: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [tokenBucket, resumeAfter] = decoded;
    return tokenBucket === bucket && typeof resumeAfter === 'string' ? resumeAfter : undefined;
  } catch {
    return undefined;
  }
}
