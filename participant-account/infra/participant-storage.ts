import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createAccessLogsBucket } from '../../shared/infra/access-logs-bucket.js';

export interface ParticipantStorageProps {
  /** The name the leaderboard registered for the team's results (`teams[].resultsBucket`). */
  readonly resultsBucketName: string;
  /** Fixed so that CloudFront can name its origin without a reference to the bucket (see `PublicSite`). */
  readonly webBucketName: string;
  /**
   * Fixed so that the web app's Content-Security-Policy can name the bucket the browser POSTs to:
   * a reference would close a cycle (key policy → distribution → header policy → bucket → key).
   */
  readonly uploadsBucketName: string;
}

/**
 * One team's data at rest: a rotating KMS key for every bucket but the access-log bucket, and
 * every bucket private, TLS-only, logged and kept when the stack is deleted.
 */
export class ParticipantStorage extends Construct {
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  /** Raw testing-data uploads (presigned POST from the browser), gone after 30 days. */
  readonly uploadsBucket: s3.Bucket;
  /** Testing data that passed validation. */
  readonly validatedBucket: s3.Bucket;
  /** Inference results, which the judge fetches through presigned GETs. */
  readonly resultsBucket: s3.Bucket;
  /** Validation reports, inference runs, submission records. */
  readonly stateBucket: s3.Bucket;
  /** The web app's build. */
  readonly webBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ParticipantStorageProps) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'LLM League participant: testing data, results, state and web app buckets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogsBucket = createAccessLogsBucket(this);

    const privateBucket = (
      bucketId: string,
      logPrefix: string,
      options: Partial<s3.BucketProps> = {},
    ): s3.Bucket =>
      new s3.Bucket(this, bucketId, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `s3/${logPrefix}/`,
        removalPolicy: RemovalPolicy.RETAIN,
        ...options,
      });

    this.uploadsBucket = privateBucket('UploadsBucket', 'uploads', {
      bucketName: props.uploadsBucketName,
      // Raw uploads only feed the validator; what passes is copied to the validated bucket.
      lifecycleRules: [
        {
          id: 'expire-raw-uploads',
          expiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.validatedBucket = privateBucket('ValidatedBucket', 'validated');
    this.resultsBucket = privateBucket('ResultsBucket', 'results', {
      bucketName: props.resultsBucketName,
      // Long enough for the judge to fetch a submission and for disputes; the judgments stay.
      lifecycleRules: [{ id: 'expire-results', expiration: Duration.days(180) }],
    });
    this.stateBucket = privateBucket('StateBucket', 'state', {
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    this.webBucket = privateBucket('WebBucket', 'web', {
      bucketName: props.webBucketName,
      versioned: true,
      lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(30) }],
    });
  }
}
