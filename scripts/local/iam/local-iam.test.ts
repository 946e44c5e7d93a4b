import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../../participant-account/adapters/judge-api.js';
import { AccessDenied, LocalIam, SignatureRefused } from './local-iam.js';

const ROLE = 'arn:aws:iam::100000000000:role/LlmLeagueSubmitterRole';
const NOW = new Date('2026-11-22T10:00:00Z');

function iam(now = () => NOW) {
  return new LocalIam({
    roleArn: ROLE,
    trust: [
      { account: '200000000001', externalId: 'ext-lynx-0123456789', roleSessionName: 'team-lynx' },
      { account: '200000000002', externalId: 'ext-otters-0123456789', roleSessionName: 'team-otters' },
    ],
    accessKeys: {
      'key-lynx': {
        secretAccessKey: 'secret-lynx',
        account: '200000000001',
        arn: 'arn:aws:iam::200000000001:role/fn',
      },
    },
    now,
  });
}

const assume = (
  local: LocalIam,
  overrides: Partial<{ roleArn: string; roleSessionName: string; externalId: string }> = {},
) =>
  local.assumeRole('key-lynx', {
    roleArn: ROLE,
    roleSessionName: 'team-lynx',
    externalId: 'ext-lynx-0123456789',
    durationSeconds: 900,
    ...overrides,
  });

async function signedRequest(
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  body: string,
  signingDate = NOW,
) {
  const url = new URL('http://127.0.0.1:8080/judge-api/v1/evaluations');
  const signed = await new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Sha256,
  }).sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: 8080,
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    { signingDate },
  );
  const headers = Object.fromEntries(
    Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return { method: 'POST', url, headers, body, service: 'execute-api' };
}

describe('the local STS', () => {
  it('lets a team’s account assume the SubmitterRole with its ExternalId and session name', () => {
    const { credentials, assumedRoleArn } = assume(iam());
    expect(assumedRoleArn).toBe('arn:aws:sts::100000000000:assumed-role/LlmLeagueSubmitterRole/team-lynx');
    expect(credentials.expiration.getTime() - NOW.getTime()).toBe(900_000);
  });

  it('refuses a wrong ExternalId, another team’s session name, another role or an unknown key', () => {
    const local = iam();
    expect(() => assume(local, { externalId: 'ext-otters-0123456789' })).toThrow(AccessDenied);
    expect(() => assume(local, { roleSessionName: 'team-otters' })).toThrow(AccessDenied);
    expect(() => assume(local, { roleArn: 'arn:aws:iam::100000000000:role/Admin' })).toThrow(AccessDenied);
    expect(() =>
      local.assumeRole('key-nobody', {
        roleArn: ROLE,
        roleSessionName: 'team-lynx',
        externalId: 'ext-lynx-0123456789',
      }),
    ).toThrow(AccessDenied);
  });

  it('does not let a session assume the role again (no role chaining into another team)', () => {
    const local = iam();
    const { credentials } = assume(local);
    expect(() =>
      local.assumeRole(credentials.accessKeyId, {
        roleArn: ROLE,
        roleSessionName: 'team-otters',
        externalId: 'ext-otters-0123456789',
      }),
    ).toThrow(AccessDenied);
  });
});

describe('SigV4 verification', () => {
  it('names the session a correctly signed request comes from', async () => {
    const local = iam();
    const { credentials } = assume(local);
    const request = await signedRequest(credentials, '{"submissionId":"s1"}');
    expect(await local.verify(request)).toEqual({
      arn: 'arn:aws:sts::100000000000:assumed-role/LlmLeagueSubmitterRole/team-lynx',
      accessKeyId: credentials.accessKeyId,
    });
  });

  it('refuses a body changed after signing, a missing session token, and no signature at all', async () => {
    const local = iam();
    const { credentials } = assume(local);
    const request = await signedRequest(credentials, '{"submissionId":"s1"}');
    const tampered = '{"submissionId":"s2"}';
    await expect(local.verify({ ...request, body: tampered })).rejects.toThrow(/does not match/);
    // Restating the payload hash too does not help: the hash is part of what was signed.
    const restatedHash = createHash('sha256').update(tampered).digest('hex');
    await expect(
      local.verify({
        ...request,
        body: tampered,
        headers: { ...request.headers, 'x-amz-content-sha256': restatedHash },
      }),
    ).rejects.toThrow(/signature we calculated/);
    const { ['x-amz-security-token']: _token, ...withoutToken } = request.headers;
    await expect(local.verify({ ...request, headers: withoutToken })).rejects.toThrow(SignatureRefused);
    await expect(local.verify({ ...request, headers: { host: '127.0.0.1:8080' } })).rejects.toThrow(
      /Missing Authentication Token/,
    );
  });

  it('refuses a session once it has expired, and a request signed too long ago', async () => {
    let now = NOW;
    const local = iam(() => now);
    const { credentials } = assume(local);
    const stale = await signedRequest(credentials, '{}', new Date(NOW.getTime() - 10 * 60_000));
    await expect(local.verify(stale)).rejects.toThrow(/Signature expired/);
    now = new Date(NOW.getTime() + 901_000);
    const late = await signedRequest(credentials, '{}', now);
    await expect(local.verify(late)).rejects.toThrow(/expired/);
  });
});
