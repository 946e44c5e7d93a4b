import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const STAGE_NAME = 'v1';

/**
 * The stage settings both REST APIs share: stage-wide throttling (per-method limits come on top),
 * JSON access logs to their own log group, execution logs at INFO without request/response bodies
 * (those carry presigned result URLs), and metrics.
 */
export function restApiStageOptions(
  scope: Construct,
  id: string,
  methodOptions: Record<string, apigw.MethodDeploymentOptions>,
): apigw.StageOptions {
  const accessLogs = new logs.LogGroup(scope, id, {
    retention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return {
    stageName: STAGE_NAME,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
    loggingLevel: apigw.MethodLoggingLevel.INFO,
    dataTraceEnabled: false,
    metricsEnabled: true,
    accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
    accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
      caller: true,
      httpMethod: true,
      ip: true,
      protocol: true,
      requestTime: true,
      resourcePath: true,
      responseLength: true,
      status: true,
      user: true,
    }),
    methodOptions,
  };
}
