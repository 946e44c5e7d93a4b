import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { TeamRegistration } from '../../shared/config/league-config.js';
import { SUBMITTER_ROLE_NAME } from '../app/team-registry.js';
import { evaluationRequestSchema } from './evaluation-request-model.js';
import { acknowledge, wildcardResourceFinding } from './nag-findings.js';
import { restApiStageOptions, STAGE_NAME } from './rest-api-stage.js';

export interface JudgeApiProps {
  readonly handler: lambda.IFunction;
  /** Every team whose account may assume the SubmitterRole; at least one. */
  readonly teams: readonly TeamRegistration[];
}

/** STS caps role session names at 64 characters. */
const MAX_SESSION_NAME = 64;

/** The session name a team's account must use: it names the team in the caller's ARN. */
export function submitterSessionName(team: Pick<TeamRegistration, 'teamId'>): string {
  const name = `team-${team.teamId}`;
  if (name.length > MAX_SESSION_NAME) {
    throw new Error(
      `team ${team.teamId}: the session name ${name} is longer than STS allows (${MAX_SESSION_NAME}); use a team id of at most ${MAX_SESSION_NAME - 5} characters`,
    );
  }
  return name;
}

/**
 * The Judge API: participant accounts submit results for judging. Only sessions of the
 * SubmitterRole may call it (IAM auth on every method, and a resource policy that denies every
 * other principal), and the role trusts each team's account only with that team's ExternalId and
 * session name, so the Judge API derives the team from the caller's ARN, never from the body.
 */
export class JudgeApi extends Construct {
  readonly api: apigw.RestApi;
  readonly submitterRole: iam.Role;
  /** API Gateway's account-wide CloudWatch role setting, made here; other APIs' stages wait for it. */
  readonly cloudWatchAccount: apigw.CfnAccount;

  constructor(scope: Construct, id: string, props: JudgeApiProps) {
    super(scope, id);
    const [firstTeam, ...otherTeams] = props.teams;
    if (!firstTeam) {
      throw new Error(
        'the league config has no teams: the SubmitterRole would trust no account; register at least one team (teams[]) before deploying',
      );
    }

    this.submitterRole = new iam.Role(this, 'SubmitterRole', {
      roleName: SUBMITTER_ROLE_NAME,
      description: 'LLM League: participant accounts assume this role to call the Judge API',
      assumedBy: teamTrust(firstTeam),
      maxSessionDuration: Duration.hours(1),
    });
    for (const team of otherTeams) {
      this.submitterRole.assumeRolePolicy?.addStatements(
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          principals: [teamTrust(team)],
        }),
      );
    }

    const onlySubmitters = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AllowSubmitterRole',
          principals: [new iam.ArnPrincipal(this.submitterRole.roleArn)],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenyEveryoneElse',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
          conditions: { StringNotEquals: { 'aws:PrincipalArn': this.submitterRole.roleArn } },
        }),
      ],
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'llm-league-judge',
      description: 'LLM League Judge API: participant accounts submit results for judging',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      policy: onlySubmitters,
      cloudWatchRole: true,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: restApiStageOptions(this, 'AccessLogs', {
        '/evaluations/POST': { throttlingRateLimit: 5, throttlingBurstLimit: 10 },
        '/evaluations/{id}/GET': { throttlingRateLimit: 20, throttlingBurstLimit: 40 },
        '/evaluations/{id}/select/POST': { throttlingRateLimit: 2, throttlingBurstLimit: 5 },
        '/questions/GET': { throttlingRateLimit: 5, throttlingBurstLimit: 10 },
        '/submission-quota/GET': { throttlingRateLimit: 20, throttlingBurstLimit: 40 },
      }),
    });
    const account = this.api.node.tryFindChild('Account');
    if (!(account instanceof apigw.CfnAccount))
      throw new Error('RestApi with cloudWatchRole made no CfnAccount');
    this.cloudWatchAccount = account;

    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const evaluationRequest = this.api.addModel('EvaluationRequestModel', {
      modelName: 'EvaluationRequest',
      contentType: 'application/json',
      schema: evaluationRequestSchema(),
    });
    const integration = new apigw.LambdaIntegration(props.handler, { allowTestInvoke: false });
    const idParameter = { 'method.request.path.id': true };

    const evaluations = this.api.root.addResource('evaluations');
    evaluations.addMethod('POST', integration, {
      operationName: 'SubmitEvaluation',
      requestValidator: validator,
      requestModels: { 'application/json': evaluationRequest },
    });
    const evaluation = evaluations.addResource('{id}');
    evaluation.addMethod('GET', integration, {
      operationName: 'GetEvaluation',
      requestValidator: validator,
      requestParameters: idParameter,
    });
    evaluation.addResource('select').addMethod('POST', integration, {
      operationName: 'SelectSubmission',
      requestValidator: validator,
      requestParameters: idParameter,
    });

    // The official questions without their references or split, for the teams' inference runs.
    this.api.root.addResource('questions').addMethod('GET', integration, { operationName: 'ListQuestions' });

    // How many of today's submissions the calling team has left.
    this.api.root
      .addResource('submission-quota')
      .addMethod('GET', integration, { operationName: 'GetSubmissionQuota' });

    const methodArns = [
      this.api.arnForExecuteApi('GET', '/questions', STAGE_NAME),
      this.api.arnForExecuteApi('GET', '/submission-quota', STAGE_NAME),
      this.api.arnForExecuteApi('POST', '/evaluations', STAGE_NAME),
      this.api.arnForExecuteApi('GET', '/evaluations/*', STAGE_NAME),
      this.api.arnForExecuteApi('POST', '/evaluations/*/select', STAGE_NAME),
    ];
    this.submitterRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: methodArns }),
    );

    for (const arn of methodArns.filter((a) => a.includes('*'))) {
      acknowledge(
        this.submitterRole,
        wildcardResourceFinding(this, arn),
        "The wildcard is the {id} path parameter of this one Judge API method (the evaluation id); teams can only reach their own evaluations, which the handler checks against the team in the caller's ARN.",
      );
    }
    acknowledge(
      this.api,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level CloudWatch role (cloudWatchRole: true) uses the AWS managed policy made for exactly this purpose; it is assumed only by apigateway.amazonaws.com to write execution and access logs.",
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG3',
      'WAF is optional here: every method requires SigV4 (AWS_IAM) from sessions of the SubmitterRole, the resource policy denies every other principal, and stage and method throttling cap the rate, so unauthenticated floods are refused before any Lambda runs. A web ACL costs about $5/month plus per-request fees; add one if the event is a target.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-COG4',
      'The callers are participant AWS accounts (machines), not users: they authenticate with SigV4 as SubmitterRole sessions (AWS_IAM authorization), which is what binds a call to a team. A Cognito user pool would add a second identity system with no team binding.',
    );
  }
}

/** One trust statement per team: its account, its ExternalId, and the session name naming it. */
function teamTrust(team: TeamRegistration): iam.IPrincipal {
  return new iam.AccountPrincipal(team.account).withConditions({
    StringEquals: {
      'sts:ExternalId': team.externalId,
      'sts:RoleSessionName': submitterSessionName(team),
    },
  });
}
