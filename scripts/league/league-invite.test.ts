import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalCognito,
  type ParticipantPool,
  provisionParticipantPool,
  startLocalCognito,
} from '../local/cognito/index.js';
import { type CommandRun, runCommand } from './command-test-support.js';
import { UsageError } from './errors.js';
import { INVITE_USAGE, inviteCommand } from './invite-command.js';

// ---------------------------------------------------------------------------------------------
// Harness: inviteCommand() in-process with fake streams, against a real cognito-local and the real
// SDK. A usage error throws UsageError, which `league` (main) turns into exit code 2.

function invite(...argv: string[]): Promise<CommandRun> {
  return runCommand(inviteCommand, argv);
}

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
  pool = await provisionParticipantPool(client, { poolName: 'team-a', teamId: 'team-a' });
});

afterAll(async () => {
  client?.destroy();
  await cognito?.close();
});

/** `league invite` for team-a's pool on the local Cognito. */
const inviteToTeamA = (...argv: string[]) =>
  invite('--team', 'team-a', '--user-pool-id', pool.userPoolId, '--endpoint', cognito.endpoint, ...argv);

async function groupsOf(email: string): Promise<string[]> {
  // By Cognito's own user name: cognito-local lists no groups for a user named by e-mail address.
  const { Username } = await client.send(
    new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }),
  );
  const { Groups } = await client.send(
    new AdminListGroupsForUserCommand({ UserPoolId: pool.userPoolId, Username }),
  );
  return (Groups ?? []).map((group) => group.GroupName ?? '').sort();
}

async function usersNamed(email: string): Promise<number> {
  const { Users } = await client.send(
    new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: `email = "${email}"` }),
  );
  return Users?.length ?? 0;
}

describe('league invite', () => {
  it('creates the user with a verified e-mail in participants, and prints the local temporary password', async () => {
    const run = await inviteToTeamA('--email', 'Ada@Example.org');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^invited ada@example\.org to team team-a \(local_\w+\): user [\w-]+, participants\n/,
    );

    const user = await client.send(
      new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: 'ada@example.org' }),
    );
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'ada@example.org' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
    expect(await groupsOf('ada@example.org')).toEqual(['participants']);

    // The printed password is the one Cognito would have e-mailed, and it signs in (to a new-password challenge).
    const password = /^temporary password: (\S+) /m.exec(run.stdout)?.[1] ?? '';
    expect(cognito.outbox.at(-1)).toMatchObject({
      medium: 'EMAIL',
      destination: 'ada@example.org',
      code: password,
    });
    const { ChallengeName } = await client.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ada@example.org', PASSWORD: password },
      }),
    );
    expect(ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('adds a team admin to team-admins as well', async () => {
    expect((await inviteToTeamA('--email', 'grace@example.org', '--admin')).code).toBe(0);
    expect(await groupsOf('grace@example.org')).toEqual(['participants', 'team-admins']);
  });

  it('is idempotent: inviting someone again adds the groups asked for and says so', async () => {
    expect((await inviteToTeamA('--email', 'alan@example.org')).code).toBe(0);
    const outboxBefore = cognito.outbox.length;
    const again = await inviteToTeamA('--email', 'alan@example.org', '--admin');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `alan@example.org is already in ${pool.userPoolId}: added to participants, team-admins\n`,
    );
    expect(await groupsOf('alan@example.org')).toEqual(['participants', 'team-admins']);
    expect(await usersNamed('alan@example.org')).toBe(1);
    expect(cognito.outbox.length).toBe(outboxBefore);
    // Not asking for --admin again takes nothing away.
    expect((await inviteToTeamA('--email', 'alan@example.org')).code).toBe(0);
    expect(await groupsOf('alan@example.org')).toEqual(['participants', 'team-admins']);
  });

  it('changes nothing on a dry run', async () => {
    const run = await inviteToTeamA('--email', 'edsger@example.org', '--dry-run');
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toBe(
      `dry run: would invite edsger@example.org to team team-a (${pool.userPoolId}) in participants\n`,
    );
    expect(await usersNamed('edsger@example.org')).toBe(0);
    expect((await inviteToTeamA('--email', 'edsger@example.org')).code).toBe(0);
    expect((await inviteToTeamA('--email', 'edsger@example.org', '--admin', '--dry-run')).stdout).toBe(
      `dry run: edsger@example.org is already in ${pool.userPoolId}; would add them to participants, team-admins\n`,
    );
    expect(await groupsOf('edsger@example.org')).toEqual(['participants']);
  });

  it("refuses to invite into another team's pool", async () => {
    await expect(
      invite(
        '--email',
        'mallory@example.org',
        '--team',
        'team-b',
        '--user-pool-id',
        pool.userPoolId,
        '--endpoint',
        cognito.endpoint,
      ),
    ).rejects.toThrow(new UsageError(`user pool ${pool.userPoolId} belongs to team team-a, not team-b`));
    expect(await usersNamed('mallory@example.org')).toBe(0);
  });

  it('refuses an address that is not an e-mail address, as a usage error (exit 2)', async () => {
    await expect(inviteToTeamA('--email', 'not-an-address')).rejects.toThrow(UsageError);
    await expect(inviteToTeamA('--email', 'not-an-address')).rejects.toThrow(
      /--email must be an e-mail address/,
    );
  });

  it('refuses missing options, a pool that does not exist and a bad endpoint, as usage errors', async () => {
    await expect(invite('--email', 'ada@example.org', '--team', 'team-a')).rejects.toThrow(
      new UsageError('--user-pool-id is required'),
    );
    await expect(
      invite(
        '--email',
        'ada@example.org',
        '--team',
        'team-a',
        '--user-pool-id',
        'local_Missing1',
        '--endpoint',
        cognito.endpoint,
      ),
    ).rejects.toThrow(new UsageError('user pool local_Missing1 not found'));
    await expect(
      invite('--email', 'ada@example.org', '--team', 'team-a', '--user-pool-id', 'local_Abc1'),
    ).rejects.toThrow(new UsageError('--region is required: local_Abc1 does not name its region'));
    await expect(inviteToTeamA('--email', 'ada@example.org', '--endpoint', 'cognito.local')).rejects.toThrow(
      /--endpoint must be an http\(s\) URL/,
    );
  });

  it('prints its usage with --help', async () => {
    expect(await invite('--help')).toEqual({ code: 0, stdout: INVITE_USAGE, stderr: '' });
  });
});
