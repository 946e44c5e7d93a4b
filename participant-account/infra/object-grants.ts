import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge, wildcardResourceFinding } from '../../leaderboard-account/infra/nag-findings.js';
import type { LeagueFunction } from '../../shared/infra/league-function.js';

/** What a function may do with a bucket's objects. */
export type ObjectAccess = 'read' | 'write' | 'read-write';

const OBJECT_ACTIONS: Record<ObjectAccess, string[]> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject'],
  // The state bucket is versioned: a delete there leaves a recoverable version.
  'read-write': ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
};

/** SSE-KMS: reads need Decrypt, writes GenerateDataKey (and Decrypt, for multipart uploads). */
const KEY_ACTIONS: Record<ObjectAccess, string[]> = {
  read: ['kms:Decrypt'],
  write: ['kms:Decrypt', 'kms:GenerateDataKey'],
  'read-write': ['kms:Decrypt', 'kms:GenerateDataKey'],
};

/**
 * Grants a function exactly the object actions it uses on `objects` (a key pattern) of one bucket,
 * written out rather than CDK's `grantRead`/`grantReadWrite`, which add action families the
 * functions never use (`s3:GetObject*`, `s3:Abort*`, `kms:ReEncrypt*`, ...), each an IAM5
 * wildcard. What stays wildcarded is the key pattern, acknowledged here with the caller's reason.
 */
export function grantObjects(
  fn: LeagueFunction,
  bucket: s3.IBucket,
  access: ObjectAccess,
  objects: string,
  reason: string,
): void {
  const reads = access !== 'write';
  if (reads) {
    // ListBucket turns a read of a missing key into 404 (NoSuchKey) rather than 403, which the
    // object store reads as "not there yet".
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
  }
  const objectArns = bucket.arnForObjects(objects);
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: OBJECT_ACTIONS[access], resources: [objectArns] }),
  );
  if (bucket.encryptionKey) {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: KEY_ACTIONS[access], resources: [bucket.encryptionKey.keyArn] }),
    );
  }
  if (objects.includes('*')) acknowledge(fn.role, wildcardResourceFinding(fn, objectArns), reason);
}
