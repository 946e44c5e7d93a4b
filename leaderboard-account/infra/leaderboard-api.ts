import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, type IDependable } from 'constructs';
import { acknowledge } from './nag-findings.js';
import { restApiStageOptions } from './rest-api-stage.js';

export interface LeaderboardApiProps {
  readonly handler: lambda.IFunction;
  /** API Gateway's account CloudWatch role setting (made by the Judge API): execution logging needs it first. */
  readonly cloudWatchAccount: IDependable;
}

/** The bodies of the organiser actions, as the leaderboard-api handler parses them. */
const TOGGLE_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'Toggle',
  type: apigw.JsonSchemaType.OBJECT,
  properties: { value: { type: apigw.JsonSchemaType.BOOLEAN } },
  required: ['value'],
};
const SELECTION_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'Selection',
  type: apigw.JsonSchemaType.OBJECT,
  properties: { mode: { type: apigw.JsonSchemaType.STRING, enum: ['best', 'selected'] } },
  required: ['mode'],
};

/**
 * The Leaderboard API: organiser actions (freeze, reveal, recompute, selection mode), signed with
 * the organiser's IAM credentials, and one public read route, the list of snapshot days.
 */
export class LeaderboardApi extends Construct {
  readonly api: apigw.RestApi;

  constructor(scope: Construct, id: string, props: LeaderboardApiProps) {
    super(scope, id);
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'llm-league-leaderboard',
      description: 'LLM League Leaderboard API: organiser actions and public snapshot list',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // One account-wide CloudWatch role is enough, and two would overwrite each other: the Judge
      // API makes it, this API's stage waits for it.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: restApiStageOptions(this, 'AccessLogs', {
        '/admin/freeze/POST': { throttlingRateLimit: 1, throttlingBurstLimit: 5 },
        '/admin/reveal/POST': { throttlingRateLimit: 1, throttlingBurstLimit: 5 },
        '/admin/recompute/POST': { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
        '/admin/selection/PUT': { throttlingRateLimit: 1, throttlingBurstLimit: 5 },
        '/admin/boards/GET': { throttlingRateLimit: 2, throttlingBurstLimit: 5 },
        '/snapshots/GET': { throttlingRateLimit: 20, throttlingBurstLimit: 40 },
      }),
    });
    this.api.deploymentStage.node.addDependency(props.cloudWatchAccount);

    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const toggle = this.api.addModel('ToggleModel', {
      modelName: 'Toggle',
      contentType: 'application/json',
      schema: TOGGLE_SCHEMA,
    });
    const selection = this.api.addModel('SelectionModel', {
      modelName: 'Selection',
      contentType: 'application/json',
      schema: SELECTION_SCHEMA,
    });
    const integration = new apigw.LambdaIntegration(props.handler, { allowTestInvoke: false });

    const admin = this.api.root.addResource('admin');
    const organiserMethods = [
      admin.addResource('freeze').addMethod('POST', integration, {
        operationName: 'FreezeBoard',
        requestValidator: validator,
        requestModels: { 'application/json': toggle },
      }),
      admin.addResource('reveal').addMethod('POST', integration, {
        operationName: 'RevealPrivateSplit',
        requestValidator: validator,
        requestModels: { 'application/json': toggle },
      }),
      admin.addResource('recompute').addMethod('POST', integration, {
        operationName: 'RecomputeBoards',
        requestValidator: validator,
      }),
      admin.addResource('selection').addMethod('PUT', integration, {
        operationName: 'SetSelectionMode',
        requestValidator: validator,
        requestModels: { 'application/json': selection },
      }),
      // What the organiser sees whatever the public sees (frozen, unrevealed): every live board.
      admin.addResource('boards').addMethod('GET', integration, {
        operationName: 'ReadLiveBoards',
        requestValidator: validator,
      }),
    ];
    const snapshots = this.api.root.addResource('snapshots').addMethod('GET', integration, {
      operationName: 'ListSnapshotDays',
      authorizationType: apigw.AuthorizationType.NONE,
      requestValidator: validator,
    });

    for (const method of organiserMethods) {
      acknowledge(
        method,
        'AwsSolutions-COG4',
        "Organiser actions are called by the organiser's own AWS principals, signed with SigV4 (AWS_IAM authorization) and governed by their IAM policies; there are no end users to put in a Cognito user pool.",
      );
    }
    acknowledge(
      snapshots,
      'AwsSolutions-APIG4',
      'Public by design: GET /snapshots lists the days of the published daily snapshots, read-only, the same data the public site serves without authentication through CloudFront. It is throttled (20 rps, burst 40).',
    );
    acknowledge(
      snapshots,
      'AwsSolutions-COG4',
      'Public by design: GET /snapshots is an unauthenticated, read-only list of published snapshot days (the same data as the public site), so there is no user to authorise.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG3',
      'WAF is optional here: the organiser routes require SigV4 (AWS_IAM), the one public route is a throttled read-only list, and stage throttling (50 rps, burst 100) caps the cost of abuse. A web ACL costs about $5/month plus per-request fees; add one if the event is a target.',
    );
  }
}
