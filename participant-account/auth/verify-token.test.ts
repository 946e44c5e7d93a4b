import { createSign, generateKeyPairSync } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createParticipant,
  type LocalCognito,
  type ParticipantPool,
  provisionParticipantPool,
  signIn,
  startLocalCognito,
} from '../../scripts/local/cognito/index.js';
import { HttpError } from '../../shared/lambda/errors.js';
import { httpHandler } from '../../shared/lambda/http.js';
import { Unauthorized, type UnauthorizedReason } from './unauthorized.js';
import { createTokenVerifier, type TokenVerifier } from './verify-token.js';

// Real tokens from a real cognito-local, verified with aws-jwt-verify against its JWKS over HTTP.

const PASSWORD = 'Correct-horse-1';
let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;
let pool: ParticipantPool;
let verifier: TokenVerifier;
let ada: { sub: string; idToken: string; accessToken: string };

beforeAll(async () => {
  cognito = await startLocalCognito();
  client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  pool = await provisionParticipantPool(client, { poolName: 'team-a', teamId: 'team-a' });
  const { sub } = await createParticipant(client, pool, {
    email: 'ada@example.org',
    password: PASSWORD,
    groups: ['participants'],
  });
  ada = { sub, ...(await signIn(client, pool, 'ada@example.org', PASSWORD)) };
  verifier = localVerifier(pool);
});

afterAll(async () => {
  client?.destroy();
  await cognito?.close();
});

function localVerifier(of: ParticipantPool): TokenVerifier {
  return createTokenVerifier({ userPoolId: of.userPoolId, clientId: of.clientId, issuer: of.issuer });
}

/** The Unauthorized a verification rejects with (and that it is one). */
async function refusal(verifying: Promise<unknown>): Promise<Unauthorized> {
  const error = await verifying.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Unauthorized)) throw new Error(`expected Unauthorized, got ${String(error)}`);
  return error;
}

async function reasonFor(header: string | undefined, by = verifier): Promise<UnauthorizedReason> {
  const error = await refusal(by.verify(header));
  expect(error.status).toBe(401);
  return error.reason;
}

const segments = (jwt: string) => jwt.split('.') as [string, string, string];
const decode = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let attackerKey: string | undefined;

