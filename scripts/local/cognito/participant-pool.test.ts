import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createParticipant,
  type LocalCognito,
  type ParticipantPool,
  poolIssuer,
  provisionParticipantPool,
  signIn,
  startLocalCognito,
  TEAM_TAG,
} from './index.js';

// The real SDK against cognito-local, in-process: one server and one pool for the file.

let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;
let pool: ParticipantPool;

beforeAll(async () => {
  cognito = await startLocalCognito();
  client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  pool = await provisionParticipantPool(client, { poolName: 'llm-league-team-a', teamId: 'team-a' });
});

afterAll(async () => {
  client?.destroy();
  await cognito?.close();
});

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('provisionParticipantPool', () => {
  it('creates a pool of e-mail user names, closed to self sign-up, tagged with the team', async () => {
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }));
    expect(UserPool).toMatchObject({
      Name: 'llm-league-team-a',
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTags: { [TEAM_TAG]: 'team-a' },
    });
  });

  it('creates a web-app client without a secret that may sign in with a password', async () => {
    const { UserPoolClient } = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }),
    );
    expect(UserPoolClient?.ClientSecret).toBeUndefined();
    expect(UserPoolClient?.ExplicitAuthFlows).toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('creates the participants and team-admins groups', async () => {
    const { Groups } = await client.send(new ListGroupsCommand({ UserPoolId: pool.userPoolId }));
    expect(Groups?.map((group) => group.GroupName).sort()).toEqual(['participants', 'team-admins']);
  });

  it("names the pool's issuer and a JWKS that serves its RS256 signing key", async () => {
    expect(pool.issuer).toBe(cognito.issuer(pool.userPoolId));
    expect(pool.jwksUrl).toBe(`${pool.issuer}/.well-known/jwks.json`);
    const jwks = (await (await fetch(pool.jwksUrl)).json()) as { keys: { alg: string; kty: string }[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ alg: 'RS256', kty: 'RSA' })]);
  });

  it('refuses a team id that is not a League team id', async () => {
    await expect(provisionParticipantPool(client, { poolName: 'p', teamId: 'Team A' })).rejects.toThrow(
      /lowercase/,
    );
  });
});

describe('poolIssuer', () => {
  it("is Cognito's regional URL for a client without an endpoint override", async () => {
    const aws = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    try {
      expect(await poolIssuer(aws, 'eu-west-1_AbC123')).toBe(
        'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
      );
    } finally {
      aws.destroy();
    }
  });
});

describe('createParticipant and signIn', () => {
  it('signs a participant in with e-mail and password and gets ID and access tokens of the pool', async () => {
    const participant = await createParticipant(client, pool, {
      email: 'ada@example.org',
      password: 'Correct-horse-1',
      groups: ['participants', 'team-admins'],
    });
    const tokens = await signIn(client, pool, 'ada@example.org', 'Correct-horse-1');
    const id = payloadOf(tokens.idToken);
    expect(id).toMatchObject({
      iss: pool.issuer,
      aud: pool.clientId,
      token_use: 'id',
      sub: participant.sub,
      email: 'ada@example.org',
      email_verified: true,
    });
    expect((id['cognito:groups'] as string[]).sort()).toEqual(['participants', 'team-admins']);
    expect(payloadOf(tokens.accessToken)).toMatchObject({ token_use: 'access', client_id: pool.clientId });
    // E-mail user names: Cognito's own user name is the sub, not the address.
    expect(participant.username).toBe(participant.sub);
  });

  it('refuses a wrong password', async () => {
    await createParticipant(client, pool, {
      email: 'grace@example.org',
      password: 'Correct-horse-2',
      groups: [],
    });
    // cognito-local answers InvalidPasswordException here, where Cognito answers NotAuthorizedException.
    await expect(signIn(client, pool, 'grace@example.org', 'wrong-password')).rejects.toThrow();
  });
});
