import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../leaderboard-account/infra/stack-test-support.js';
import {
  addParticipantStacks,
  JUDGE_API_URL_CONTEXT_KEY,
  PLACEHOLDER_JUDGE_API_URL,
} from './participant-app.js';
import { type ParticipantStack, participantContentSecurityPolicy } from './participant-stack.js';
import {
  builtSite,
  JUDGE_API_URL,
  SUBMITTER_ROLE_ARN,
  testApp,
  testParticipantConfig,
  testParticipantStack,
} from './stack-test-support.js';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000';

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

function actionsOf(statement: PolicyStatementJson): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

function roleOfFunction(template: Template, descriptionPrefix: string): string {
  return logicalIdOf(template, 'AWS::IAM::Role', {
    Description: Match.stringLikeRegexp(`^${descriptionPrefix}:`),
  });
}

/** The resources a role may use an action on, over all its statements. */
function resourcesFor(template: Template, role: string, action: string): unknown[] {
  return statementsOfRole(template, role)
    .filter((s) => actionsOf(s).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}

const objectsOf = (bucket: string, pattern: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/${pattern}`]],
});

describe('ParticipantStack', () => {
  let stack: ParticipantStack;
  let template: Template;
  let key: string;
  let uploadsBucket: string;
  let validatedBucket: string;
  let resultsBucket: string;
  let stateBucket: string;
  let userPool: string;
  let api: string;
  let authorizer: string;

  beforeAll(() => {
    stack = testParticipantStack();
    template = Template.fromStack(stack);
    key = logicalIdOf(template, 'AWS::KMS::Key', {});
    uploadsBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      BucketName: 'llm-league-222222222222-us-east-1-uploads',
    });
    resultsBucket = logicalIdOf(template, 'AWS::S3::Bucket', { BucketName: 'falcons-results' });
    stateBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketName: Match.absent(),
    });
    validatedBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      BucketName: Match.absent(),
      VersioningConfiguration: Match.absent(),
      OwnershipControls: Match.absent(),
    });
    userPool = logicalIdOf(template, 'AWS::Cognito::UserPool', {});
    api = logicalIdOf(template, 'AWS::ApiGateway::RestApi', { Name: 'llm-league-participant' });
    authorizer = logicalIdOf(template, 'AWS::ApiGateway::Authorizer', {});
  }, 120_000);

  describe('cdk-nag AwsSolutions', () => {
    it('leaves no finding unacknowledged', () => {
      expect(unacknowledgedFindings(stack)).toEqual([]);
    });

    it('leaves no finding unacknowledged with the web app deployed, a Bedrock model and a custom domain', () => {
      const withEverything = testParticipantStack({
        config: testParticipantConfig({ kind: 'bedrock', modelId: 'us.meta.llama3-1-8b-instruct-v1:0' }),
        webAssetsPath: builtSite(),
        customDomain: { domainName: 'falcons.league.example.com', certificateArn: CERTIFICATE_ARN },
      });
      expect(unacknowledgedFindings(withEverything)).toEqual([]);
    });
  });

  it('lives in the team account and region', () => {
    expect(stack.account).toBe('222222222222');
    expect(stack.region).toBe('us-east-1');
  });

  describe('encryption and storage', () => {
    it('encrypts with one customer-managed key that rotates', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('blocks public access on every bucket', () => {
      template.resourceCountIs('AWS::S3::Bucket', 6);
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
      template.resourceCountIs('AWS::S3::BucketPolicy', 6);
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

    it('encrypts every bucket but the access-log bucket with the key, logs access, and keeps them all on delete', () => {
      const withKey = Object.keys(
        template.findResources('AWS::S3::Bucket', {
          Properties: {
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
            LoggingConfiguration: {
              DestinationBucketName: Match.anyValue(),
              LogFilePrefix: Match.anyValue(),
            },
          },
        }),
      );
      expect(withKey).toHaveLength(5);
      expect(withKey).toEqual(
        expect.arrayContaining([uploadsBucket, validatedBucket, resultsBucket, stateBucket]),
      );
      template.hasResourceProperties('AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
    });

    it('names the results bucket exactly as the leaderboard registered it and expires results after 180 days', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'falcons-results',
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: 180, Status: 'Enabled' })],
        },
      });
    });

    it('expires raw uploads after 30 days and lets only the web app POST to the uploads bucket from a browser', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'llm-league-222222222222-us-east-1-uploads',
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })],
        },
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedMethods: ['POST'],
              AllowedOrigins: [
                { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }]] },
              ],
            }),
          ],
        },
      });
    });

    it('versions the state bucket', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/state/' }),
      });
    });
  });

  describe('Cognito', () => {
    it('lets only administrators create accounts, signing in by email with a strong password', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({
          AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
          UsernameAttributes: ['email'],
          Policies: {
            PasswordPolicy: {
              MinimumLength: 12,
              RequireLowercase: true,
              RequireUppercase: true,
              RequireNumbers: true,
              RequireSymbols: true,
              TemporaryPasswordValidityDays: 7,
            },
          },
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        }),
        DeletionPolicy: 'Retain',
      });
    });

    it('offers TOTP MFA, never SMS', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      });
    });

    it('gives the web app a public client that signs in with a password or SRP and has no OAuth flows', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        UserPoolId: { Ref: userPool },
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: false,
        PreventUserExistenceErrors: 'ENABLED',
      });
    });

    it('has the participants and team-admins groups', () => {
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
        (g) => g.Properties.GroupName,
      );
      expect(groups.sort()).toEqual(['participants', 'team-admins']);
    });
  });

  describe('Participant API', () => {
    const methodsOf = () =>
      Object.values(
        template.findResources('AWS::ApiGateway::Method', { Properties: { RestApiId: { Ref: api } } }),
      ).filter((m) => m.Properties.HttpMethod !== 'OPTIONS');

    it('requires the user pool authorizer on every method but the CORS preflight', () => {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        ProviderARNs: [{ 'Fn::GetAtt': [userPool, 'Arn'] }],
        IdentitySource: 'method.request.header.Authorization',
      });
      const methods = methodsOf();
      expect(methods.map((m) => m.Properties.OperationName).sort()).toEqual([
        'CreateTestingDataUpload',
        'GetInferenceRun',
        'GetTestingData',
        'ListQuestions',
        'ListSubmissions',
        'RunInference',
        'StartInferenceRun',
        'SubmitResults',
      ]);
      for (const method of methods) {
        expect(method.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(method.Properties.AuthorizerId).toEqual({ Ref: authorizer });
      }
    });

    it('answers preflight only for the web app origin, without running a Lambda', () => {
      const preflight = Object.values(
        template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }),
      );
      expect(preflight.length).toBeGreaterThan(0);
      for (const method of preflight) {
        expect(method.Properties.Integration.Type).toBe('MOCK');
        expect(JSON.stringify(method.Properties.Integration.IntegrationResponses)).toContain(
          '"method.response.header.Access-Control-Allow-Origin":{"Fn::Join":["",["\'https://",{"Fn::GetAtt":',
        );
      }
    });

    it('routes testing data and inference to the participant-api function, and what calls the Judge API to submissions', () => {
      const participantApiFn = logicalIdOf(template, 'AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'participant-api' }) },
      });
      const submissionsFn = logicalIdOf(template, 'AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'submissions' }) },
      });
      const target = (operation: string) => {
        const method = methodsOf().find((m) => m.Properties.OperationName === operation);
        return JSON.stringify(method?.Properties.Integration.Uri);
      };
      for (const operation of [
        'CreateTestingDataUpload',
        'GetTestingData',
        'RunInference',
        'StartInferenceRun',
        'GetInferenceRun',
      ]) {
        expect(target(operation)).toContain(participantApiFn);
      }
      for (const operation of ['SubmitResults', 'ListSubmissions', 'ListQuestions']) {
        expect(target(operation)).toContain(submissionsFn);
      }
    });

    it('validates every POST body against its JSON-schema model', () => {
      const validator = logicalIdOf(template, 'AWS::ApiGateway::RequestValidator', {
        RestApiId: { Ref: api },
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      const models: Record<string, Record<string, unknown>> = {
        CreateTestingDataUpload: {
          Name: 'TestingDataUploadRequest',
          Schema: Match.objectLike({
            required: ['fileName', 'contentType', 'size'],
            properties: {
              fileName: { type: 'string', minLength: 1, maxLength: 200 },
              contentType: {
                type: 'string',
                enum: ['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain'],
              },
              size: { type: 'integer', minimum: 1 },
            },
          }),
        },
        RunInference: {
          Name: 'InferenceRequest',
          Schema: Match.objectLike({
            required: ['prompt'],
            properties: { prompt: { type: 'string', minLength: 1, maxLength: 32_768 } },
          }),
        },
        StartInferenceRun: {
          Name: 'InferenceRunRequest',
          Schema: Match.objectLike({
            required: ['testingDataId'],
            properties: { testingDataId: Match.objectLike({ type: 'string' }) },
          }),
        },
        SubmitResults: {
          Name: 'SubmissionRequest',
          Schema: Match.objectLike({
            required: ['runId'],
            properties: { runId: Match.objectLike({ type: 'string' }), modelName: { type: 'string' } },
          }),
        },
      };
      for (const [operation, model] of Object.entries(models)) {
        const modelId = logicalIdOf(template, 'AWS::ApiGateway::Model', {
          RestApiId: { Ref: api },
          ContentType: 'application/json',
          ...model,
        });
        template.hasResourceProperties('AWS::ApiGateway::Method', {
          OperationName: operation,
          HttpMethod: 'POST',
          RequestValidatorId: { Ref: validator },
          RequestModels: { 'application/json': { Ref: modelId } },
        });
      }
      for (const operation of ['GetTestingData', 'GetInferenceRun']) {
        template.hasResourceProperties('AWS::ApiGateway::Method', {
          OperationName: operation,
          RequestValidatorId: { Ref: validator },
          RequestParameters: { 'method.request.path.id': true },
        });
      }
    });

    it('throttles the stage and each method, logs access as JSON and executions at INFO', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        RestApiId: { Ref: api },
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
          Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1inference-runs', ThrottlingRateLimit: 1 }),
          Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1submissions', ThrottlingRateLimit: 1 }),
        ]),
      });
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
    });

    it("adds the web app's CORS header to API Gateway's own error responses", () => {
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
          RestApiId: { Ref: api },
          ResponseType: type,
          ResponseParameters: Match.objectLike({
            'gatewayresponse.header.Access-Control-Allow-Origin': Match.anyValue(),
          }),
        });
      }
    });
  });

  describe('functions and permissions', () => {
    it('runs every function on Node 24 and ARM64, logging to its own log group', () => {
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: Match.anyValue() }) },
        },
      });
      expect(Object.keys(functions)).toHaveLength(4);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties.Runtime).toBe('nodejs24.x');
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.any(String) });
      }
    });

    it('sets each function timeout, memory and bucket environment on purpose', () => {
      const expected: [string, number, number, string[]][] = [
        [
          'participant-api',
          29,
          1024,
          [
            'UPLOADS_BUCKET',
            'VALIDATED_BUCKET',
            'RESULTS_BUCKET',
            'STATE_BUCKET',
            'INFERENCE_RUNNER_FUNCTION_NAME',
          ],
        ],
        ['validator', 300, 1024, ['UPLOADS_BUCKET', 'VALIDATED_BUCKET', 'STATE_BUCKET']],
        ['inference-runner', 900, 1024, ['VALIDATED_BUCKET', 'RESULTS_BUCKET', 'STATE_BUCKET']],
        ['submissions', 29, 512, ['RESULTS_BUCKET', 'STATE_BUCKET']],
      ];
      for (const [service, timeout, memory, variables] of expected) {
        const environment = Object.fromEntries(variables.map((name) => [name, Match.anyValue()]));
        template.hasResourceProperties('AWS::Lambda::Function', {
          Timeout: timeout,
          MemorySize: memory,
          Environment: {
            Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service, ...environment }),
          },
        });
      }
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: 'validator',
            UPLOADS_BUCKET: { Ref: uploadsBucket },
            VALIDATED_BUCKET: { Ref: validatedBucket },
            STATE_BUCKET: { Ref: stateBucket },
          }),
        },
      });
    });

    it('runs the validator for every object created under uploads/', () => {
      const validatorFn = logicalIdOf(template, 'AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'validator' }) },
      });
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: uploadsBucket },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
              LambdaFunctionArn: { 'Fn::GetAtt': [validatorFn, 'Arn'] },
            },
          ],
        },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [validatorFn, 'Arn'] },
        Principal: 's3.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [uploadsBucket, 'Arn'] },
      });
    });

    it('lets the submissions role assume exactly the SubmitterRole, and no other role assume anything', () => {
      const submissionsRole = roleOfFunction(template, 'SubmissionsFunction');
      expect(resourcesFor(template, submissionsRole, 'sts:AssumeRole')).toEqual([SUBMITTER_ROLE_ARN]);
      const assumers = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
        (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]).some((s) =>
          actionsOf(s).some((action) => action.startsWith('sts:')),
        ),
      );
      expect(assumers.map(([, policy]) => policy.Properties.Roles)).toEqual([[{ Ref: submissionsRole }]]);
      const inlinePolicies = Object.values(template.findResources('AWS::IAM::Role')).flatMap(
        (role) => role.Properties.Policies ?? [],
      );
      expect(JSON.stringify(inlinePolicies)).not.toContain('sts:');
    });

    it('lets the submissions role read results objects and decrypt them, for the presigned GET it hands the judge', () => {
      const submissionsRole = roleOfFunction(template, 'SubmissionsFunction');
      expect(resourcesFor(template, submissionsRole, 's3:GetObject')).toEqual(
        expect.arrayContaining([objectsOf(resultsBucket, '*')]),
      );
      expect(resourcesFor(template, submissionsRole, 'kms:Decrypt')).toEqual([
        { 'Fn::GetAtt': [key, 'Arn'] },
      ]);
      expect(resourcesFor(template, submissionsRole, 's3:PutObject')).toEqual([objectsOf(stateBucket, '*')]);
    });

    it('lets the participant API sign upload POSTs for uploads/ only, and start inference runs', () => {
      const apiRole = roleOfFunction(template, 'ParticipantApiFunction');
      const runner = logicalIdOf(template, 'AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'inference-runner' }) },
      });
      expect(resourcesFor(template, apiRole, 's3:PutObject')).toEqual(
        expect.arrayContaining([objectsOf(uploadsBucket, 'uploads/*'), objectsOf(stateBucket, '*')]),
      );
      expect(resourcesFor(template, apiRole, 's3:PutObject')).toHaveLength(2);
      expect(resourcesFor(template, apiRole, 'kms:GenerateDataKey')).toEqual([
        { 'Fn::GetAtt': [key, 'Arn'] },
      ]);
      expect(resourcesFor(template, apiRole, 'lambda:InvokeFunction')).toEqual([
        { 'Fn::GetAtt': [runner, 'Arn'] },
      ]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ INFERENCE_RUNNER_FUNCTION_NAME: { Ref: runner } }),
        },
      });
    });

    it('lets the validator read uploads and write validated data, and the runner read validated data and write results', () => {
      const validatorRole = roleOfFunction(template, 'ValidatorFunction');
      expect(resourcesFor(template, validatorRole, 's3:GetObject')).toEqual(
        expect.arrayContaining([objectsOf(uploadsBucket, 'uploads/*')]),
      );
      expect(resourcesFor(template, validatorRole, 's3:PutObject')).toEqual(
        expect.arrayContaining([objectsOf(validatedBucket, '*')]),
      );
      const runnerRole = roleOfFunction(template, 'InferenceRunnerFunction');
      expect(resourcesFor(template, runnerRole, 's3:GetObject')).toEqual(
        expect.arrayContaining([objectsOf(validatedBucket, '*')]),
      );
      expect(resourcesFor(template, runnerRole, 's3:PutObject')).toEqual(
        expect.arrayContaining([objectsOf(resultsBucket, '*')]),
      );
      expect(resourcesFor(template, runnerRole, 's3:GetObject')).not.toContainEqual(
        objectsOf(resultsBucket, '*'),
      );
    });

    it('lets the runner read the results bucket only when the team model replays a results file from it', () => {
      const replay = Template.fromStack(
        testParticipantStack({
          config: testParticipantConfig({ kind: 'replay', resultsKey: 'demo/falcons.jsonl' }),
        }),
      );
      const bucket = logicalIdOf(replay, 'AWS::S3::Bucket', { BucketName: 'falcons-results' });
      const runnerRole = roleOfFunction(replay, 'InferenceRunnerFunction');
      expect(resourcesFor(replay, runnerRole, 's3:GetObject')).toContainEqual(objectsOf(bucket, '*'));
    });

    it("grants the team's SageMaker endpoint to the API and the runner only, by its lower-cased name", () => {
      const endpoint = 'arn:aws:sagemaker:us-east-1:222222222222:endpoint/llm-league-falcons';
      for (const fn of ['ParticipantApiFunction', 'InferenceRunnerFunction']) {
        expect(resourcesFor(template, roleOfFunction(template, fn), 'sagemaker:InvokeEndpoint')).toEqual([
          endpoint,
        ]);
      }
      for (const fn of ['ValidatorFunction', 'SubmissionsFunction']) {
        expect(resourcesFor(template, roleOfFunction(template, fn), 'sagemaker:InvokeEndpoint')).toEqual([]);
      }
      const mixedCase = Template.fromStack(
        testParticipantStack({
          config: testParticipantConfig({
            kind: 'sagemaker',
            endpointName: 'Falcons-Llama-8B',
            region: 'us-west-2',
          }),
        }),
      );
      expect(JSON.stringify(mixedCase.findResources('AWS::IAM::Policy'))).toContain(
        '"arn:aws:sagemaker:us-west-2:222222222222:endpoint/falcons-llama-8b"',
      );
    });

    it('grants a Bedrock model through its inference profile, and nothing for an OpenAI-compatible server', () => {
      const bedrock = Template.fromStack(
        testParticipantStack({
          config: testParticipantConfig({ kind: 'bedrock', modelId: 'us.meta.llama3-1-8b-instruct-v1:0' }),
        }),
      );
      const runnerRole = roleOfFunction(bedrock, 'InferenceRunnerFunction');
      const models = resourcesFor(bedrock, runnerRole, 'bedrock:InvokeModel');
      expect(models).toHaveLength(2);
      expect(models).toEqual(
        expect.arrayContaining([
          'arn:aws:bedrock:us-east-1:222222222222:inference-profile/us.meta.llama3-1-8b-instruct-v1:0',
          'arn:aws:bedrock:*::foundation-model/meta.llama3-1-8b-instruct-v1:0',
        ]),
      );
      const openai = Template.fromStack(
        testParticipantStack({
          config: testParticipantConfig({
            kind: 'openai',
            baseUrl: 'https://models.example.com/v1',
            modelId: 'falcons-8b',
          }),
        }),
      );
      const policies = JSON.stringify(openai.findResources('AWS::IAM::Policy'));
      expect(policies).not.toContain('sagemaker:');
      expect(policies).not.toContain('bedrock:');
    });

    it("attaches no AWS managed policy to any role but API Gateway's CloudWatch role and CDK's notifications handler", () => {
      const withManaged = template.findResources('AWS::IAM::Role', {
        Properties: { ManagedPolicyArns: Match.anyValue() },
      });
      expect(
        Object.entries(withManaged)
          .map(
            ([id, role]) =>
              `${id.replace(/[0-9A-F]{8}$/, '')}:${JSON.stringify(role.Properties.ManagedPolicyArns)}`,
          )
          .sort(),
      ).toEqual([
        expect.stringMatching(/^BucketNotificationsHandler\w+:.*AWSLambdaBasicExecutionRole/),
        expect.stringMatching(/^ParticipantApiCloudWatchRole:.*AmazonAPIGatewayPushToCloudWatchLogs/),
      ]);
    });
  });

  describe('web app', () => {
    it('serves the web bucket through Origin Access Control, never an OAI, with no published-data behaviour', () => {
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
              DomainName: 'llm-league-222222222222-us-east-1-web.s3.us-east-1.amazonaws.com',
              OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] },
              S3OriginConfig: { OriginAccessIdentity: '' },
            }),
          ],
          CacheBehaviors: Match.absent(),
          CustomErrorResponses: [
            Match.objectLike({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html' }),
            Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
          ],
        }),
      });
      template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    });

    it('lets the browser reach the Participant API, Cognito and the uploads bucket, and nothing else', () => {
      const csp = participantContentSecurityPolicy('us-east-1', 'llm-league-222222222222-us-east-1-uploads');
      expect(csp).toContain(
        "connect-src 'self' https://*.execute-api.us-east-1.amazonaws.com https://cognito-idp.us-east-1.amazonaws.com https://llm-league-222222222222-us-east-1-uploads.s3.us-east-1.amazonaws.com;",
      );
      expect(csp).toContain("frame-ancestors 'none'");
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            ContentSecurityPolicy: { ContentSecurityPolicy: csp, Override: true },
            StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63_072_000, Preload: true }),
            FrameOptions: { FrameOption: 'DENY', Override: true },
          }),
        }),
      });
    });

    it('uses TLS 1.2 with a custom domain, and allows that origin in CORS first', () => {
      const withDomain = Template.fromStack(
        testParticipantStack({
          customDomain: { domainName: 'falcons.league.example.com', certificateArn: CERTIFICATE_ARN },
        }),
      );
      withDomain.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['falcons.league.example.com'],
          ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
        }),
      });
      withDomain.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedOrigins: ['https://falcons.league.example.com', Match.anyValue()],
            }),
          ],
        },
      });
      withDomain.hasOutput('WebAppDomainName', { Value: 'falcons.league.example.com' });
    });

    it('deploys the build with a runtime config naming the user pool, its client and the API', () => {
      const withBuild = Template.fromStack(testParticipantStack({ webAssetsPath: builtSite() }));
      withBuild.hasResourceProperties('Custom::CDKBucketDeployment', {
        Prune: true,
        DistributionPaths: ['/*'],
        Exclude: Match.absent(),
        SourceMarkers: Match.arrayWith([
          Match.objectLike({
            '<<marker:0xbaba:0>>': { Ref: Match.stringLikeRegexp('^AuthUserPool') },
          }),
        ]),
      });
    });
  });

  it('outputs the web app domain, the API URL, the user pool and client ids and the results bucket', () => {
    expect(Object.keys(template.findOutputs('*'))).toEqual(
      expect.arrayContaining([
        'WebAppDomainName',
        'ParticipantApiUrl',
        'UserPoolId',
        'UserPoolClientId',
        'ResultsBucketName',
      ]),
    );
    template.hasOutput('ResultsBucketName', { Value: { Ref: resultsBucket } });
  });
});

describe('the participant stacks of the CDK app', () => {
  it("makes one stack per team, in the team's account and region, with the Judge API URL from the context", () => {
    const stacks = addParticipantStacks(
      testApp({ [JUDGE_API_URL_CONTEXT_KEY]: JUDGE_API_URL }),
      testConfig(),
    );
    expect(stacks.map((s) => [s.stackName, s.account, s.region])).toEqual([
      ['LlmLeagueParticipant-falcons', '222222222222', 'us-east-1'],
      ['LlmLeagueParticipant-otters', '333333333333', 'eu-west-1'],
    ]);
    for (const stack of stacks) Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  it('falls back to a placeholder Judge API URL without the context, and warns', () => {
    const [stack] = addParticipantStacks(testApp(), testConfig());
    if (!stack) throw new Error('no participant stack');
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(`placeholder ${PLACEHOLDER_JUDGE_API_URL.replaceAll('.', '\\.')}`),
    );
  });

  it('refuses a Judge API URL that is not a URL', () => {
    expect(() =>
      addParticipantStacks(testApp({ [JUDGE_API_URL_CONTEXT_KEY]: 'not a url' }), testConfig()),
    ).toThrow(/judgeApiUrl/);
  });
});
