import { createHash, createHmac } from 'node:crypto';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** A response of the leaderboard account's Judge API, passed on to the participant as it is. */
export interface JudgeApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** The Judge API, as the participant account reaches it. */
export interface JudgeApi {
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JudgeApiResponse>;
}

export interface SignedJudgeApiOptions {
  readonly sts: STSClient;
  /** The leaderboard account's SubmitterRole. */
  readonly roleArn: string;
  readonly externalId: string;
  readonly teamId: string;
  /** The Judge API base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/v1/ */
  readonly baseUrl: string;
  readonly region: string;
  readonly fetch?: typeof fetch;
}

/**
 * The Judge API on AWS: assume the leaderboard account's SubmitterRole with the team's ExternalId and
 * the session name `team-<teamId>` (the trust policy accepts no other name from this account, which
 * is how the leaderboard knows the team), then SigV4-sign each call for `execute-api`.
 */
export class SignedJudgeApi implements JudgeApi {
  private credentials?: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiresAt: number;
  };
  private readonly fetch: typeof fetch;

  constructor(private readonly options: SignedJudgeApiOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JudgeApiResponse> {
    const credentials = await this.sessionCredentials();
    const url = new URL(
      path.replace(/^\/+/, ''),
      this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signer = new SignatureV4({
      credentials,
      region: this.options.region,
      service: 'execute-api',
      sha256: Sha256,
    });
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { host: url.host, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { body: payload } : {}),
    });
    const response = await this.fetch(url, {
      method,
      headers: signed.headers as Record<string, string>,
      ...(payload ? { body: payload } : {}),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { status: response.status, body: parseJson(text), headers };
  }

  private async sessionCredentials() {
    if (this.credentials && this.credentials.expiresAt - Date.now() > 60_000) return this.credentials;
    const { Credentials } = await this.options.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.options.roleArn,
        RoleSessionName: `team-${this.options.teamId}`,
        ExternalId: this.options.externalId,
        DurationSeconds: 900,
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken) {
      throw new Error('AssumeRole of the SubmitterRole returned no credentials');
    }
    this.credentials = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiresAt: Credentials.Expiration?.getTime() ?? Date.now() + 900_000,
    };
    return this.credentials;
  }
}

/**
 * The Judge API on the local stack: the real judge-api handler, called with the API Gateway event
 * it would get on AWS, whose caller is the SubmitterRole session IAM would give this team.
 */
export class LocalJudgeApi implements JudgeApi {
  constructor(
    private readonly handler: (
      event: APIGatewayProxyEvent,
      context: Context,
    ) => Promise<APIGatewayProxyResult>,
    private readonly callerArn: string,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JudgeApiResponse> {
    const evaluation = /^\/?evaluations\/([^/]+)(\/select)?$/.exec(path);
    const resource = evaluation
      ? evaluation[2]
        ? '/evaluations/{id}/select'
        : '/evaluations/{id}'
      : `/${path.replace(/^\/+/, '')}`;
    const event = {
      httpMethod: method,
      resource,
      path: `/${path.replace(/^\/+/, '')}`,
      body: body === undefined ? null : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      multiValueHeaders: {},
      pathParameters: evaluation?.[1] ? { id: evaluation[1] } : null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      stageVariables: null,
      isBase64Encoded: false,
      requestContext: { requestId: `local-${Date.now()}`, identity: { userArn: this.callerArn } },
    } as unknown as APIGatewayProxyEvent;
    const context = { awsRequestId: `local-${Date.now()}`, functionName: 'judge-api' } as unknown as Context;
    const result = await this.handler(event, context);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.headers ?? {}))
      headers[key.toLowerCase()] = String(value);
    return { status: result.statusCode, body: parseJson(result.body), headers };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the shape SignatureV4 expects, on node:crypto. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape @smithy/signature-v4 takes. */
export class Sha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBytes(secret);
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}
