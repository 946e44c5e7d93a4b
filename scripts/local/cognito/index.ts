/**
 * A local Cognito for the local stack and integration tests: cognito-local, in-process, and the
 * participant pool the League provisions in it. See README.md.
 */
export type { LocalCognito, LocalCognitoMessage } from './local-cognito.js';
export { LocalCognitoOptions, startLocalCognito } from './local-cognito.js';
export type { Participant, ParticipantGroup, ParticipantPool, SignInTokens } from './participant-pool.js';
export {
  createParticipant,
  PARTICIPANTS_GROUP,
  ParticipantPoolOptions,
  poolIssuer,
  provisionParticipantPool,
  signIn,
  TEAM_ADMINS_GROUP,
  TEAM_TAG,
} from './participant-pool.js';
