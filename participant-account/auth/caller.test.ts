import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { apiGatewayClaims, callerFromApiGatewayEvent, callerFromClaims } from './caller.js';
import { Unauthorized } from './unauthorized.js';

const withClaims = (claims: unknown) =>
  ({ requestContext: { authorizer: claims === undefined ? undefined : { claims } } }) as unknown as Pick<
    APIGatewayProxyEvent,
    'requestContext'
  >;

function reasonOf(reading: () => unknown): string {
  try {
    reading();
  } catch (error) {
    if (error instanceof Unauthorized) return `${error.status} ${error.reason}`;
    throw error;
  }
  throw new Error('expected Unauthorized');
}

describe('callerFromApiGatewayEvent', () => {
  it("reads a REST API Cognito authorizer's claims, groups flattened with commas", () => {
    expect(
      callerFromApiGatewayEvent(
        withClaims({
          sub: 'u-1',
          email: 'ada@example.org',
          'cognito:groups': 'participants,team-admins',
          token_use: 'id',
        }),
      ),
    ).toEqual({ sub: 'u-1', email: 'ada@example.org', groups: ['participants', 'team-admins'] });
  });

  it("reads groups flattened as an HTTP API's JWT authorizer does, or not flattened at all", () => {
    expect(
      callerFromApiGatewayEvent(withClaims({ sub: 'u-1', 'cognito:groups': '[participants team-admins]' }))
        .groups,
    ).toEqual(['participants', 'team-admins']);
    expect(
      callerFromApiGatewayEvent(withClaims({ sub: 'u-1', 'cognito:groups': ['participants'] })).groups,
    ).toEqual(['participants']);
  });

  it('gives a caller in no group an empty list, and no email when the token has none', () => {
    expect(callerFromApiGatewayEvent(withClaims({ sub: 'u-1' }))).toEqual({ sub: 'u-1', groups: [] });
  });

  it('refuses a request that reached the handler without an authorizer, as 401', () => {
    expect(reasonOf(() => callerFromApiGatewayEvent(withClaims(undefined)))).toBe('401 missing-claims');
    expect(reasonOf(() => callerFromApiGatewayEvent(withClaims({ email: 'ada@example.org' })))).toBe(
      '401 missing-claims',
    );
  });

  it('reads back what apiGatewayClaims hands a handler (the local gateway)', () => {
    const caller = { sub: 'u-1', email: 'ada@example.org', groups: ['participants', 'team-admins'] };
    expect(apiGatewayClaims(caller)).toEqual({
      sub: 'u-1',
      email: 'ada@example.org',
      'cognito:groups': 'participants,team-admins',
    });
    expect(callerFromApiGatewayEvent(withClaims(apiGatewayClaims(caller)))).toEqual(caller);
  });
});

describe('callerFromClaims', () => {
  it("reads a verified token's subject, e-mail and groups", () => {
    expect(
      callerFromClaims({ sub: 'u-1', email: 'ada@example.org', 'cognito:groups': ['participants'] }),
    ).toEqual({
      sub: 'u-1',
      email: 'ada@example.org',
      groups: ['participants'],
    });
  });

  it('refuses a token without a subject', () => {
    expect(reasonOf(() => callerFromClaims({ email: 'ada@example.org' }))).toBe('401 missing-claims');
  });
});
