import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { Unauthorized } from './unauthorized.js';

/** Who is calling the Participant API: the subject of a Cognito ID token of the team's pool. */
export interface Caller {
  /** Cognito's stable user id. */
  readonly sub: string;
  readonly email?: string;
  /** `participants`, `team-admins`: the `cognito:groups` claim, empty when the user is in none. */
  readonly groups: readonly string[];
}

/** The claims of a verified ID token that the League reads (JSON types, as signed). */
const TokenClaims = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  'cognito:groups': z.array(z.string()).optional(),
});

/** Reads the caller from the payload of a verified token. */
export function callerFromClaims(payload: unknown): Caller {
  const claims = TokenClaims.safeParse(payload);
  if (!claims.success) throw new Unauthorized('the token does not name its subject', 'missing-claims');
  const { sub, email, 'cognito:groups': groups = [] } = claims.data;
  return { sub, ...(email ? { email } : {}), groups };
}

/**
 * The claims as API Gateway's Cognito authorizer hands them over: every value a string, a list
 * flattened to one (`a,b` from a REST API, `[a b]` from an HTTP API's JWT authorizer). An array is
 * taken as it is, for a gateway that passes claims unflattened.
 */
const AuthorizerClaims = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  'cognito:groups': z.union([z.array(z.string()), z.string()]).optional(),
});

/**
 * The caller of a request that API Gateway's Cognito authorizer let through, from
 * `requestContext.authorizer.claims`. The authorizer verified the token; this only reads it. No
 * claims means the method has no authorizer, which is a deployment mistake: refused, never
 * treated as anonymous.
 */
export function callerFromApiGatewayEvent(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const claims = AuthorizerClaims.safeParse(event.requestContext?.authorizer?.claims);
  if (!claims.success) throw new Unauthorized('the request carries no signed-in caller', 'missing-claims');
  const { sub, email, 'cognito:groups': groups } = claims.data;
  return { sub, ...(email ? { email } : {}), groups: groupList(groups) };
}

/** What API Gateway's REST Cognito authorizer would put in `requestContext.authorizer.claims`. */
export function apiGatewayClaims(caller: Caller): Record<string, string> {
  return {
    sub: caller.sub,
    ...(caller.email ? { email: caller.email } : {}),
    ...(caller.groups.length > 0 ? { 'cognito:groups': caller.groups.join(',') } : {}),
  };
}

/** Cognito group names hold no whitespace; the League's hold no commas either. */
function groupList(groups: string | readonly string[] | undefined): string[] {
  if (groups === undefined) return [];
  if (typeof groups !== 'string') return [...groups];
  return groups
    .replace(/^\s*\[|\]\s*$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group !== '');
}
