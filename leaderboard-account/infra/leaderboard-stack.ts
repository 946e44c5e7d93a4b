import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import type { LeagueConfig } from '../../shared/config/league-config.js';
import { LeagueFunction, REPO_ROOT } from '../../shared/infra/league-function.js';
import { resolvePanel } from '../judging/judge-settings.js';
import { bedrockModelArns } from './bedrock-model-arns.js';
import { grantObjectsReadWrite, grantQueueSend } from './grants.js';
import { JudgeApi } from './judge-api.js';
import { LeaderboardApi } from './leaderboard-api.js';
import { LeagueStorage } from './league-storage.js';
import { acknowledge, wildcardResourceFinding } from './nag-findings.js';
import { orchestratorConcurrency } from './orchestrator-concurrency.js';
import { type CustomDomain, PublicSite } from './public-site.js';

const ORCHESTRATOR_TIMEOUT = Duration.minutes(15);
/** Where the functions publish in the site bucket; CloudFront serves it as /data/*. */
const PUBLISHED_OBJECTS = 'data/*';

export interface LeaderboardStackProps extends Omit<StackProps, 'env'> {
  /** The validated league config: the stack's account and region come from it. */
  readonly config: LeagueConfig;
  /** The built public site. @default leaderboard-account/web/dist (skipped while it does not exist) */
  readonly siteAssetsPath?: string;
  /** @default `llm-league-{account}-{region}-site` */
  readonly siteBucketName?: string;
  /** Serve the site on your own domain, with a TLS 1.2 minimum. @default the *.cloudfront.net name */
  readonly customDomain?: CustomDomain;
}

/**
 * The organiser's account: the Judge API and its queue, the judge orchestrator, the leaderboard
 * API and daily snapshot, the state and site buckets, and the public site behind CloudFront.
 */
