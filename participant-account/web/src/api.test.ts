import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorOf, ParticipantApi, SessionExpired } from './api.js';
import { signInMessage } from './cognito.js';
import { apiEndpoint, parseAppConfig } from './config.js';
import { needsRefresh, sessionFromTokens } from './session.js';

const config = {
  teamId: 'otters',
  teamDisplayName: 'Otters',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  userPoolClientId: 'client',
  apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1/',
};

function apiAnswering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const api = new ParticipantApi({
    idToken: async () => 'token-1',
    url: (path) => apiEndpoint(parseAppConfig(config), path, 'https://app.example/'),
    fetch: async (url, init) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify(body), { status, headers });
    },
  });
  return { api, calls };
}

describe('the Participant API client', () => {
  it('sends the ID token as a bearer token to the API stage', async () => {
    const { api, calls } = apiAnswering(200, { submissions: [], quota: null });
    await api.submissions();
    expect(calls[0]?.url).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/v1/submissions');
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer token-1');
  });

  it('shows the API’s own message for a refusal, with Retry-After for the cap', async () => {
    const { api } = apiAnswering(
      429,
      { error: 'TooManyRequests', message: 'daily submission cap reached (5 a day)' },
      { 'retry-after': '3600' },
    );
    const failure = await api.submit('run-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 429,
      message: 'daily submission cap reached (5 a day)',
      retryAfter: '3600',
    });
  });

  it('treats a 401 as a lapsed session and never shows a 500’s internals', () => {
    expect(apiErrorOf(401, { error: 'Unauthorized', message: 'jwt expired' }, null)).toBeInstanceOf(
      SessionExpired,
    );
    expect(apiErrorOf(500, undefined, null).message).toBe(
      'The service had a problem; try again in a moment.',
    );
  });

  it('refuses an answer that is not what the API promises', async () => {
    const { api } = apiAnswering(200, { nonsense: true });
    await expect(api.questions()).rejects.toMatchObject({ code: 'BadResponse' });
  });
});

describe('the app settings and session', () => {
  it('names the field of config.json that is wrong', () => {
    expect(() => parseAppConfig({ ...config, userPoolClientId: '' })).toThrow(/userPoolClientId/);
  });

  it('resolves a relative API URL against the page, as the local stack serves it', () => {
    const local = parseAppConfig({ ...config, apiUrl: '/api' });
    expect(apiEndpoint(local, 'testing-data/td-1', 'http://127.0.0.1:8081/')).toBe(
      'http://127.0.0.1:8081/api/testing-data/td-1',
    );
  });

  it('renews the ID token a minute before it expires', () => {
    const session = sessionFromTokens('a@example.org', { idToken: 't', expiresInSeconds: 3600 }, 0);
    expect(needsRefresh(session, 3_500_000)).toBe(false);
    expect(needsRefresh(session, 3_540_000)).toBe(true);
  });

  it('words Cognito’s errors as advice, a refused first password always as incorrect', () => {
    const named = (name: string, message = '') => Object.assign(new Error(message), { name });
    expect(signInMessage(named('NotAuthorizedException', 'Incorrect username or password.'), 'sign-in')).toBe(
      'Incorrect e-mail address or password.',
    );
    expect(signInMessage(named('InvalidPasswordException'), 'sign-in')).toBe(
      'Incorrect e-mail address or password.',
    );
    expect(
      signInMessage(
        named('InvalidPasswordException', 'Password does not conform to policy: too short'),
        'other',
      ),
    ).toBe('That password is not allowed: too short');
    expect(
      signInMessage(named('NotAuthorizedException', 'Temporary password has expired'), 'sign-in'),
    ).toMatch(/invite you again/);
  });
});
