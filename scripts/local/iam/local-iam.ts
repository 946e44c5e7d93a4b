import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../../participant-account/adapters/judge-api.js';

/**
 * The local stack's IAM, for the one cross-account hop the League makes: a participant account
 * assumes the leaderboard account's SubmitterRole (STS AssumeRole, with the trust policy's
 * conditions) and signs its Judge API calls with the session's credentials (SigV4), which API
 * Gateway checks and turns into the caller's ARN. Same SDK calls and signatures as on AWS.
 */

/** One statement of the SubmitterRole's trust policy: who may assume it, and on which conditions. */
export interface TrustStatement {
  /** The account allowed to call AssumeRole. */
  readonly account: string;
  readonly externalId: string;
  readonly roleSessionName: string;
}

export interface LocalIamOptions {
  /** The role that may be assumed, e.g. arn:aws:iam::100000000000:role/LlmLeagueSubmitterRole. */
  readonly roleArn: string;
  readonly trust: readonly TrustStatement[];
  /** Long-term access keys: key id → its secret and the account (and principal) it belongs to. */
  readonly accessKeys: Readonly<Record<string, { secretAccessKey: string; account: string; arn: string }>>;
  /** Session lifetime cap (AssumeRole's DurationSeconds is honoured up to this). */
  readonly maxSessionSeconds?: number;
  readonly now?: () => Date;
}

interface Principal {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly arn: string;
  readonly account: string;
  readonly expiresAt?: number;
}

export class AccessDenied extends Error {
  override readonly name = 'AccessDenied';
}

/** Why a request's signature was refused, as API Gateway's 403 says it. */
export class SignatureRefused extends Error {
  override readonly name = 'SignatureRefused';
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export class LocalIam {
  private readonly principals = new Map<string, Principal>();
  private readonly now: () => Date;

  constructor(private readonly options: LocalIamOptions) {
    this.now = options.now ?? (() => new Date());
    for (const [id, key] of Object.entries(options.accessKeys)) this.principals.set(id, key);
  }

  /**
   * STS AssumeRole, as the caller holding `accessKeyId` makes it: allowed only when a trust
   * statement names the caller's account, with that statement's ExternalId and session name.
   */
  assumeRole(
    accessKeyId: string,
    request: { roleArn: string; roleSessionName: string; externalId?: string; durationSeconds?: number },
  ) {
    const caller = this.principals.get(accessKeyId);
    const denied = () =>
      new AccessDenied(
        `User: ${caller?.arn ?? accessKeyId} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`,
      );
    if (!caller || caller.sessionToken !== undefined) throw denied();
    const trusted = this.options.trust.some(
      (statement) =>
        statement.account === caller.account &&
        statement.externalId === request.externalId &&
        statement.roleSessionName === request.roleSessionName,
    );
    if (request.roleArn !== this.options.roleArn || !trusted) throw denied();
    const seconds = Math.min(request.durationSeconds ?? 3600, this.options.maxSessionSeconds ?? 3600);
    const roleAccount = request.roleArn.split(':')[4] ?? '';
    const roleName = request.roleArn.split('/').pop() ?? '';
    const credentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: new Date(this.now().getTime() + seconds * 1000),
    };
    const arn = `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${request.roleSessionName}`;
    this.principals.set(credentials.accessKeyId, {
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      arn,
      account: roleAccount,
      expiresAt: credentials.expiration.getTime(),
    });
    return { credentials, assumedRoleArn: arn };
  }

  /**
   * The caller's ARN, once the request's SigV4 signature (`service`, e.g. execute-api) checks out
   * against the secret of the key it names, with its session token and within its lifetime.
   */
  async verify(request: {
    method: string;
    url: URL;
    headers: IncomingHttpHeaders;
    body: string;
    service: string;
  }): Promise<{ arn: string; accessKeyId: string }> {
    const authorization = header(request.headers, 'authorization');
    const parsed = AUTHORIZATION.exec(authorization ?? '');
    if (!parsed) throw new SignatureRefused('Missing Authentication Token');
    const [, accessKeyId = '', , region = '', service = '', signedHeaderList = '', signature = ''] = parsed;
    const principal = this.principals.get(accessKeyId);
    if (!principal) throw new SignatureRefused('The security token included in the request is invalid.');
    if (
      principal.sessionToken !== undefined &&
      header(request.headers, 'x-amz-security-token') !== principal.sessionToken
    )
      throw new SignatureRefused('The security token included in the request is invalid.');
    if (principal.expiresAt !== undefined && principal.expiresAt <= this.now().getTime())
      throw new SignatureRefused('The security token included in the request is expired');
    if (service !== request.service)
      throw new SignatureRefused(`Credential should be scoped to correct service: '${request.service}'.`);
    const amzDate = header(request.headers, 'x-amz-date');
    const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
    if (!signingDate) throw new SignatureRefused('Missing X-Amz-Date');
    if (Math.abs(signingDate.getTime() - this.now().getTime()) > 5 * 60_000)
      throw new SignatureRefused('Signature expired: the request time is too far from the server time.');

    // The signer trusts a stated payload hash, so the stated hash must be the body's.
    const statedHash = header(request.headers, 'x-amz-content-sha256');
    if (statedHash !== undefined && statedHash !== createHash('sha256').update(request.body).digest('hex'))
      throw new SignatureRefused(
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    const signedHeaders = signedHeaderList.split(';');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) headers[name] = header(request.headers, name) ?? '';
    const query: Record<string, string> = {};
    request.url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const signer = new SignatureV4({
      credentials: {
        accessKeyId,
        secretAccessKey: principal.secretAccessKey,
        ...(principal.sessionToken ? { sessionToken: principal.sessionToken } : {}),
      },
      region,
      service,
      sha256: Sha256,
    });
    const expected = await signer.sign(
      {
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        path: request.url.pathname,
        query,
        headers,
        ...(request.body !== '' ? { body: request.body } : {}),
      },
      { signingDate, unsignableHeaders: new Set(), signableHeaders: new Set(signedHeaders) },
    );
    const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1];
    if (expectedSignature !== signature) {
      throw new SignatureRefused(
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    return { arn: principal.arn, accessKeyId };
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20261122T101500Z` → a Date. */
function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}
