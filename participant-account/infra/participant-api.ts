import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge } from '../../leaderboard-account/infra/nag-findings.js';
import { restApiStageOptions } from '../../leaderboard-account/infra/rest-api-stage.js';
import {
  PARTICIPANT_REQUEST_SCHEMAS,
  type ParticipantRequestModelName,
} from './participant-request-models.js';

export interface ParticipantApiProps {
  /** Testing data and inference. */
  readonly participantApiHandler: lambda.IFunction;
  /**
   * Everything that calls the Judge API, so needs the SubmitterRole: submissions, and the official
   * questions (the Judge API's GET /questions).
   */
  readonly submissionsHandler: lambda.IFunction;
  readonly userPool: cognito.IUserPool;
  /** The web app's origins (`https://…`), the only ones CORS allows; the first is the primary. */
  readonly allowedOrigins: readonly [string, ...string[]];
}

/**
 * The team's Participant API: every method requires a user pool ID token (Cognito user pools
 * authorizer), bodies are checked against JSON-schema models before any Lambda runs, and only the
 * web app's origin may call it from a browser.
 */
export class ParticipantApi extends Construct {
  readonly api: apigw.RestApi;
  readonly authorizer: apigw.CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: ParticipantApiProps) {
    super(scope, id);
    const [primaryOrigin] = props.allowedOrigins;

    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: 'participant-user-pool',
      cognitoUserPools: [props.userPool],
      resultsCacheTtl: Duration.minutes(5),
    });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'llm-league-participant',
      description: 'LLM League Participant API: testing data, inference and submissions for one team',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // The team's account has no other REST API: this stack sets API Gateway's CloudWatch role.
      cloudWatchRole: true,
      defaultMethodOptions: {
        authorizationType: apigw.AuthorizationType.COGNITO,
        authorizer: this.authorizer,
      },
      // Preflight (OPTIONS) carries no token, so CDK makes those methods open mock integrations.
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        maxAge: Duration.hours(1),
      },
      deployOptions: restApiStageOptions(this, 'AccessLogs', {
        '/testing-data/uploads/POST': { throttlingRateLimit: 2, throttlingBurstLimit: 5 },
        '/testing-data/{id}/GET': { throttlingRateLimit: 10, throttlingBurstLimit: 20 },
        // Each call waits on the team's model: a small team's interactive use, not a load test.
        '/inference/POST': { throttlingRateLimit: 5, throttlingBurstLimit: 10 },
        '/inference-runs/POST': { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
        '/inference-runs/{id}/GET': { throttlingRateLimit: 10, throttlingBurstLimit: 20 },
        '/questions/GET': { throttlingRateLimit: 5, throttlingBurstLimit: 10 },
        '/submissions/POST': { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
        '/submissions/GET': { throttlingRateLimit: 10, throttlingBurstLimit: 20 },
      }),
    });

    // Errors API Gateway returns itself (401 from the authorizer, 400 from validation, 429, 5xx)
    // need the CORS header too, or the browser reports a CORS failure instead of the status.
    const corsHeaders = { 'Access-Control-Allow-Origin': `'${primaryOrigin}'`, Vary: "'Origin'" };
    this.api.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      responseHeaders: corsHeaders,
    });
    this.api.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      responseHeaders: corsHeaders,
    });

    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const bodyOf = (name: ParticipantRequestModelName): Partial<apigw.MethodOptions> => ({
      requestValidator: validator,
      requestModels: {
        'application/json': this.api.addModel(`${name}Model`, {
          modelName: name,
          contentType: 'application/json',
          schema: PARTICIPANT_REQUEST_SCHEMAS[name],
        }),
      },
    });
    const idParameter: Partial<apigw.MethodOptions> = {
      requestValidator: validator,
      requestParameters: { 'method.request.path.id': true },
    };
    const participantApi = new apigw.LambdaIntegration(props.participantApiHandler, {
      allowTestInvoke: false,
    });
    const submissions = new apigw.LambdaIntegration(props.submissionsHandler, { allowTestInvoke: false });

    const testingData = this.api.root.addResource('testing-data');
    testingData.addResource('uploads').addMethod('POST', participantApi, {
      operationName: 'CreateTestingDataUpload',
      ...bodyOf('TestingDataUploadRequest'),
    });
    testingData.addResource('{id}').addMethod('GET', participantApi, {
      operationName: 'GetTestingData',
      ...idParameter,
    });
    this.api.root.addResource('inference').addMethod('POST', participantApi, {
      operationName: 'RunInference',
      ...bodyOf('InferenceRequest'),
    });
    const inferenceRuns = this.api.root.addResource('inference-runs');
    inferenceRuns.addMethod('POST', participantApi, {
      operationName: 'StartInferenceRun',
      ...bodyOf('InferenceRunRequest'),
    });
    inferenceRuns.addResource('{id}').addMethod('GET', participantApi, {
      operationName: 'GetInferenceRun',
      ...idParameter,
    });
    this.api.root.addResource('questions').addMethod('GET', submissions, {
      operationName: 'ListQuestions',
      requestValidator: validator,
    });
    const submissionsResource = this.api.root.addResource('submissions');
    submissionsResource.addMethod('POST', submissions, {
      operationName: 'SubmitResults',
      ...bodyOf('SubmissionRequest'),
    });
    submissionsResource.addMethod('GET', submissions, {
      operationName: 'ListSubmissions',
      requestValidator: validator,
    });

    acknowledge(
      this.api,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level CloudWatch role (cloudWatchRole: true) uses the AWS managed policy made for exactly this purpose; it is assumed only by apigateway.amazonaws.com to write execution and access logs.",
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG3',
      "WAF is optional here: every method but the CORS preflight requires a valid ID token of this team's user pool (accounts are created by administrators only), so anonymous requests are refused by API Gateway before any Lambda runs, and stage and per-method throttling cap what a signed-in member can spend. A web ACL costs about $5/month plus per-request fees; add one if the event is a target.",
    );
  }
}
