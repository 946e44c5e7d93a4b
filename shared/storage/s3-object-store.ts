import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { checkObjectKey } from './object-key.js';
import { type ObjectStore, PreconditionFailed, type PutOptions, type StoredObject } from './object-store.js';

export interface S3ClientOptions {
  readonly region: string;
  /** A local S3 (`scripts/local/s3`): path-style addressing and placeholder credentials. Unset on AWS. */
  readonly endpoint?: string;
}

/**
 * An S3 client for the object store. With an endpoint (the local stack), it addresses buckets by
 * path, as a server on 127.0.0.1 needs, and signs with placeholder credentials the local S3
 * accepts; on AWS it takes the SDK's default credential chain and virtual-hosted addressing.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  if (options.endpoint === undefined) return new S3Client({ region: options.region });
  return new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export interface S3ObjectStoreOptions {
  /** ListObjectsV2 page size; S3's (and the default) is 1,000. Smaller only to exercise paging. */
  readonly listPageSize?: number;
}

/**
 * The {@link ObjectStore} on S3: conditional writes map to S3's `If-Match` / `If-None-Match`. Every
 * key is checked by {@link checkObjectKey} before it leaves, whoever built it.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly listPageSize: number | undefined;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: S3ObjectStoreOptions = {},
  ) {
    this.listPageSize = options.listPageSize;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: checkObjectKey(key) }),
      );
      if (!object.Body || object.ETag === undefined)
        throw new Error(`S3 returned ${key} without a body or an ETag`);
      return {
        body: await object.Body.transformToByteArray(),
        etag: object.ETag,
        metadata: object.Metadata ?? {},
      };
    } catch (error) {
      if (isS3Error(error, 404) && !isS3Error(error, 404, 'NoSuchBucket')) return undefined;
      throw error;
    }
  }

  async put(key: string, body: string | Uint8Array, options: PutOptions = {}): Promise<{ etag: string }> {
    try {
      const written = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: checkObjectKey(key),
          Body: body,
          IfMatch: options.ifMatch,
          IfNoneMatch: options.ifNoneMatch,
          ContentType: options.contentType,
          CacheControl: options.cacheControl,
          Metadata: options.metadata === undefined ? undefined : { ...options.metadata },
        }),
      );
      if (written.ETag === undefined) throw new Error(`S3 stored ${key} without returning an ETag`);
      return { etag: written.ETag };
    } catch (error) {
      if (lostConditionalWrite(error, options)) throw new PreconditionFailed(key);
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: checkObjectKey(prefix, { prefix: true }),
          ContinuationToken: continuationToken,
          MaxKeys: this.listPageSize,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    // S3 lists in UTF-8 binary order already; sorting keeps the port's promise whatever the server.
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkObjectKey(key) }));
  }
}

/**
 * A conditional write that lost: 412 PreconditionFailed, or 409 ConditionalRequestConflict (S3's
 * answer when another conditional write to the key is in flight). With `If-Match`, also 404
 * NoSuchKey: the object was deleted after it was read (AWS's answer; the local S3 answers 412).
 */
function lostConditionalWrite(error: unknown, options: PutOptions): boolean {
  if (options.ifMatch === undefined && options.ifNoneMatch === undefined) return false;
  return (
    isS3Error(error, 412) ||
    isS3Error(error, 409, 'ConditionalRequestConflict') ||
    (options.ifMatch !== undefined && isS3Error(error, 404, 'NoSuchKey'))
  );
}

function isS3Error(error: unknown, status: number, code?: string): boolean {
  return (
    error instanceof S3ServiceException &&
    error.$metadata.httpStatusCode === status &&
    (code === undefined || error.name === code)
  );
}
