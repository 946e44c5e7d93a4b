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

  interface S3rverObjectMetadata {
    /** Quoted, as S3 sends it: `"<md5 hex>"`. */
    readonly etag: string;
    readonly [header: string]: string | number;
  }

  interface S3rverCorsRule {
    readonly hasWildcardOrigin: boolean;
    readonly exposeHeaders: readonly string[];
    readonly maxAgeSeconds?: number | string;
  }

  interface S3rverCorsConfiguration {
    /** The first rule allowing `origin` and `method`, if any. */
    matchRule(origin: string, method: string): S3rverCorsRule | undefined;
  }

  interface S3rverObject {
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
    readonly store: S3rverStore;
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
