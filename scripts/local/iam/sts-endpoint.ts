import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessDenied, type LocalIam, SignatureRefused } from './local-iam.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  response.end(xml);
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendXml(
    response,
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/**
 * STS's query API (`POST /`, form-encoded `Action=AssumeRole…`), as the SDK's STSClient calls it:
 * the request's own SigV4 signature names the caller, whose AssumeRole the trust policy decides.
 */
export async function serveSts(
  iam: LocalIam,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: string,
): Promise<void> {
  const form = new URLSearchParams(body);
  if (request.method !== 'POST' || form.get('Action') !== 'AssumeRole') {
    sendError(
      response,
      400,
      'InvalidAction',
      `the local STS implements AssumeRole only, not ${form.get('Action')}`,
    );
    return;
  }
  let caller: { accessKeyId: string };
  try {
    caller = await iam.verify({ method: 'POST', url, headers: request.headers, body, service: 'sts' });
  } catch (error) {
    if (!(error instanceof SignatureRefused)) throw error;
    sendError(response, 403, 'SignatureDoesNotMatch', error.message);
    return;
  }
  const duration = form.get('DurationSeconds');
  try {
    const { credentials, assumedRoleArn } = iam.assumeRole(caller.accessKeyId, {
      roleArn: form.get('RoleArn') ?? '',
      roleSessionName: form.get('RoleSessionName') ?? '',
      ...(form.get('ExternalId') !== null ? { externalId: form.get('ExternalId') as string } : {}),
      ...(duration !== null ? { durationSeconds: Number(duration) } : {}),
    });
    sendXml(
      response,
      200,
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXml(credentials.secretAccessKey)}</SecretAccessKey><SessionToken>${escapeXml(credentials.sessionToken)}</SessionToken><Expiration>${credentials.expiration.toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>${escapeXml(assumedRoleArn)}</Arn><AssumedRoleId>AROALOCAL:${escapeXml(form.get('RoleSessionName') ?? '')}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  } catch (error) {
    if (!(error instanceof AccessDenied)) throw error;
    sendError(response, 403, 'AccessDenied', error.message);
  }
}
