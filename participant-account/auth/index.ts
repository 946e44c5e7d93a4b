/**
 * Who is calling the Participant API: verifying a team pool's ID tokens (the local gateway, and
 * defence in depth) and reading the claims API Gateway's Cognito authorizer passes on AWS.
 */
export { apiGatewayClaims, type Caller, callerFromApiGatewayEvent, callerFromClaims } from './caller.js';
export { isLoopbackHost, LoopbackHttpFetcher } from './loopback-fetcher.js';
export { Unauthorized, type UnauthorizedReason } from './unauthorized.js';
export { createTokenVerifier, type TokenVerifier, TokenVerifierOptions } from './verify-token.js';
