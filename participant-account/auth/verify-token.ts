import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidClaimError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import * as z from 'zod';
import { type Caller, callerFromClaims } from './caller.js';
import { isLoopbackHost, LoopbackHttpFetcher } from './loopback-fetcher.js';
import { Unauthorized } from './unauthorized.js';

/** A URL that is HTTPS, or plain HTTP to this machine (the local stack). */
const TrustedUrl = z.url().refine((text) => {
  const url = new URL(text);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}, 'must be an https URL (http only for localhost / 127.0.0.1 / [::1])');

export const TokenVerifierOptions = z
  .strictObject({
    /** The team's pool, `<region>_<id>` (cognito-local's are `local_<id>`). */
    userPoolId: z.string().regex(/^[\w-]+_[0-9A-Za-z]+$/, 'a Cognito user pool id'),
    /** The web app's client: an ID token must be issued to it (`aud`). */
    clientId: z.string().min(1),
    /** Local stack only: the issuer of cognito-local's tokens, `http://127.0.0.1:PORT/<userPoolId>`. */
    issuer: TrustedUrl.optional(),
    /** Local stack only: default `<issuer>/.well-known/jwks.json`. */
    jwksUri: TrustedUrl.optional(),
  })
  .superRefine((options, context) => {
    if (options.jwksUri !== undefined && options.issuer === undefined) {
      context.addIssue({ code: 'custom', path: ['jwksUri'], message: 'a jwksUri goes with an issuer' });
    }
    if (
      options.issuer !== undefined &&
      !options.issuer.replace(/\/+$/, '').endsWith(`/${options.userPoolId}`)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['issuer'],
        message: 'the issuer must end with the user pool id',
      });
    }
  });
export type TokenVerifierOptions = z.input<typeof TokenVerifierOptions>;

export interface TokenVerifier {
  /**
   * The caller named by an `Authorization: Bearer <ID token>` header, or `Unauthorized` (401) with
   * the reason. A failure to fetch the pool's keys is not the caller's fault: it is rethrown (500).
   */
  verify(authorizationHeader: string | undefined): Promise<Caller>;
}

/**
 * Verifies the ID tokens of a team's user pool, as the Participant API's Cognito authorizer does on
 * AWS. The local gateway relies on it; a handler may use it for defence in depth.
 *
 * ID tokens, not access tokens: the web app sends the ID token, which is what an API Gateway
 * Cognito authorizer accepts on a method without OAuth scopes, and it carries the claims the
 * handlers read (`email`, `cognito:groups`). An access token, even from the same pool and client,
 * is refused (`wrong-token-use`).
 *
 * On AWS (no `issuer`): aws-jwt-verify's `CognitoJwtVerifier`, issuer and JWKS derived from the
 * pool id. Locally (`issuer` given): its `JwtRsaVerifier` with cognito-local's issuer and the same
 * Cognito checks (`token_use`, `aud`), fetching the JWKS over plain HTTP from a loopback host only.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const config = TokenVerifierOptions.parse(options);
  const verifyJwt =
    config.issuer === undefined ? cognitoVerifier(config) : localVerifier(config, config.issuer);
  return {
    async verify(authorizationHeader) {
      const jwt = bearerToken(authorizationHeader);
      let payload: JwtPayload;
      try {
        payload = await verifyJwt(jwt);
      } catch (error) {
        throw unauthorizedFor(error) ?? error;
      }
      return callerFromClaims(payload);
    },
  };
}

type VerifyJwt = (jwt: string) => Promise<JwtPayload>;

function cognitoVerifier(config: { userPoolId: string; clientId: string }): VerifyJwt {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    tokenUse: 'id',
  });
  return async (jwt) => {
    try {
      return await verifier.verify(jwt);
    } catch (error) {
      // CognitoJwtVerifier accepts Cognito's regional and global issuer formats, so it looks the
      // token's `iss` up before anything else: an unknown one is a ParameterValidationError (as
      // for a mistake in our own set-up), not a JwtInvalidIssuerError.
      const unknownIssuer =
        error instanceof ParameterValidationError &&
        /^issuer (not configured|must be provided)/.test(error.message);
      throw unknownIssuer ? wrongIssuer() : error;
    }
  };
}

function localVerifier(config: { clientId: string; jwksUri?: string }, issuer: string): VerifyJwt {
  const verifier = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri: config.jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
      // As CognitoJwtVerifier does: the client is checked by Cognito's rule (`aud` of an ID token).
      audience: null,
      customJwtCheck: ({ payload }) =>
        validateCognitoJwtFields(payload, { tokenUse: 'id', clientId: config.clientId }),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: new LoopbackHttpFetcher() }) },
  );
  return (jwt) => verifier.verify(jwt);
}

/** `Bearer <token>`, the scheme in any case (RFC 7235). A bare token is refused, unlike API Gateway. */
function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new Unauthorized('sign in: the request carries no token', 'missing-token');
  }
  const match = /^\s*Bearer +(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new Unauthorized('the Authorization header must be "Bearer <ID token>"', 'malformed-header');
  }
  return match[1];
}

/** The 401 for a token aws-jwt-verify refused; undefined for a failure that is not the caller's. */
function unauthorizedFor(error: unknown): Unauthorized | undefined {
  if (error instanceof JwtExpiredError) return new Unauthorized('the token has expired', 'expired');
  if (error instanceof JwtNotBeforeError) {
    return new Unauthorized('the token is not valid yet', 'not-yet-valid');
  }
  if (error instanceof Unauthorized) return error;
  if (error instanceof JwtInvalidIssuerError) return wrongIssuer();
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError) {
    return new Unauthorized('the token was issued to another app client', 'wrong-client');
  }
  if (error instanceof CognitoJwtInvalidTokenUseError) {
    return new Unauthorized('an ID token is required', 'wrong-token-use');
  }
  if (error instanceof JwtInvalidSignatureError || error instanceof JwtInvalidSignatureAlgorithmError) {
    return new Unauthorized('the token signature is not valid', 'invalid-signature');
  }
  if (
    error instanceof KidNotFoundInJwksError ||
    error instanceof JwtWithoutValidKidError ||
    error instanceof WaitPeriodNotYetEndedJwkError
  ) {
    return new Unauthorized("the token was not signed with this team's user pool keys", 'unknown-key');
  }
  if (error instanceof JwtParseError || error instanceof JwtInvalidClaimError) {
    return new Unauthorized('the token is not a valid JWT', 'malformed-token');
  }
  return undefined;
}

function wrongIssuer(): Unauthorized {
  return new Unauthorized("the token was not issued by this team's user pool", 'wrong-issuer');
}
