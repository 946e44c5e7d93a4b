import { type AddressInfo, createServer } from 'node:net';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../../participant-account/adapters/judge-api.js';
import { REGION, type Stack } from './stack.js';

/** Tests' helpers for a running local stack: a team's SubmitterRole session, SigV4 requests, polling. */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A team account's SubmitterRole session, as its submissions function gets one. */
export async function sessionCredentials(
  stack: Pick<Stack, 'stsEndpoint'>,
  accessKeyId: string,
  teamId: string,
): Promise<Credentials> {
  const sts = new STSClient({
    region: REGION,
    endpoint: stack.stsEndpoint,
    credentials: { accessKeyId, secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::100000000000:role/LlmLeagueSubmitterRole',
      RoleSessionName: `team-${teamId}`,
      ExternalId: `external-id-${teamId}-local-0123456789`,
    }),
  );
  sts.destroy();
  return {
    accessKeyId: Credentials?.AccessKeyId ?? '',
    secretAccessKey: Credentials?.SecretAccessKey ?? '',
    sessionToken: Credentials?.SessionToken ?? '',
  };
}

/** An `execute-api` request signed with SigV4, its body and Content-Type sent as given. */
export async function signedFetch(
  url: URL,
  method: string,
  credentials: Credentials,
  options: { body?: string; contentType?: string } = {},
): Promise<Response> {
  const signer = new SignatureV4({ credentials, region: REGION, service: 'execute-api', sha256: Sha256 });
  const headers: Record<string, string> = { host: url.host };
  if (options.contentType) headers['content-type'] = options.contentType;
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return fetch(url, {
    method,
    headers: signed.headers as Record<string, string>,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

/** Polls `probe` until it returns a value (every 200 ms), or fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A port nothing listens on now (for a test that must restart a stack on the same ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
