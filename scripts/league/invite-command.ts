import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { isLoopbackHost } from '../../participant-account/auth/loopback-fetcher.js';
import { TeamId } from '../../shared/contracts/common.js';
import { PARTICIPANTS_GROUP, TEAM_ADMINS_GROUP, TEAM_TAG } from '../local/cognito/participant-pool.js';
import { UsageError } from './errors.js';
import type { CommandIo } from './rank-command.js';

export const INVITE_USAGE = `usage: league invite --email E --team T --user-pool-id ID [options]

Invites a participant to their team's user pool: creates the user (the e-mail address, in lower
case, is the user name, marked verified) in the participants group. Cognito e-mails a temporary
password; the participant chooses their own at first sign-in. Inviting someone already in the
pool adds the groups asked for and changes nothing else.

  --email E            the participant's e-mail address
  --team T             the team: must match the pool's ${TEAM_TAG} tag
  --user-pool-id ID    the team's Cognito user pool
  --admin              also add them to team-admins
  --region R           the pool's region (default: the one in the pool id)
  --endpoint URL       another Cognito endpoint, e.g. the local stack's http://127.0.0.1:PORT;
                       a local Cognito sends no e-mail: the temporary password is printed
  --dry-run            check the pool and say what would be done, change nothing
`;

const Email = z.email();

export async function inviteCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      team: { type: 'string' },
      'user-pool-id': { type: 'string' },
      admin: { type: 'boolean', default: false },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(INVITE_USAGE);
    return 0;
  }
  const email = required('--email', values.email).toLowerCase();
  if (!Email.safeParse(email).success) {
    throw new UsageError(`--email must be an e-mail address, got ${JSON.stringify(values.email)}`);
  }
  const team = required('--team', values.team);
  if (!TeamId.safeParse(team).success) {
    throw new UsageError(
      `--team must be a team id (lowercase letters, digits and dashes), got ${JSON.stringify(team)}`,
    );
  }
  const userPoolId = required('--user-pool-id', values['user-pool-id']);
  if (!/^[\w-]+_[0-9A-Za-z]+$/.test(userPoolId)) {
    throw new UsageError(
      `--user-pool-id must be a Cognito user pool id (REGION_ID), got ${JSON.stringify(userPoolId)}`,
    );
  }
  const endpoint = values.endpoint === undefined ? undefined : parseEndpoint(values.endpoint);
  const local = endpoint !== undefined && isLoopbackHost(endpoint.hostname);
  const region = values.region ?? regionOf(userPoolId, endpoint);
  const groups = values.admin ? [PARTICIPANTS_GROUP, TEAM_ADMINS_GROUP] : [PARTICIPANTS_GROUP];

  const client = new CognitoIdentityProviderClient({
    region,
    ...(endpoint ? { endpoint: endpoint.href } : {}),
    // The local stack's Cognito wants a signed request but checks no credentials.
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  try {
    checkTeam(await describePool(client, userPoolId), team, io);
    if (values['dry-run']) {
      const exists = await userExists(client, userPoolId, email);
      io.stdout.write(
        exists
          ? `dry run: ${email} is already in ${userPoolId}; would add them to ${groups.join(', ')}\n`
          : `dry run: would invite ${email} to team ${team} (${userPoolId}) in ${groups.join(', ')}\n`,
      );
      return 0;
    }
    // No e-mail leaves a local Cognito: choose the temporary password here, to print it.
    const temporaryPassword = local ? localTemporaryPassword() : undefined;
    const created = await createUser(client, userPoolId, email, temporaryPassword);
    for (const GroupName of groups) {
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName }),
      );
    }
    if (created) {
      io.stdout.write(
        `invited ${email} to team ${team} (${userPoolId}): user ${created}, ${groups.join(', ')}\n`,
      );
      io.stdout.write(
        temporaryPassword
          ? `temporary password: ${temporaryPassword} (a local Cognito sends no e-mail)\n`
          : `Cognito e-mails ${email} a temporary password.\n`,
      );
    } else {
      io.stdout.write(`${email} is already in ${userPoolId}: added to ${groups.join(', ')}\n`);
    }
    return 0;
  } finally {
    client.destroy();
  }
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${name} is required`);
  return value.trim();
}

function parseEndpoint(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--endpoint must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  return url;
}

/** A pool id starts with its region (`eu-west-1_AbC123`); cognito-local's say `local`. */
function regionOf(userPoolId: string, endpoint: URL | undefined): string {
  const prefix = userPoolId.slice(0, userPoolId.indexOf('_'));
  if (/^[a-z]{2,4}(?:-[a-z]+)+-\d$/.test(prefix)) return prefix;
  if (endpoint) return 'us-east-1';
  throw new UsageError(`--region is required: ${userPoolId} does not name its region`);
}

async function describePool(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<UserPoolType> {
  try {
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    if (!UserPool) throw new UsageError(`user pool ${userPoolId} not found`);
    return UserPool;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException')
      throw new UsageError(`user pool ${userPoolId} not found`);
    throw error;
  }
}

/** Inviting into the wrong team's pool would let someone into another team: refuse a mismatch. */
function checkTeam(pool: UserPoolType, team: string, io: CommandIo): void {
  const poolTeam = pool.UserPoolTags?.[TEAM_TAG];
  if (poolTeam === undefined) {
    io.stderr.write(`note: user pool ${pool.Id} has no ${TEAM_TAG} tag: the team was not checked\n`);
  } else if (poolTeam !== team) {
    throw new UsageError(`user pool ${pool.Id} belongs to team ${poolTeam}, not ${team}`);
  }
}

async function userExists(client: CognitoIdentityProviderClient, userPoolId: string, email: string) {
  try {
    await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    return true;
  } catch (error) {
    if (errorName(error) === 'UserNotFoundException') return false;
    throw error;
  }
}

/** The new user's Cognito user name, or undefined when the e-mail address is already in the pool. */
async function createUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
  temporaryPassword: string | undefined,
): Promise<string | undefined> {
  try {
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
        ...(temporaryPassword ? { TemporaryPassword: temporaryPassword } : {}),
      }),
    );
    return User?.Username ?? email;
  } catch (error) {
    if (errorName(error) === 'UsernameExistsException') return undefined;
    if (errorName(error) === 'InvalidParameterException') throw new UsageError((error as Error).message);
    throw error;
  }
}

/** Meets any Cognito password policy: 16 random characters plus one of each class. */
function localTemporaryPassword(): string {
  return `${randomBytes(12).toString('base64url')}Aa1!`;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
