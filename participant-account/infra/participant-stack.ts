import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { acknowledge } from '../../leaderboard-account/infra/nag-findings.js';
import { type CustomDomain, PublicSite } from '../../leaderboard-account/infra/public-site.js';
import type { ParticipantConfig } from '../../shared/config/participant-config.js';
import { webAppContentSecurityPolicy } from '../../shared/infra/content-security-policy.js';
import { LeagueFunction, REPO_ROOT } from '../../shared/infra/league-function.js';
import { grantObjects } from './object-grants.js';
import { ParticipantApi } from './participant-api.js';
import { ParticipantAuth } from './participant-auth.js';
import { ParticipantStorage } from './participant-storage.js';
import { grantTeamModel } from './team-model-access.js';

/** The handler files (relative to the repository root); each exports `handler`. */
export const PARTICIPANT_FUNCTION_ENTRIES = {
  participantApi: 'participant-account/functions/participant-api/handler.ts',
  validator: 'participant-account/functions/validator/handler.ts',
  inferenceRunner: 'participant-account/functions/inference-runner/handler.ts',
  submissions: 'participant-account/functions/submissions/handler.ts',
} as const;

/** Where the web app asks for presigned POSTs to put testing data; the validator listens there. */
export const UPLOADS_PREFIX = 'uploads/';

const STATE_BUCKET_REASON =
  "The state bucket is this team's private store (validation reports, inference runs, submission records); its functions read and write keys across it by design, and nothing else lives in it.";
const VALIDATED_BUCKET_REASON =
  'The validated bucket holds only testing data that passed validation, one object per upload under an id generated at upload time, so no single key can be named in advance.';
const RESULTS_BUCKET_REASON =
  "The results bucket holds only this team's inference results, one object per run under an id generated when the run starts, so no single key can be named in advance.";

/**
 * The Content-Security-Policy of the participant web app: the leaderboard's, plus the Participant
 * API (any REST API in the team's region: its id is only known after deploy, and the header policy
 * must exist before it), Cognito's user pool API, and the uploads bucket the browser POSTs to.
 */
export function participantContentSecurityPolicy(region: string, uploadsBucketName: string): string {
  return webAppContentSecurityPolicy([
    `https://*.execute-api.${region}.amazonaws.com`,
    `https://cognito-idp.${region}.amazonaws.com`,
    // Where @aws-sdk/s3-presigned-post points the browser: the bucket's virtual-hosted regional name.
    `https://${uploadsBucketName}.s3.${region}.amazonaws.com`,
  ]);
}

export interface ParticipantStackProps extends Omit<StackProps, 'env'> {
  /** The team's validated participant config: the stack's account and region come from it. */
  readonly config: ParticipantConfig;
  /** The built web app. @default participant-account/web/dist (skipped while it does not exist) */
  readonly webAssetsPath?: string;
  /** @default `llm-league-{account}-{region}-web` */
  readonly webBucketName?: string;
  /** @default `llm-league-{account}-{region}-uploads` */
  readonly uploadsBucketName?: string;
  /** Serve the web app on your own domain, with a TLS 1.2 minimum. @default the *.cloudfront.net name */
  readonly customDomain?: CustomDomain;
}

/**
 * One team's account: Cognito sign-in, the Participant API, testing-data upload and validation,
 * inference against the team's model, submission to the organiser's Judge API through the
 * SubmitterRole, and the participant web app behind CloudFront.
 */
