import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeEnvironment } from '../../shared/infra/league-function.js';
import { addLeaderboardStack, readLeagueConfigFile } from './leaderboard-app.js';
import type { LeaderboardStack } from './leaderboard-stack.js';
import { CONTENT_SECURITY_POLICY } from './public-site.js';
import {
  builtSite,
  FALCONS_EXTERNAL_ID,
  OTTERS_EXTERNAL_ID,
  testApp,
  testConfig,
  testStack,
} from './stack-test-support.js';

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/** Every AwsSolutions finding that is not acknowledged, as `rule at path` lines. */
function unacknowledgedFindings(scope: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

function logicalIdOf(template: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  const [id] = ids;
  if (!id) throw new Error(`no ${type}`);
  return id;
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The statements of the identity policies attached to a role. */
function statementsOfRole(template: Template, role: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function writeConfig(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'llm-league-config-')), 'league.config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('LeaderboardStack', () => {
  let stack: LeaderboardStack;
  let template: Template;
  let stateBucket: string;
  let siteBucket: string;
  let accessLogsBucket: string;
  let distribution: string;
  let judgeApi: string;
  let submitterRole: string;
  let key: string;

  beforeAll(() => {
    stack = testStack();
    template = Template.fromStack(stack);
    stateBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketName: Match.absent(),
    });
    siteBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      BucketName: 'llm-league-111111111111-us-east-1-site',
    });
    accessLogsBucket = logicalIdOf(template, 'AWS::S3::Bucket', { OwnershipControls: Match.anyValue() });
    distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', {});
    judgeApi = logicalIdOf(template, 'AWS::ApiGateway::RestApi', { Name: 'llm-league-judge' });
    submitterRole = logicalIdOf(template, 'AWS::IAM::Role', { RoleName: 'LlmLeagueSubmitterRole' });
    key = logicalIdOf(template, 'AWS::KMS::Key', {});
  }, 120_000);

  describe('cdk-nag AwsSolutions', () => {
    it('leaves no finding unacknowledged', () => {
      expect(unacknowledgedFindings(stack)).toEqual([]);
    });

    it('leaves no finding unacknowledged when the built site is deployed too', () => {
      const withSite = testStack({ siteAssetsPath: builtSite() });
      Template.fromStack(withSite).hasResourceProperties('Custom::CDKBucketDeployment', {
        Exclude: ['data/*'],
        Prune: true,
        DistributionPaths: ['/*'],
      });
      expect(unacknowledgedFindings(withSite)).toEqual([]);
    });

    it('leaves no finding unacknowledged with a custom domain, where CFR4 is met instead of acknowledged', () => {
      const withDomain = testStack({
        customDomain: {
          domainName: 'league.example.com',
          certificateArn:
            'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
        },
      });
      expect(unacknowledgedFindings(withDomain)).toEqual([]);
    });
  });

  describe('encryption and storage', () => {
    it('encrypts with one customer-managed key that rotates', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('blocks public access on every bucket', () => {
      template.resourceCountIs('AWS::S3::Bucket', 3);
      template.allResourcesProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    });

    it('denies requests without TLS in every bucket policy', () => {
      template.resourceCountIs('AWS::S3::BucketPolicy', 3);
      template.allResourcesProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('encrypts the state and site buckets with the key and the access-log bucket with S3-managed keys', () => {
      const withKey = {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] },
              },
            }),
          ],
        },
      };
      expect(template.findResources('AWS::S3::Bucket', { Properties: withKey })).toHaveProperty(stateBucket);
      expect(template.findResources('AWS::S3::Bucket', { Properties: withKey })).toHaveProperty(siteBucket);
      template.hasResource('AWS::S3::Bucket', {
        Properties: {
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        },
        DeletionPolicy: 'Retain',
      });
    });

    it('versions the state bucket, expires raw results after 180 days and old versions after 30, and keeps it on delete', () => {
      template.hasResource('AWS::S3::Bucket', {
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: {
            DestinationBucketName: { Ref: accessLogsBucket },
            LogFilePrefix: 's3/state/',
          },
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({ Prefix: 'results/', ExpirationInDays: 180, Status: 'Enabled' }),
              Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
            ]),
          },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'llm-league-111111111111-us-east-1-site',
        LoggingConfiguration: { DestinationBucketName: { Ref: accessLogsBucket }, LogFilePrefix: 's3/site/' },
      });
    });
  });

  describe('public site', () => {
    const distributionArn = () => ({
      'Fn::Join': ['', ['arn:aws:cloudfront::111111111111:distribution/', { Ref: distribution }]],
    });

    it('serves the site bucket through Origin Access Control, never an OAI', () => {
      const oac = logicalIdOf(template, 'AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [
            Match.objectLike({
              DomainName: 'llm-league-111111111111-us-east-1-site.s3.us-east-1.amazonaws.com',
              OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] },
              S3OriginConfig: { OriginAccessIdentity: '' },
            }),
          ],
        }),
      });
      template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    });

    it('lets only this distribution read the site bucket and decrypt with the key', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: siteBucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Condition: { StringEquals: { 'AWS:SourceArn': distributionArn() } },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 'kms:Decrypt',
              Condition: { StringEquals: { 'AWS:SourceArn': distributionArn() } },
            }),
          ]),
        },
      });
      // No account-wide `distribution/*` grant on the key.
      expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('distribution/*');
    });

    it('caches the site long and /data/* for 30–60 s, compressed, over HTTPS, HTTP/2 and HTTP/3, with logging', () => {
      const dataCachePolicy = logicalIdOf(template, 'AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({ DefaultTTL: 30, MaxTTL: 60, MinTTL: 0 }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            CachePolicyId: CACHING_OPTIMIZED,
            Compress: true,
            ViewerProtocolPolicy: 'redirect-to-https',
          }),
          CacheBehaviors: [
            Match.objectLike({
              PathPattern: '/data/*',
              CachePolicyId: { Ref: dataCachePolicy },
              Compress: true,
              ViewerProtocolPolicy: 'redirect-to-https',
            }),
          ],
          HttpVersion: 'http2and3',
          Logging: {
            Bucket: { 'Fn::GetAtt': [accessLogsBucket, 'RegionalDomainName'] },
            Prefix: 'cloudfront/',
          },
        }),
      });
    });

    it('sends the CSP, HSTS for two years with preload, nosniff, DENY framing and a referrer policy', () => {
      const headers = logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: {
            ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
            StrictTransportSecurity: {
              AccessControlMaxAgeSec: 63_072_000,
              IncludeSubdomains: true,
              Preload: true,
              Override: true,
            },
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          },
        }),
      });
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: headers } }),
          CacheBehaviors: [Match.objectLike({ ResponseHeadersPolicyId: { Ref: headers } })],
        }),
      });
    });

    it('uses the default certificate without a custom domain, and a TLS 1.2 minimum with one', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ ViewerCertificate: Match.absent() }),
      });
      const certificateArn =
        'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
      const withDomain = Template.fromStack(
        testStack({ customDomain: { domainName: 'league.example.com', certificateArn } }),
      );
      withDomain.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['league.example.com'],
          ViewerCertificate: {
            AcmCertificateArn: certificateArn,
            MinimumProtocolVersion: 'TLSv1.2_2021',
            SslSupportMethod: 'sni-only',
          },
        }),
      });
    });
  });

  describe('Judge API and SubmitterRole', () => {
    const judgeMethods = () =>
      template.findResources('AWS::ApiGateway::Method', { Properties: { RestApiId: { Ref: judgeApi } } });

    it('requires AWS_IAM authorization on every Judge API method', () => {
      const methods = Object.values(judgeMethods());
      expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual([
        'GET',
        'GET',
        'GET',
        'POST',
        'POST',
      ]);
      for (const method of methods) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    });

    it('lets only the SubmitterRole invoke the Judge API and denies every other principal', () => {
      const role = { 'Fn::GetAtt': [submitterRole, 'Arn'] };
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        Name: 'llm-league-judge',
        Policy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: role },
              Action: 'execute-api:Invoke',
              Resource: 'execute-api:/*',
              Sid: Match.anyValue(),
            },
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'execute-api:Invoke',
              Resource: 'execute-api:/*',
              Condition: { StringNotEquals: { 'aws:PrincipalArn': role } },
              Sid: Match.anyValue(),
            },
          ],
          Version: '2012-10-17',
        },
      });
    });

    it('validates the evaluation request body against a schema generated from the contract', () => {
      const model = logicalIdOf(template, 'AWS::ApiGateway::Model', { Name: 'EvaluationRequest' });
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        Name: 'EvaluationRequest',
        Schema: Match.objectLike({
          required: ['submissionId', 'modelName', 'questionSetId', 'resultsUrl', 'resultsSha256'],
          properties: Match.objectLike({ resultsSha256: { type: 'string', pattern: '^[a-f0-9]{64}$' } }),
        }),
      });
      const validator = logicalIdOf(template, 'AWS::ApiGateway::RequestValidator', {
        RestApiId: { Ref: judgeApi },
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        RestApiId: { Ref: judgeApi },
        HttpMethod: 'POST',
        OperationName: 'SubmitEvaluation',
        RequestModels: { 'application/json': { Ref: model } },
        RequestValidatorId: { Ref: validator },
      });
    });

    it("trusts each team's account only with its ExternalId and its own session name, and no one else", () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'LlmLeagueSubmitterRole',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { AWS: 'arn:aws:iam::222222222222:root' },
              Condition: {
                StringEquals: {
                  'sts:ExternalId': FALCONS_EXTERNAL_ID,
                  'sts:RoleSessionName': 'team-falcons',
                },
              },
            },
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { AWS: 'arn:aws:iam::333333333333:root' },
              Condition: {
                StringEquals: { 'sts:ExternalId': OTTERS_EXTERNAL_ID, 'sts:RoleSessionName': 'team-otters' },
              },
            },
          ],
          Version: '2012-10-17',
        },
      });
    });

    it('lets the SubmitterRole invoke the four Judge API methods and nothing else', () => {
      const methodArn = (path: string) => ({
        'Fn::Join': ['', ['arn:aws:execute-api:us-east-1:111111111111:', { Ref: judgeApi }, `/v1/${path}`]],
      });
      const [statement, ...others] = statementsOfRole(template, submitterRole);
      expect(others).toEqual([]);
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: expect.any(Array),
      });
      expect(statement?.Resource).toHaveLength(5);
      expect(statement?.Resource).toEqual(
        expect.arrayContaining([
          methodArn('GET/questions'),
          methodArn('GET/submission-quota'),
          methodArn('POST/evaluations'),
          methodArn('GET/evaluations/*'),
          methodArn('POST/evaluations/*/select'),
        ]),
      );
    });

    it('refuses a league with no teams: the SubmitterRole would trust nobody', () => {
      expect(() => testStack({ config: testConfig({ teams: [] }) })).toThrow(/no teams/);
    });

    it('refuses a team id too long for an STS session name', () => {
      const [falcons] = testConfig().teams;
      if (!falcons) throw new Error('the test config has teams');
      const teamId = 'a'.repeat(60);
      expect(() => testStack({ config: testConfig({ teams: [{ ...falcons, teamId }] }) })).toThrow(
        /longer than STS allows/,
      );
    });
  });

  describe('API stages', () => {
    it('throttles both stages, logs access as JSON and executions at INFO', () => {
      template.resourceCountIs('AWS::ApiGateway::Stage', 2);
      template.allResourcesProperties('AWS::ApiGateway::Stage', {
        StageName: 'v1',
        AccessLogSetting: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('^\\{"requestId":'),
        },
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            LoggingLevel: 'INFO',
            DataTraceEnabled: false,
            ThrottlingRateLimit: 50,
            ThrottlingBurstLimit: 100,
          }),
        ]),
      });
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        RestApiId: { Ref: judgeApi },
        MethodSettings: Match.arrayWith([
          Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1evaluations', ThrottlingRateLimit: 5 }),
        ]),
      });
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
    });

    it('leaves only GET /snapshots open on the Leaderboard API; organiser actions need IAM', () => {
      const leaderboardApi = logicalIdOf(template, 'AWS::ApiGateway::RestApi', {
        Name: 'llm-league-leaderboard',
      });
      const methods = Object.values(
        template.findResources('AWS::ApiGateway::Method', {
          Properties: { RestApiId: { Ref: leaderboardApi } },
        }),
      );
      const byAuth = methods
        .map((m) => `${m.Properties.OperationName}:${m.Properties.AuthorizationType}`)
        .sort();
      expect(byAuth).toEqual([
        'FreezeBoard:AWS_IAM',
        'ListSnapshotDays:NONE',
        'ReadLiveBoards:AWS_IAM',
        'RecomputeBoards:AWS_IAM',
        'RevealPrivateSplit:AWS_IAM',
        'SetSelectionMode:AWS_IAM',
      ]);
    });
  });

  describe('evaluation queue and functions', () => {
    it('encrypts both queues with the key, requires TLS, and dead-letters after three receives', () => {
      const dlq = logicalIdOf(template, 'AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
      template.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 3 },
        VisibilityTimeout: 6 * 900,
      });
      template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
      template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
      template.allResourcesProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it("reserves the orchestrator's concurrency from the config and never polls past it", () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 900,
        MemorySize: 1024,
        ReservedConcurrentExecutions: 4,
        Environment: { Variables: Match.objectLike({ ORCHESTRATOR_CONCURRENCY: '4' }) },
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 4 },
      });
    });

    it("grants the orchestrator the judge's inference profile and its foundation model in any region", () => {
      const orchestratorRole = logicalIdOf(template, 'AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('^JudgeOrchestratorFunction:'),
      });
      const bedrock = statementsOfRole(template, orchestratorRole).filter(
        (s) => s.Action === 'bedrock:InvokeModel',
      );
      expect(bedrock).toHaveLength(1);
      expect(bedrock[0]?.Resource).toHaveLength(2);
      expect(bedrock[0]?.Resource).toEqual(
        expect.arrayContaining([
          'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
        ]),
      );
    });

    it("grants every Bedrock judge of a panel its own model, and no other panel member's endpoint", () => {
      const panel = Template.fromStack(
        testStack({
          config: testConfig({
            judge: {
              modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
              region: 'us-east-1',
              panel: [
                {},
                { name: 'nova', modelId: 'amazon.nova-pro-v1:0', region: 'us-west-2' },
                {
                  name: 'local',
                  provider: 'openai',
                  modelId: 'qwen',
                  openaiBaseUrl: 'https://judge.example.org',
                },
              ],
            },
          }),
        }),
      );
      const orchestratorRole = logicalIdOf(panel, 'AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('^JudgeOrchestratorFunction:'),
      });
      const resources = statementsOfRole(panel, orchestratorRole)
        .filter((s) => s.Action === 'bedrock:InvokeModel')
        .flatMap((s) => s.Resource as string[]);
      expect(resources.sort()).toEqual(
        [
          'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
          'arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0',
        ].sort(),
      );
    });

    it('grants no Bedrock access when the judge is not on Bedrock', () => {
      const emulated = Template.fromStack(
        testStack({ config: testConfig({ judge: { provider: 'emulator' } }) }),
      );
      expect(JSON.stringify(emulated.findResources('AWS::IAM::Policy'))).not.toContain('bedrock:');
    });

    it('runs the daily snapshot at 10:00 UTC', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 10 * * ? *)',
        State: 'ENABLED',
      });
    });

    it('runs every function on Node 24 and ARM64, logging to its own log group kept for three months', () => {
      template.resourceCountIs('AWS::Lambda::Function', 4);
      template.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
      });
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    });

    it("merges each function's environment with the League defaults", () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 28,
        MemorySize: 1024,
        Environment: {
          Variables: {
            STATE_BUCKET: { Ref: stateBucket },
            SITE_BUCKET: { Ref: siteBucket },
            EVALUATION_QUEUE_URL: { Ref: Match.anyValue() },
            POWERTOOLS_SERVICE_NAME: 'judge-api',
            LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
      });
    });

    it('keeps --enable-source-maps when a caller sets its own NODE_OPTIONS', () => {
      const merged = mergeEnvironment(
        { NODE_OPTIONS: '--max-old-space-size=900', LOG_LEVEL: 'DEBUG' },
        { POWERTOOLS_SERVICE_NAME: 'judge-api', LOG_LEVEL: 'INFO' },
      );
      expect(merged).toEqual({
        POWERTOOLS_SERVICE_NAME: 'judge-api',
        LOG_LEVEL: 'DEBUG',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NODE_OPTIONS: '--enable-source-maps --max-old-space-size=900',
      });
    });

    it("attaches no AWS managed policy to any role but API Gateway's CloudWatch role", () => {
      const withManaged = template.findResources('AWS::IAM::Role', {
        Properties: { ManagedPolicyArns: Match.anyValue() },
      });
      expect(
        Object.values(withManaged).map((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal),
      ).toEqual([{ Service: 'apigateway.amazonaws.com' }]);
    });
  });

  it('outputs the site domain, the Judge API URL, the SubmitterRole ARN and the queue URLs', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'DistributionDomainName',
        'JudgeApiUrl',
        'SubmitterRoleArn',
        'EvaluationQueueUrl',
        'EvaluationDlqUrl',
      ]),
    );
  });
});

