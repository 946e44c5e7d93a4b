import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The access-logs bucket both accounts' stacks use. S3 server access logs cannot be delivered to an
 * SSE-KMS bucket, and CloudFront standard logs need ACLs (BUCKET_OWNER_PREFERRED), so this one
 * bucket uses S3-managed keys; it is still private, SSL-only and expires its logs after a year.
 */
export function createAccessLogsBucket(scope: Construct, id = 'AccessLogsBucket'): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
