/**
 * A local S3 for the local stack and integration tests: s3rver behind a front that adds S3
 * conditional writes, ListObjectsV2 and presigned POST policy checks. See README.md.
 */
export type { LocalS3 } from './local-s3.js';
export { LocalS3Options, startLocalS3 } from './local-s3.js';
