import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalCognito, provisionParticipantPool, signIn, startLocalCognito } from './index.js';
import { createParticipant } from './participant-pool.js';

// The real SDK against cognito-local, in-process. Each test starts its own server and closes it.

const started: LocalCognito[] = [];
const clients: CognitoIdentityProviderClient[] = [];

async function start(options: Parameters<typeof startLocalCognito>[0] = {}): Promise<LocalCognito> {
  const cognito = await startLocalCognito(options);
  started.push(cognito);
  return cognito;
}

function clientFor(cognito: LocalCognito): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(started.splice(0).map((cognito) => cognito.close()));
});

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('startLocalCognito', () => {
  it('refuses port 9229, which the Node inspector uses', async () => {
    await expect(startLocalCognito({ port: 9229 })).rejects.toThrow(/Node inspector/);
  });

  it('listens on a free loopback port and puts that port in the issuer of its tokens', async () => {
    const cognito = await start();
    expect(cognito.endpoint).toBe(`http://127.0.0.1:${cognito.port}`);
    expect(cognito.port).not.toBe(9229);
    const client = clientFor(cognito);
    const pool = await provisionParticipantPool(client, { poolName: 'team-a', teamId: 'team-a' });
    await createParticipant(client, pool, {
      email: 'ada@example.org',
      password: 'Correct-horse-1',
      groups: [],
    });
    const { idToken } = await signIn(client, pool, 'ada@example.org', 'Correct-horse-1');
    expect(payloadOf(idToken).iss).toBe(cognito.issuer(pool.userPoolId));
    expect(cognito.issuer(pool.userPoolId)).toBe(`${cognito.endpoint}/${pool.userPoolId}`);
  });

  it('collects the welcome e-mail with the temporary password in its outbox instead of sending it', async () => {
    const cognito = await start();
    const client = clientFor(cognito);
    const pool = await provisionParticipantPool(client, { poolName: 'team-a', teamId: 'team-a' });
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: 'grace@example.org',
        DesiredDeliveryMediums: ['EMAIL'],
        TemporaryPassword: 'Temporary-pass-1',
      }),
    );
    expect(cognito.outbox).toEqual([
      {
        medium: 'EMAIL',
        destination: 'grace@example.org',
        username: User?.Username,
        code: 'Temporary-pass-1',
      },
    ]);
  });

  it('keeps pools, clients and users in the directory given, across a restart', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'league-cognito-test-'));
    try {
      const first = await start({ directory });
      const pool = await provisionParticipantPool(clientFor(first), { poolName: 'team-a', teamId: 'team-a' });
      await createParticipant(clientFor(first), pool, {
        email: 'ada@example.org',
        password: 'Correct-horse-1',
        groups: ['participants'],
      });
      await first.close();

      const second = await start({ directory });
      const client = clientFor(second);
      const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }));
      expect(UserPool?.Name).toBe('team-a');
      const { idToken } = await signIn(client, pool, 'ada@example.org', 'Correct-horse-1');
      expect(payloadOf(idToken)['cognito:groups']).toEqual(['participants']);
      // The issuer follows the port: tokens from before a restart on another port no longer verify.
      expect(payloadOf(idToken).iss).toBe(second.issuer(pool.userPoolId));
      await second.close();
      expect(existsSync(directory)).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('stops listening and removes its temporary directory on close, once however often it is called', async () => {
    const cognito = await start();
    expect((await fetch(`${cognito.endpoint}/health`)).status).toBe(200);
    await Promise.all([cognito.close(), cognito.close()]);
    await cognito.close();
    expect(existsSync(cognito.directory)).toBe(false);
    await expect(fetch(`${cognito.endpoint}/health`)).rejects.toThrow();
  });
});