export class LeaderboardStack extends Stack {
  constructor(scope: Construct, id: string, props: LeaderboardStackProps) {
    const { config, siteAssetsPath, siteBucketName, customDomain, ...stackProps } = props;
    super(scope, id, {
      ...stackProps,
      env: { account: config.leaderboard.account, region: config.leaderboard.region },
    });
    const { account, region } = config.leaderboard;

    const siteBucket = siteBucketName ?? `llm-league-${account}-${region}-site`;
    const storage = new LeagueStorage(this, 'Storage', {
      siteBucketName: siteBucket,
      orchestratorTimeout: ORCHESTRATOR_TIMEOUT,
    });
    const site = new PublicSite(this, 'PublicSite', {
      siteBucket: storage.siteBucket,
      siteBucketName: siteBucket,
      key: storage.key,
      logBucket: storage.accessLogsBucket,
      assetsPath: siteAssetsPath ?? join(REPO_ROOT, 'leaderboard-account/web/dist'),
      ...(customDomain ? { customDomain } : {}),
    });

    const stateBucketEnv = { STATE_BUCKET: storage.stateBucket.bucketName };
    const siteBucketEnv = { SITE_BUCKET: storage.siteBucket.bucketName };

    const leaderboardApiFn = new LeagueFunction(this, 'LeaderboardApiFunction', {
      entry: 'leaderboard-account/functions/leaderboard-api/handler.ts',
      description: 'Records judged evaluations, runs organiser actions, publishes the boards',
      serviceName: 'leaderboard-api',
      // A record and republish takes seconds; `{"action": "rebuild"}` (direct invoke, organisers only)
      // re-reads every stored evaluation and judgment, which takes minutes for a large league.
      timeout: Duration.minutes(5),
      memorySize: 1024,
      config,
      environment: { ...stateBucketEnv, ...siteBucketEnv },
    });
    const dailySnapshotFn = new LeagueFunction(this, 'DailySnapshotFunction', {
      entry: 'leaderboard-account/functions/daily-snapshot/handler.ts',
      description: 'Takes the daily leaderboard snapshot with rank changes',
      serviceName: 'daily-snapshot',
      timeout: Duration.minutes(5),
      memorySize: 1024,
      config,
      environment: { ...stateBucketEnv, ...siteBucketEnv },
    });
    // The Judge API also publishes: POST /evaluations/{id}/select republishes the team's boards.
    const judgeApiFn = new LeagueFunction(this, 'JudgeApiFunction', {
      entry: 'leaderboard-account/functions/judge-api/handler.ts',
      description: 'Judge API: accepts evaluation requests from team accounts',
      serviceName: 'judge-api',
      // Just under API Gateway's 29 s integration limit: selecting a submission republishes boards.
      timeout: Duration.seconds(28),
      memorySize: 1024,
      config,
      environment: {
        ...stateBucketEnv,
        ...siteBucketEnv,
        EVALUATION_QUEUE_URL: storage.evaluationQueue.queueUrl,
      },
    });
    const concurrency = orchestratorConcurrency(config.judge);
    const orchestratorFn = new LeagueFunction(this, 'JudgeOrchestratorFunction', {
      entry: 'leaderboard-account/functions/judge-orchestrator/handler.ts',
      description: 'Judges queued evaluations on Bedrock and records them',
      serviceName: 'judge-orchestrator',
      timeout: ORCHESTRATOR_TIMEOUT,
      memorySize: 1024,
      config,
      reservedConcurrentExecutions: concurrency,
      environment: {
        ...stateBucketEnv,
        LEADERBOARD_FUNCTION_NAME: leaderboardApiFn.function.functionName,
        // Each container paces itself to its share of the Bedrock quota.
        ORCHESTRATOR_CONCURRENCY: String(concurrency),
      },
    });

    for (const fn of [judgeApiFn, orchestratorFn, leaderboardApiFn, dailySnapshotFn]) {
      grantObjectsReadWrite(fn.function, storage.stateBucket, '*');
      acknowledge(
        fn.role,
        wildcardResourceFinding(this, storage.stateBucket.arnForObjects('*')),
        "The state bucket is this application's private store (evaluations, judgments, question sets, board state); its functions read and write keys across it by design, and nothing else lives in it.",
      );
    }
    for (const fn of [judgeApiFn, leaderboardApiFn, dailySnapshotFn]) {
      grantObjectsReadWrite(fn.function, storage.siteBucket, PUBLISHED_OBJECTS);
      acknowledge(
        fn.role,
        wildcardResourceFinding(this, storage.siteBucket.arnForObjects(PUBLISHED_OBJECTS)),
        "Limited to the data/ prefix of the site bucket, where the published board JSON files live (one key per board, team and snapshot day); the site's own assets are outside it.",
      );
    }
    grantQueueSend(judgeApiFn.function, storage.evaluationQueue);

    orchestratorFn.function.addEventSource(
      new SqsEventSource(storage.evaluationQueue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // Never more pollers than reserved concurrency: a throttled delivery counts towards the DLQ.
        maxConcurrency: concurrency,
      }),
    );
    orchestratorFn.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [leaderboardApiFn.function.functionArn],
      }),
    );
    // Every Bedrock judge (of the panel, when there is one) by its exact model or profile ARN.
    const bedrockJudges = resolvePanel(config.judge).filter((judge) => judge.provider === 'bedrock');
    if (bedrockJudges.length > 0) {
      const modelArns = [
        ...new Set(
          bedrockJudges.flatMap((judge) =>
            bedrockModelArns({
              modelId: judge.modelId,
              region: judge.region,
              account,
              partition: this.partition,
            }),
          ),
        ),
      ];
      orchestratorFn.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: modelArns }),
      );
      for (const arn of modelArns.filter((a) => a.includes('*'))) {
        acknowledge(
          orchestratorFn.role,
          wildcardResourceFinding(this, arn),
          "The judge model is called through a cross-region inference profile, which routes each call to the same foundation model in one of the profile's regions; the wildcard is only the region of that one model's ARN (the profile itself is granted by its exact ARN).",
        );
      }
    }

    new events.Rule(this, 'DailySnapshotSchedule', {
      description: 'LLM League daily leaderboard snapshot, 10:00 UTC',
      schedule: events.Schedule.cron({ minute: '0', hour: '10' }),
      targets: [new targets.LambdaFunction(dailySnapshotFn.function, { retryAttempts: 2 })],
    });

    const judgeApi = new JudgeApi(this, 'JudgeApi', { handler: judgeApiFn.function, teams: config.teams });
    const leaderboardApi = new LeaderboardApi(this, 'LeaderboardApi', {
      handler: leaderboardApiFn.function,
      cloudWatchAccount: judgeApi.cloudWatchAccount,
    });

    new CfnOutput(this, 'DistributionDomainName', {
      description: 'The public leaderboard site',
      value: site.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'JudgeApiUrl', {
      description: 'Participant stacks call POST {url}evaluations',
      value: judgeApi.api.url,
    });
    new CfnOutput(this, 'SubmitterRoleArn', {
      description: 'Participant stacks assume this role (ExternalId, session name team-{teamId})',
      value: judgeApi.submitterRole.roleArn,
    });
    new CfnOutput(this, 'LeaderboardApiUrl', { value: leaderboardApi.api.url });
    new CfnOutput(this, 'EvaluationQueueUrl', { value: storage.evaluationQueue.queueUrl });
    new CfnOutput(this, 'EvaluationDlqUrl', { value: storage.evaluationDlq.queueUrl });
    new CfnOutput(this, 'StateBucketName', { value: storage.stateBucket.bucketName });
    new CfnOutput(this, 'SiteBucketName', { value: storage.siteBucket.bucketName });
    new CfnOutput(this, 'DailySnapshotFunctionName', {
      description: 'Take the daily snapshot on demand: league snapshot --function-name <this>',
      value: dailySnapshotFn.function.functionName,
    });
  }
}
