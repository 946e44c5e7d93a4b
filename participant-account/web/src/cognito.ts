import {
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AppConfig, cognitoEndpoint } from './config.js';

export interface Tokens {
  readonly idToken: string;
  readonly refreshToken?: string | undefined;
  readonly expiresInSeconds: number;
}

/** What signing in led to: tokens, or a step the user must take first. */
export type SignInStep =
  | { readonly kind: 'signed-in'; readonly tokens: Tokens }
  | { readonly kind: 'new-password'; readonly session: string }
  | { readonly kind: 'mfa-code'; readonly session: string };

/** A sign-in failure, in words the person at the keyboard can act on. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/**
 * Cognito's user pool API, called from the browser with USER_PASSWORD_AUTH (see participant-auth.ts
 * for why), through the AWS SDK: these operations are unauthenticated, so no AWS credentials exist
 * in the page.
 */
export class CognitoSignIn {
  private readonly client: CognitoIdentityProviderClient;

  constructor(private readonly config: AppConfig) {
    this.client = new CognitoIdentityProviderClient({
      region: config.region,
      endpoint: cognitoEndpoint(config),
      maxAttempts: 2,
    });
  }

  async signIn(email: string, password: string): Promise<SignInStep> {
    const response = await this.call('sign-in', () =>
      this.client.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: this.config.userPoolClientId,
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      ),
    );
    return this.step(response);
  }

  /** The first sign-in of an invited user: the temporary password is replaced. */
  async setNewPassword(email: string, newPassword: string, session: string): Promise<SignInStep> {
    const response = await this.call('other', () =>
      this.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.config.userPoolClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
        }),
      ),
    );
    return this.step(response);
  }

  async answerMfa(email: string, code: string, session: string): Promise<SignInStep> {
    const response = await this.call('other', () =>
      this.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.config.userPoolClientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: session,
          ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
        }),
      ),
    );
    return this.step(response);
  }

  /** New tokens from the refresh token (which Cognito does not rotate here: it is kept). */
  async refresh(refreshToken: string): Promise<Tokens> {
    const response = await this.call('other', () =>
      this.client.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: this.config.userPoolClientId,
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      ),
    );
    const tokens = tokensOf(response.AuthenticationResult);
    if (!tokens) throw new SignInError('Your session could not be renewed; sign in again.');
    return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
  }

  private step(response: {
    AuthenticationResult?: AuthenticationResultType | undefined;
    ChallengeName?: string | undefined;
    Session?: string | undefined;
  }): SignInStep {
    const tokens = tokensOf(response.AuthenticationResult);
    if (tokens) return { kind: 'signed-in', tokens };
    if (response.ChallengeName === 'NEW_PASSWORD_REQUIRED' && response.Session)
      return { kind: 'new-password', session: response.Session };
    if (response.ChallengeName === 'SOFTWARE_TOKEN_MFA' && response.Session)
      return { kind: 'mfa-code', session: response.Session };
    throw new SignInError(
      `Sign-in needs a step this app does not support (${response.ChallengeName ?? 'none'}); ask your organiser.`,
    );
  }

  private async call<T>(step: SignInStepName, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new SignInError(signInMessage(error, step));
    }
  }
}

function tokensOf(result: AuthenticationResultType | undefined): Tokens | undefined {
  if (!result?.IdToken) return undefined;
  return {
    idToken: result.IdToken,
    refreshToken: result.RefreshToken,
    expiresInSeconds: result.ExpiresIn ?? 3600,
  };
}

export type SignInStepName = 'sign-in' | 'other';

/**
 * Cognito's error names, as advice. At the first step a refused password is always "incorrect"
 * (cognito-local says InvalidPasswordException where Cognito says NotAuthorizedException); later,
 * InvalidPasswordException is a new password the policy refuses.
 */
export function signInMessage(error: unknown, step: SignInStepName): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'NotAuthorizedException':
      return /expired/i.test(message)
        ? 'Your temporary password has expired; ask your organiser to invite you again.'
        : 'Incorrect e-mail address or password.';
    case 'UserNotFoundException':
      return 'Incorrect e-mail address or password.';
    case 'PasswordResetRequiredException':
      return 'Your password must be reset; ask your organiser.';
    case 'UserNotConfirmedException':
      return 'Your account is not confirmed yet; ask your organiser.';
    case 'InvalidPasswordException':
      if (step === 'sign-in') return 'Incorrect e-mail address or password.';
      return `That password is not allowed: ${message.replace(/^Password does not conform to policy: /, '')}`;
    case 'CodeMismatchException':
      return 'That code is not right; enter the current code from your authenticator app.';
    case 'ExpiredCodeException':
      return 'That code has expired; enter the current one.';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return 'Too many attempts; wait a minute and try again.';
    case 'TypeError':
      return 'Cannot reach the sign-in service; check your connection and try again.';
    default:
      return `Sign-in failed: ${message}`;
  }
}
