import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createAccessLogsBucket } from '../../shared/infra/access-logs-bucket.js';

export interface LeagueStorageProps {
  /**
   * The site bucket's name, fixed so that CloudFront can name its origin without a reference to
   * the bucket (see `PublicSite`).
   */
  readonly siteBucketName: string;
  /** The orchestrator's timeout: the queue's visibility timeout is six times it. */
  readonly orchestratorTimeout: Duration;
}

/** The League's data at rest: one KMS key for every bucket and queue but the log bucket. */
export class LeagueStorage extends Construct {
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  readonly stateBucket: s3.Bucket;
  readonly siteBucket: s3.Bucket;
  readonly evaluationQueue: sqs.Queue;
  readonly evaluationDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: LeagueStorageProps) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'LLM League: state and site buckets, evaluation queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogsBucket = createAccessLogsBucket(this);
    this.stateBucket = new s3.Bucket(this, 'StateBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 's3/state/',
      lifecycleRules: [
        // Raw fetched submissions: kept long enough for disputes, then gone (the judgments stay).
        { id: 'expire-raw-results', prefix: 'results/', expiration: Duration.days(180) },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.siteBucket = new s3.Bucket(this, 'SiteBucket', {
      bucketName: props.siteBucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 's3/site/',
      lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evaluationDlq = new sqs.Queue(this, 'EvaluationDLQ', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.evaluationQueue = new sqs.Queue(this, 'EvaluationQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      // Six times the function timeout, as Lambda advises for SQS event sources: a message is not
      // handed to a second invocation while the first may still be judging it.
      visibilityTimeout: Duration.seconds(props.orchestratorTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.evaluationDlq, maxReceiveCount: 3 },
    });
  }
}