export class ParticipantStack extends Stack {
  constructor(scope: Construct, id: string, props: ParticipantStackProps) {
    const { config, webAssetsPath, webBucketName, uploadsBucketName, customDomain, ...stackProps } = props;
    super(scope, id, { ...stackProps, env: { account: config.team.account, region: config.team.region } });
    const { account, region } = config.team;

    const fixedNames = {
      web: webBucketName ?? `llm-league-${account}-${region}-web`,
      uploads: uploadsBucketName ?? `llm-league-${account}-${region}-uploads`,
    };
    const storage = new ParticipantStorage(this, 'Storage', {
      resultsBucketName: config.team.resultsBucket,
      webBucketName: fixedNames.web,
      uploadsBucketName: fixedNames.uploads,
    });

    // The web app's distribution comes first: CORS, the invitation email and the functions name it.
    const webApp = new PublicSite(this, 'WebApp', {
      siteBucket: storage.webBucket,
      siteBucketName: fixedNames.web,
      key: storage.key,
      logBucket: storage.accessLogsBucket,
      assetsPath: webAssetsPath ?? join(REPO_ROOT, 'participant-account/web/dist'),
      siteName: `LLM League participant app (${config.team.teamId})`,
      contentSecurityPolicy: participantContentSecurityPolicy(region, fixedNames.uploads),
      publishedDataPrefix: false,
      singlePageApp: true,
      geoRestrictionReason:
        "The team's members sign in from wherever they are; the distribution serves only the app's static files, and everything behind them needs a Cognito sign-in.",
      ...(customDomain ? { customDomain } : {}),
    });
    const webAppDomain = customDomain?.domainName ?? webApp.distribution.distributionDomainName;
    // The custom domain is the address members use; the CloudFront name keeps working beside it.
    const webOrigins: [string, ...string[]] = customDomain
      ? [`https://${customDomain.domainName}`, `https://${webApp.distribution.distributionDomainName}`]
      : [`https://${webApp.distribution.distributionDomainName}`];

    // Browsers POST testing data straight to S3 with the presigned POST the API hands out.
    storage.uploadsBucket.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: webOrigins,
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag', 'Location'],
      maxAge: 3000,
    });

    const auth = new ParticipantAuth(this, 'Auth', {
      teamDisplayName: config.team.displayName,
      webAppUrl: `https://${webAppDomain}`,
    });

    const buckets = {
      UPLOADS_BUCKET: storage.uploadsBucket.bucketName,
      VALIDATED_BUCKET: storage.validatedBucket.bucketName,
      RESULTS_BUCKET: storage.resultsBucket.bucketName,
      STATE_BUCKET: storage.stateBucket.bucketName,
    };

    const inferenceRunner = new LeagueFunction(this, 'InferenceRunnerFunction', {
      entry: PARTICIPANT_FUNCTION_ENTRIES.inferenceRunner,
      description: "Runs the team's model over validated testing data and writes the results",
      serviceName: 'inference-runner',
      // Lambda's maximum: a run answers every record (up to maxRecords) with limited concurrency.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      participantConfig: config,
      environment: {
        VALIDATED_BUCKET: buckets.VALIDATED_BUCKET,
        RESULTS_BUCKET: buckets.RESULTS_BUCKET,
        STATE_BUCKET: buckets.STATE_BUCKET,
      },
    });

    const participantApiFn = new LeagueFunction(this, 'ParticipantApiFunction', {
      entry: PARTICIPANT_FUNCTION_ENTRIES.participantApi,
      description: 'Participant API: testing-data uploads, inference, inference runs',
      serviceName: 'participant-api',
      // API Gateway's integration limit (29 s): POST /inference waits on the team's model, and a
      // longer answer would reach the member as a 504 anyway; long work goes to inference runs.
      timeout: Duration.seconds(29),
      memorySize: 1024,
      participantConfig: config,
      environment: {
        ...buckets,
        INFERENCE_RUNNER_FUNCTION_NAME: inferenceRunner.function.functionName,
        WEB_APP_ORIGIN: webOrigins[0],
      },
    });
    const validator = new LeagueFunction(this, 'ValidatorFunction', {
      entry: PARTICIPANT_FUNCTION_ENTRIES.validator,
      description: 'Validates uploaded testing data and writes the validation report',
      serviceName: 'validator',
      // Streams a file of up to uploadMaxBytes line by line; minutes leave room for slow reads.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      participantConfig: config,
      environment: {
        UPLOADS_BUCKET: buckets.UPLOADS_BUCKET,
        VALIDATED_BUCKET: buckets.VALIDATED_BUCKET,
        STATE_BUCKET: buckets.STATE_BUCKET,
      },
    });
    const submissionsFn = new LeagueFunction(this, 'SubmissionsFunction', {
      entry: PARTICIPANT_FUNCTION_ENTRIES.submissions,
      description:
        "Submits results to the organiser's Judge API, lists submissions and the official questions",
      serviceName: 'submissions',
      timeout: Duration.seconds(29),
      memorySize: 512,
      participantConfig: config,
      environment: {
        RESULTS_BUCKET: buckets.RESULTS_BUCKET,
        STATE_BUCKET: buckets.STATE_BUCKET,
        WEB_APP_ORIGIN: webOrigins[0],
      },
    });

    // Presigned POSTs carry the signer's permissions: the API may put uploads, and nothing else there.
    grantObjects(
      participantApiFn,
      storage.uploadsBucket,
      'write',
      `${UPLOADS_PREFIX}*`,
      "Limited to the uploads/ prefix of this team's uploads bucket: the API signs presigned POSTs for keys it generates per upload (uploads/{uploadId}), which cannot be named in advance.",
    );
    grantObjects(participantApiFn, storage.validatedBucket, 'read', '*', VALIDATED_BUCKET_REASON);
    grantObjects(participantApiFn, storage.resultsBucket, 'read', '*', RESULTS_BUCKET_REASON);
    grantObjects(participantApiFn, storage.stateBucket, 'read-write', '*', STATE_BUCKET_REASON);
    participantApiFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [inferenceRunner.function.functionArn],
      }),
    );
    grantTeamModel(participantApiFn, config);

    grantObjects(
      validator,
      storage.uploadsBucket,
      'read',
      `${UPLOADS_PREFIX}*`,
      "Limited to the uploads/ prefix of this team's uploads bucket, where each upload lands under a key generated per upload; the validator reads the object named by each S3 event.",
    );
    grantObjects(validator, storage.validatedBucket, 'write', '*', VALIDATED_BUCKET_REASON);
    grantObjects(validator, storage.stateBucket, 'read-write', '*', STATE_BUCKET_REASON);
    validator.function.addEventSource(
      new S3EventSource(storage.uploadsBucket, {
        events: [s3.EventType.OBJECT_CREATED],
        filters: [{ prefix: UPLOADS_PREFIX }],
      }),
    );

    grantObjects(inferenceRunner, storage.validatedBucket, 'read', '*', VALIDATED_BUCKET_REASON);
    grantObjects(inferenceRunner, storage.resultsBucket, 'write', '*', RESULTS_BUCKET_REASON);
    if (config.model.kind === 'replay') {
      // A replayed model answers from a results file in the results bucket (demos, an earlier run).
      grantObjects(inferenceRunner, storage.resultsBucket, 'read', '*', RESULTS_BUCKET_REASON);
    }
    grantObjects(inferenceRunner, storage.stateBucket, 'read-write', '*', STATE_BUCKET_REASON);
    grantTeamModel(inferenceRunner, config);

    // The judge fetches results through a presigned GET, which carries this role's permissions.
    grantObjects(submissionsFn, storage.resultsBucket, 'read', '*', RESULTS_BUCKET_REASON);
    grantObjects(submissionsFn, storage.stateBucket, 'read-write', '*', STATE_BUCKET_REASON);
    submissionsFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: [config.leaderboard.submitterRoleArn],
      }),
    );

    const api = new ParticipantApi(this, 'ParticipantApi', {
      participantApiHandler: participantApiFn.function,
      submissionsHandler: submissionsFn.function,
      userPool: auth.userPool,
      allowedOrigins: webOrigins,
    });

    // The app reads its settings at run time, so one build serves every team.
    webApp.addSource(
      s3deploy.Source.jsonData('config.json', {
        teamId: config.team.teamId,
        teamDisplayName: config.team.displayName,
        region,
        userPoolId: auth.userPool.userPoolId,
        userPoolClientId: auth.webAppClient.userPoolClientId,
        apiUrl: api.api.url,
      }),
    );

    this.acknowledgeBucketNotificationsHandler();

    new CfnOutput(this, 'WebAppDomainName', { description: 'The participant web app', value: webAppDomain });
    new CfnOutput(this, 'ParticipantApiUrl', { value: api.api.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.webAppClient.userPoolClientId });
    new CfnOutput(this, 'ResultsBucketName', {
      description: 'Registered with the leaderboard: presigned result URLs point into it',
      value: storage.resultsBucket.bucketName,
    });
  }

  /** CDK's singleton that writes the uploads bucket's notification configuration at deploy time. */
  private acknowledgeBucketNotificationsHandler(): void {
    const handler = this.node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (!handler) throw new Error('the S3 event source made no BucketNotificationsHandler');
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's own BucketNotificationsHandler (behind every S3 event source) uses the AWS managed basic execution role to write its logs; it runs only during deploys, to set the uploads bucket's notification configuration (its one other permission, s3:PutBucketNotification, is scoped to that bucket).",
    );
  }
}
