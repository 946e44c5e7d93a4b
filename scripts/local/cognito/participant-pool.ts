import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { TeamId } from '../../../shared/contracts/common.js';

/** Every member of a team. */
export const PARTICIPANTS_GROUP = 'participants';
/** Members who may manage the team (invite, submit on its behalf). */
export const TEAM_ADMINS_GROUP = 'team-admins';
export type ParticipantGroup = typeof PARTICIPANTS_GROUP | typeof TEAM_ADMINS_GROUP;

/** The pool tag naming the team a participant pool belongs to; `league invite` checks it. */
export const TEAM_TAG = 'league:team';

export interface ParticipantPool {
  readonly userPoolId: string;
  /** The web app's client: no secret (a browser cannot keep one). */
  readonly clientId: string;
  /** The `iss` of the pool's tokens. */
  readonly issuer: string;
  /** Where the pool's signing keys are: `<issuer>/.well-known/jwks.json`. */
  readonly jwksUrl: string;
}

export const ParticipantPoolOptions = z.strictObject({
  poolName: z.string().min(1).max(128),
  teamId: TeamId,
  /**
   * Lifetime of the ID and access tokens. Default one hour (Cognito's own default). AWS accepts
   * 300 s to 1 day; cognito-local takes any value, which is how the tests get tokens that expire.
   */
  tokenValiditySeconds: z.number().int().positive().default(3600),
});
export type ParticipantPoolOptions = z.input<typeof ParticipantPoolOptions>;

/**
 * Creates a team's participant user pool: e-mail addresses as user names, no self sign-up (the
 * organiser invites: `league invite`), a web-app client without secret, and the groups
 * `participants` and `team-admins`. The client allows USER_PASSWORD_AUTH because it is the only
 * password flow cognito-local implements (it has no SRP); the deployed client allows it too, for the web app.
 */
export async function provisionParticipantPool(
  client: CognitoIdentityProviderClient,
  options: ParticipantPoolOptions,
): Promise<ParticipantPool> {
  const { poolName, teamId, tokenValiditySeconds } = ParticipantPoolOptions.parse(options);
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: poolName,
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      // Stored and reported by cognito-local, but not enforced: its SignUp lets anyone in.
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          TemporaryPasswordValidityDays: 7,
        },
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      MfaConfiguration: 'OFF',
      UserPoolTags: { [TEAM_TAG]: teamId },
    }),
  );
  const userPoolId = UserPool?.Id;
  if (!userPoolId) throw new Error('CreateUserPool returned no pool id');

  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: `${poolName}-web`,
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: tokenValiditySeconds,
      AccessTokenValidity: tokenValiditySeconds,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'seconds', AccessToken: 'seconds', RefreshToken: 'days' },
    }),
  );
  const clientId = UserPoolClient?.ClientId;
  if (!clientId) throw new Error('CreateUserPoolClient returned no client id');

  for (const [GroupName, Description, Precedence] of [
    [TEAM_ADMINS_GROUP, 'May manage the team', 1],
    [PARTICIPANTS_GROUP, 'Members of the team', 10],
  ] as const) {
    await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName, Description, Precedence }));
  }

  const issuer = await poolIssuer(client, userPoolId);
  return { userPoolId, clientId, issuer, jwksUrl: `${issuer}/.well-known/jwks.json` };
}

/**
 * The `iss` of a pool's tokens: Cognito's regional URL on AWS; with an endpoint override (the local
 * stack), the endpoint itself, which is where cognito-local's issuer points when the client uses the
 * endpoint `startLocalCognito` returned.
 */
export async function poolIssuer(client: CognitoIdentityProviderClient, userPoolId: string): Promise<string> {
  if (client.config.isCustomEndpoint && client.config.endpoint) {
    const { protocol, hostname, port, path } = await client.config.endpoint();
    const host = port === undefined ? hostname : `${hostname}:${port}`;
    return `${protocol}//${host}${path.replace(/\/+$/, '')}/${userPoolId}`;
  }
  return `https://cognito-idp.${await client.config.region()}.amazonaws.com/${userPoolId}`;
}

export interface Participant {
  readonly sub: string;
  /** Cognito's user name: a uuid, as the pool's user names are e-mail addresses. */
  readonly username: string;
}

/**
 * A participant who can sign in straight away: created without a welcome e-mail, with a permanent
 * password and in the groups given. For tests and the local stack's demo users; real participants
 * are invited (`league invite`) and choose their own password.
 */
export async function createParticipant(
  client: CognitoIdentityProviderClient,
  pool: Pick<ParticipantPool, 'userPoolId'>,
  participant: { email: string; password: string; groups: readonly ParticipantGroup[] },
): Promise<Participant> {
  const { userPoolId: UserPoolId } = pool;
  const { User } = await client.send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: participant.email,
      UserAttributes: [
        { Name: 'email', Value: participant.email },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    }),
  );
  const sub = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!User?.Username || !sub) throw new Error('AdminCreateUser returned no user');
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId,
      Username: participant.email,
      Password: participant.password,
      Permanent: true,
    }),
  );
  for (const GroupName of participant.groups) {
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: participant.email, GroupName }));
  }
  return { sub, username: User.Username };
}

export interface SignInTokens {
  /** What the web app sends to the Participant API (`Authorization: Bearer <idToken>`). */
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
}

/** Signs in with e-mail and password (USER_PASSWORD_AUTH). A challenge (a new password, MFA) is an error. */
export async function signIn(
  client: CognitoIdentityProviderClient,
  pool: Pick<ParticipantPool, 'clientId'>,
  email: string,
  password: string,
): Promise<SignInTokens> {
  const { AuthenticationResult, ChallengeName } = await client.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  if (ChallengeName) throw new Error(`sign-in needs the ${ChallengeName} challenge answered`);
  const idToken = AuthenticationResult?.IdToken;
  const accessToken = AuthenticationResult?.AccessToken;
  if (!idToken || !accessToken) throw new Error('InitiateAuth returned no tokens');
  return { idToken, accessToken, refreshToken: AuthenticationResult.RefreshToken };
}
