import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from '../../leaderboard-account/infra/nag-findings.js';

/** The user pool groups: every member is a participant; team admins also manage the team's users. */
export const PARTICIPANTS_GROUP = 'participants';
export const TEAM_ADMINS_GROUP = 'team-admins';

export interface ParticipantAuthProps {
  readonly teamDisplayName: string;
  /** The web app's address, for the invitation email. */
  readonly webAppUrl: string;
}

/**
 * Who may use the team's web app and Participant API: a Cognito user pool whose accounts only
 * administrators create (no self sign-up), signing in with their email address.
 */
export class ParticipantAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webAppClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: ParticipantAuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      userInvitation: {
        emailSubject: `LLM League: your ${props.teamDisplayName} account`,
        emailBody: `You have been added to ${props.teamDisplayName} in the LLM League. Sign in at ${props.webAppUrl} with {username} and the temporary password {####}; you will then choose your own password.`,
      },
      // The pool holds the team's accounts: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A public client (a browser app cannot keep a secret). The web app signs in with
    // USER_PASSWORD_AUTH: the password goes over TLS to Cognito and nowhere else, and it is the one
    // flow that also runs against the local stack's cognito-local (which has no SRP), so the sign-in
    // the browser tests exercise is the one deployed. SRP stays allowed for other clients.
    this.webAppClient = this.userPool.addClient('WebAppClient', {
      userPoolClientName: 'web-app',
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      // No hosted UI or OAuth flows: the app signs in through the user pool API.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });

    this.userPool.addGroup('ParticipantsGroup', {
      groupName: PARTICIPANTS_GROUP,
      description: 'Team members: upload testing data, run inference, submit results',
      precedence: 10,
    });
    this.userPool.addGroup('TeamAdminsGroup', {
      groupName: TEAM_ADMINS_GROUP,
      description: "Team administrators: also manage the team's users",
      precedence: 0,
    });

    acknowledge(
      this.userPool,
      'AwsSolutions-COG2',
      'MFA is optional (TOTP only, never SMS): accounts are created by administrators for the few members of one team, for the length of an event, and protect testing data and model outputs rather than personal or payment data. Requiring MFA would lock out members without an authenticator app at the event, and the local stack (cognito-local) cannot rehearse a TOTP sign-in. Members, and team admins above all, can enrol a TOTP app; set mfa to REQUIRED for a longer-running league.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      "Essentials feature plan: self sign-up is off (only administrators create accounts), passwords are 12+ characters with all character classes, and TOTP MFA is available. Plus adds threat protection at a per-user price with no free tier, and its adaptive authentication would need tuning for an event where every member signs in from the venue's one IP address; switch featurePlan to PLUS with threat protection for a long-running or exposed league.",
    );
  }
}
