import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Least-privilege grants written out, rather than CDK's `grantReadWrite`/`grantSendMessages`: those
 * add action families the functions never use (`s3:GetObject*`, `s3:Abort*`, `kms:ReEncrypt*`,
 * `kms:GenerateDataKey*`), each an IAM5 wildcard. What is left wildcarded is the object prefix.
 */
export function grantObjectsReadWrite(grantee: iam.IGrantable, bucket: s3.IBucket, objects: string): void {
  const principal = grantee.grantPrincipal;
  // ListBucket also turns a read of a missing key into 404 (NoSuchKey) rather than 403: the object
  // store reads "not there yet" as undefined.
  principal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  );
  principal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects(objects)],
    }),
  );
  if (bucket.encryptionKey) grantKeyUse(grantee, bucket.encryptionKey);
}

/** Send only: the Judge API enqueues evaluations. */
export function grantQueueSend(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  if (queue.encryptionMasterKey) grantKeyUse(grantee, queue.encryptionMasterKey);
}

/** What SSE-KMS needs for reads (Decrypt) and writes (GenerateDataKey), nothing else. */
function grantKeyUse(grantee: iam.IGrantable, key: kms.IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
  );
}