describe('the CDK app', () => {
  it("builds the example config's stack in its own account and region", () => {
    const stack = addLeaderboardStack(testApp());
    expect(stack.account).toBe('111111111111');
    expect(stack.region).toBe('us-east-1');
    expect(readLeagueConfigFile('league.config.example.json').teams.map((t) => t.externalId.length)).toEqual([
      32, 32,
    ]);
  });

  it('fails on an invalid leaderboard account id, naming the field path', () => {
    const file = writeConfig({
      leaderboard: { account: '12345', region: 'us-east-1' },
      questionSetId: 'demo-v1',
    });
    expect(() => addLeaderboardStack(testApp({ 'league:config': file }))).toThrow(
      /leaderboard\.account: must be a 12-digit AWS account id/,
    );
  });

  it("fails on a team's invalid account id, naming the team's index", () => {
    const { teams } = testConfig();
    const file = writeConfig({
      leaderboard: { account: '111111111111', region: 'us-east-1' },
      questionSetId: 'demo-v1',
      teams: [teams[0], { ...teams[1], account: 'not-an-account' }],
    });
    expect(() => readLeagueConfigFile(file)).toThrow(/teams\.1\.account: must be a 12-digit AWS account id/);
  });

  it('fails on a config file that is not JSON, naming the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llm-league-config-')), 'broken.json');
    writeFileSync(file, '{ "leaderboard": ');
    expect(() => readLeagueConfigFile(file)).toThrow(`${file}: cannot read the league config`);
  });
});