/** A JWT over `payload` signed by a key of our own, not the pool's. */
function forge(payload: Record<string, unknown>, kid: string): string {
  attackerKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
  const privateKey = attackerKey;
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

describe('createTokenVerifier (local stack)', () => {
  it("accepts a fresh ID token of the team's pool and names the caller", async () => {
    await expect(verifier.verify(`Bearer ${ada.idToken}`)).resolves.toEqual({
      sub: ada.sub,
      email: 'ada@example.org',
      groups: ['participants'],
    });
  });

  it('reads the Bearer scheme in any case', async () => {
    await expect(verifier.verify(`bearer ${ada.idToken}`)).resolves.toMatchObject({ sub: ada.sub });
  });

  it('refuses a request without a token', async () => {
    expect(await reasonFor(undefined)).toBe('missing-token');
    expect(await reasonFor('  ')).toBe('missing-token');
  });

  it('refuses an Authorization header that is not "Bearer <token>"', async () => {
    for (const header of [ada.idToken, `Basic ${ada.idToken}`, 'Bearer', `Bearer ${ada.idToken} extra`]) {
      expect(await reasonFor(header)).toBe('malformed-header');
    }
  });

  it('refuses a bearer token that is not a JWT', async () => {
    expect(await reasonFor('Bearer not-a-jwt')).toBe('malformed-token');
  });

  it('refuses a token whose payload was altered after signing (a participant making themselves admin)', async () => {
    const [header, payload, signature] = segments(ada.idToken);
    const altered = encode({ ...decode(payload), 'cognito:groups': ['participants', 'team-admins'] });
    expect(await reasonFor(`Bearer ${header}.${altered}.${signature}`)).toBe('invalid-signature');
  });

  it("refuses a token signed with another key under the pool's key id", async () => {
    const kid = String(decode(segments(ada.idToken)[0]).kid);
    expect(await reasonFor(`Bearer ${forge(decode(segments(ada.idToken)[1]), kid)}`)).toBe(
      'invalid-signature',
    );
  });

  it('refuses a token signed with a key the pool does not publish', async () => {
    expect(await reasonFor(`Bearer ${forge(decode(segments(ada.idToken)[1]), 'someone-else')}`)).toBe(
      'unknown-key',
    );
  });

  it("refuses a token of another team's pool", async () => {
    // cognito-local signs every pool's tokens with one key: only the issuer tells the pools apart.
    const other = await provisionParticipantPool(client, { poolName: 'team-b', teamId: 'team-b' });
    await createParticipant(client, other, {
      email: 'bob@example.org',
      password: PASSWORD,
      groups: ['participants'],
    });
    const { idToken } = await signIn(client, other, 'bob@example.org', PASSWORD);
    expect(await reasonFor(`Bearer ${idToken}`)).toBe('wrong-issuer');
    // ...and that pool's own verifier takes it.
    await expect(localVerifier(other).verify(`Bearer ${idToken}`)).resolves.toMatchObject({
      email: 'bob@example.org',
    });
  });

  it('refuses an ID token issued to another app client of the same pool', async () => {
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientName: 'another-app' }),
    );
    const { idToken } = await signIn(
      client,
      { clientId: UserPoolClient?.ClientId ?? '' },
      'ada@example.org',
      PASSWORD,
    );
    expect(decode(segments(idToken)[1]).iss).toBe(pool.issuer);
    expect(await reasonFor(`Bearer ${idToken}`)).toBe('wrong-client');
  });

  it('refuses an access token: the Participant API takes ID tokens', async () => {
    expect(await reasonFor(`Bearer ${ada.accessToken}`)).toBe('wrong-token-use');
  });

  it('refuses an expired token', async () => {
    // A real token of a pool whose tokens live one second, verified after it expired.
    const shortLived = await provisionParticipantPool(client, {
      poolName: 'team-c',
      teamId: 'team-c',
      tokenValiditySeconds: 1,
    });
    await createParticipant(client, shortLived, { email: 'cy@example.org', password: PASSWORD, groups: [] });
    const { idToken } = await signIn(client, shortLived, 'cy@example.org', PASSWORD);
    const expiresAtMs = Number(decode(segments(idToken)[1]).exp) * 1000;
    expect(expiresAtMs - Date.now()).toBeLessThanOrEqual(1000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAtMs - Date.now()) + 20));
    const error = await refusal(localVerifier(shortLived).verify(`Bearer ${idToken}`));
    expect(error.reason).toBe('expired');
    expect(error.message).toBe('the token has expired');
  });

  it('fails with a server error, not a 401, when the JWKS cannot be fetched', async () => {
    const unreachable = createTokenVerifier({
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      issuer: pool.issuer,
      jwksUri: `${cognito.endpoint}/no-such-path/jwks.json`,
    });
    const error = await unreachable.verify(`Bearer ${ada.idToken}`).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(HttpError);
  });

  it('becomes a 401 with the reason through the HTTP error mapper', async () => {
    const handler = httpHandler(async (event) => ({
      status: 200,
      body: await verifier.verify(event.headers.Authorization),
    }));
    const context = { awsRequestId: 'req-1', functionName: 'api', getRemainingTimeInMillis: () => 1000 };
    const event = (authorization?: string) =>
      ({
        headers: authorization ? { Authorization: authorization } : {},
        requestContext: { requestId: 'r-1' },
      }) as unknown as APIGatewayProxyEvent;
    const refused = await handler(event(`Bearer ${ada.accessToken}`), context as unknown as Context);
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'Unauthorized',
      message: 'an ID token is required',
      details: { reason: 'wrong-token-use' },
    });
    const accepted = await handler(event(`Bearer ${ada.idToken}`), context as unknown as Context);
    expect(accepted.statusCode).toBe(200);
    expect(JSON.parse(accepted.body)).toMatchObject({ sub: ada.sub });
  });
});

describe('createTokenVerifier options', () => {
  const base = { userPoolId: 'local_AbC123', clientId: 'client' };

  it('fetches keys over plain HTTP from a loopback host only', () => {
    expect(() => createTokenVerifier({ ...base, issuer: 'http://cognito.example.com/local_AbC123' })).toThrow(
      /http only for localhost/,
    );
    expect(() =>
      createTokenVerifier({
        ...base,
        issuer: 'http://127.0.0.1:4000/local_AbC123',
        jwksUri: 'http://keys.example.com/jwks.json',
      }),
    ).toThrow(/http only for localhost/);
    expect(() =>
      createTokenVerifier({ ...base, issuer: 'http://localhost:4000/local_AbC123' }),
    ).not.toThrow();
  });

  it('refuses an issuer of another pool and a JWKS URI without an issuer', () => {
    expect(() => createTokenVerifier({ ...base, issuer: 'http://127.0.0.1:4000/local_Other' })).toThrow(
      /must end with the user pool id/,
    );
    expect(() => createTokenVerifier({ ...base, jwksUri: 'https://example.com/jwks.json' })).toThrow(
      /goes with an issuer/,
    );
  });

  it("uses Cognito's own issuer when none is given, refusing a token of any other issuer", async () => {
    const aws = createTokenVerifier({ userPoolId: 'eu-west-1_AbC123', clientId: pool.clientId });
    // Refused on its issuer before any key is fetched: no network needed.
    expect(await reasonFor(`Bearer ${ada.idToken}`, aws)).toBe('wrong-issuer');
  });
});
