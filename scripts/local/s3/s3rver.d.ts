/**
 * The part of s3rver 3.7's API the local S3 uses (the package ships no types). `store` is the
 * filesystem store s3rver keeps on the instance; the conditional-write front reads ETags from it.
 */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverBucketConfig {
    readonly name: string;
    /** CORSConfiguration or WebsiteConfiguration XML documents. */
    readonly configs?: readonly string[];
  }

  interface S3rverOptions {
    readonly silent?: boolean;
    readonly directory?: string;
    readonly resetOnClose?: boolean;
    readonly vhostBuckets?: boolean;
    readonly configureBuckets?: readonly S3rverBucketConfig[];
  }

  export interface S3rverObjectMetadata {
    /** Quoted, as S3 sends it: `"<md5 hex>"`. */
    readonly etag: string;
    readonly [header: string]: string | number;
  }

  interface S3rverCorsRule {
    readonly hasWildcardOrigin: boolean;
    readonly exposeHeaders: readonly string[];
    readonly maxAgeSeconds?: number | string;
  }

  export interface S3rverCorsConfiguration {
    /** The first rule allowing `origin` and `method`, if any. */
    matchRule(origin: string, method: string): S3rverCorsRule | undefined;
  }

  export interface S3rverObject {
    readonly key: string;
    readonly size: number;
    readonly lastModifiedDate: Date;
    readonly metadata: S3rverObjectMetadata;
  }

  interface S3rverStore {
    /** Objects under `prefix` whose keys sort after `startAfter`, in directory-walk order. */
    listObjects(
      bucket: string,
      options: { prefix?: string; delimiter?: string; startAfter?: string; maxKeys?: number },
    ): Promise<{ objects: S3rverObject[]; commonPrefixes: string[]; isTruncated: boolean }>;
    getBucket(bucket: string): Promise<object | null>;
    /** A bucket's CORS configuration, null when it has none (or there is no such bucket). */
    getSubresource(bucket: string, key: undefined, type: 'cors'): Promise<S3rverCorsConfiguration | null>;
    /** Rejects with an `ENOENT` error when the object does not exist. */
    getMetadata(bucket: string, key: string): Promise<S3rverObjectMetadata>;
  }

  interface S3rverLogger {
    close(): void;
    readonly exceptions: { unhandle(): void };
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    /** Replaceable, with {@link S3rver.context}'s: Koa's requests read the store from either. */
    store: S3rverStore;
    readonly context: { store: S3rverStore };
    readonly logger: S3rverLogger;
    /** Creates the buckets of `configureBuckets` (and their CORS configs) in the store. */
    configureBuckets(): Promise<unknown>;
    /** S3 event notifications (`{Records: [...]}`, keys not URL-encoded), emitted once an object is stored. */
    on(event: 'event', listener: (notification: { readonly Records: readonly unknown[] }) => void): this;
    /** Koa's request listener: the whole S3 API as a Node request handler. */
    callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  }

  export default S3rver;
}

/** s3rver's one account; only the access key ids registered on it may sign requests. */
declare module 's3rver/lib/models/account.js' {
  interface S3rverAccount {
    /** Process-wide: s3rver keeps its key registry in a module-level map. */
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  }

  const AWSAccount: { readonly DUMMY_ACCOUNT: S3rverAccount };
  export default AWSAccount;
}

/** s3rver's filesystem store, which the local S3 extends to make its writes crash-safe. */
declare module 's3rver/lib/stores/filesystem.js' {
  import type { Readable } from 'node:stream';
  import type { S3rverCorsConfiguration, S3rverObject, S3rverObjectMetadata } from 's3rver';

  /** What s3rver hands the store to write: the content is a stream (PUT, POST) or a buffer. */
  export interface S3rverStoredObject {
    readonly bucket: string;
    readonly key: string;
    readonly content: Readable | Buffer;
    readonly metadata: Readonly<Record<string, string | number | undefined>>;
  }

  class FilesystemStore {
    constructor(rootDirectory: string);
    readonly rootDirectory: string;
    listObjects(
      bucket: string,
      options: { prefix?: string; delimiter?: string; startAfter?: string; maxKeys?: number },
    ): Promise<{ objects: S3rverObject[]; commonPrefixes: string[]; isTruncated: boolean }>;
    getBucket(bucket: string): Promise<object | null>;
    getBucketPath(bucket: string): string;
    /** `<root>/<bucket>/<key's directories>/<key's last segment>._S3rver_<resource>`. */
    getResourcePath(bucket: string, key?: string, resource?: string): string;
    getMetadata(bucket: string, key: string): Promise<S3rverObjectMetadata>;
    putObject(object: S3rverStoredObject): Promise<{ size: number; md5: string }>;
    copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      replacementMetadata: Readonly<Record<string, string | number | undefined>> | null,
    ): Promise<S3rverObjectMetadata>;
    deleteObject(bucket: string, key: string): Promise<void>;
    initiateUpload(
      bucket: string,
      key: string,
      uploadId: string,
      metadata: Readonly<Record<string, unknown>>,
    ): Promise<void>;
    putPart(
      bucket: string,
      uploadId: string,
      partNumber: number,
      content: Readable,
    ): Promise<{ size: number; md5: string }>;
    getSubresource(bucket: string, key: undefined, type: 'cors'): Promise<S3rverCorsConfiguration | null>;
    getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
    putSubresource(
      bucket: string,
      key: string | undefined,
      resource: { readonly type: string; toXML(space?: number): string },
    ): Promise<void>;
  }
  export default FilesystemStore;
}

declare module 's3rver/lib/models/object.js' {
  const S3Object: {
    /** The system metadata s3rver keeps with an object (besides `x-amz-meta-*`). */
    readonly ALLOWED_METADATA: readonly string[];
  };
  export default S3Object;
}
