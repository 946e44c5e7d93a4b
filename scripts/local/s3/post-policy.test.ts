import { describe, expect, it } from 'vitest';
import {
  checkFinalSize,
  checkPostPolicy,
  checkSizeSoFar,
  MAX_POST_SIZE,
  type PostPolicy,
  parsePostPolicy,
} from './post-policy.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function encodePolicy(document: unknown): string {
  return Buffer.from(JSON.stringify(document)).toString('base64');
}

function policyOf(conditions: unknown[], expiration = '2026-03-01T12:05:00Z'): PostPolicy {
  const policy = parsePostPolicy(encodePolicy({ expiration, conditions }));
  if ('status' in policy) throw new Error(policy.message);
  return policy;
}

const fields = (entries: Record<string, string>) =>
  Object.entries(entries).map(([name, value]) => ({ name, value }));

const SIGNING = {
  'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
  'X-Amz-Credential': 'local/20260301/us-east-1/s3/aws4_request',
  'X-Amz-Date': '20260301T120000Z',
  'X-Amz-Signature': 'abc',
  Policy: 'ignored here',
};

describe('parsePostPolicy', () => {
  it('reads both forms of condition and the size range', () => {
    const policy = policyOf([
      { bucket: 'team-uploads' },
      ['eq', '$Content-Type', 'application/x-ndjson'],
      ['starts-with', '$key', 'uploads/'],
      ['content-length-range', 1, '1048576'],
    ]);
    expect(policy.expiration).toEqual(new Date('2026-03-01T12:05:00Z'));
    expect(policy.size).toEqual({ min: 1, max: 1_048_576 });
    expect(policy.conditions.map((condition) => condition.text)).toEqual([
      '["eq", "$bucket", "team-uploads"]',
      '["eq", "$Content-Type", "application/x-ndjson"]',
      '["starts-with", "$key", "uploads/"]',
    ]);
  });

  it('bounds the size by S3’s 5 GB without a range, and narrows it with several', () => {
    expect(policyOf([]).size).toEqual({ min: 0, max: MAX_POST_SIZE });
    expect(
      policyOf([
        ['content-length-range', 10, 100],
        ['content-length-range', 0, 50],
      ]).size,
    ).toEqual({ min: 10, max: 50 });
  });

  it('refuses a policy S3 could not read with 400 InvalidPolicyDocument', () => {
    const invalid = (encoded: string) => {
      const policy = parsePostPolicy(encoded);
      return 'status' in policy ? `${policy.status} ${policy.code}: ${policy.message}` : 'valid';
    };
    expect(invalid('not base64 json')).toBe('400 InvalidPolicyDocument: Invalid Policy: Invalid JSON.');
    expect(invalid(encodePolicy({ conditions: [] }))).toMatch(/missing expiration/);
    expect(invalid(encodePolicy({ expiration: 'tomorrow', conditions: [] }))).toMatch(/'expiration'/);
    expect(invalid(encodePolicy({ expiration: NOW, conditions: [['matches', '$key', 'x']] }))).toMatch(
      /Invalid Condition/,
    );
    expect(invalid(encodePolicy({ expiration: NOW, conditions: [['eq', 'key', 'x']] }))).toMatch(
      /Invalid Condition/,
    );
    expect(invalid(encodePolicy({ expiration: NOW, conditions: [['content-length-range', -1, 5]] }))).toMatch(
      /Invalid Condition/,
    );
  });
});

describe('checkPostPolicy', () => {
  const policy = policyOf([
    { bucket: 'team-uploads' },
    ['starts-with', '$key', 'uploads/abc/'],
    { 'Content-Type': 'application/x-ndjson' },
    ['starts-with', '$x-amz-meta-team', ''],
  ]);
  const valid = {
    ...SIGNING,
    key: 'uploads/abc/data.jsonl',
    'Content-Type': 'application/x-ndjson',
    'x-amz-meta-team': 'otters',
  };
  const check = (entries: Record<string, string>, bucket = 'team-uploads', now = NOW) =>
    checkPostPolicy(policy, fields(entries), bucket, now);

  it('accepts a form that meets every condition, field names in any case', () => {
    expect(check(valid)).toBeUndefined();
    const { 'Content-Type': contentType, ...rest } = valid;
    expect(check({ ...rest, 'CONTENT-TYPE': contentType, 'x-ignore-note': 'free' })).toBeUndefined();
  });

  it('refuses an expired policy', () => {
    expect(check(valid, 'team-uploads', new Date('2026-03-01T12:05:00Z'))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
      detail: {},
    });
  });

  it('refuses a condition that does not hold, quoting it as S3 does', () => {
    const failed = (entries: Record<string, string>, bucket?: string) => check(entries, bucket)?.message;
    expect(failed({ ...valid, key: 'uploads/xyz/data.jsonl' })).toBe(
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/abc/"]',
    );
    expect(failed({ ...valid, 'Content-Type': 'text/plain' })).toBe(
      'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "application/x-ndjson"]',
    );
    expect(failed(valid, 'other-bucket')).toBe(
      'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "team-uploads"]',
    );
    // A condition on a field the form lacks fails, even `starts-with ""`.
    const { 'x-amz-meta-team': _, ...withoutTeam } = valid;
    expect(failed(withoutTeam)).toBe(
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$x-amz-meta-team", ""]',
    );
  });

  it('refuses a field no condition covers', () => {
    expect(check({ ...valid, 'x-amz-meta-extra': 'sneaky' })).toMatchObject({
      status: 403,
      message: 'Invalid according to Policy: Extra input fields: x-amz-meta-extra',
    });
  });

  it('takes each of several Content-Types against a starts-with', () => {
    const images = policyOf([['starts-with', '$Content-Type', 'image/'], { key: 'k' }]);
    expect(
      checkPostPolicy(images, fields({ key: 'k', 'Content-Type': 'image/png, image/gif' }), 'b', NOW),
    ).toBe(undefined);
    expect(
      checkPostPolicy(images, fields({ key: 'k', 'Content-Type': 'image/png, text/html' }), 'b', NOW)?.code,
    ).toBe('AccessDenied');
  });
});

describe('size checks', () => {
  const size = { min: 2, max: 10 };

  it('refuses a file over the maximum as soon as it is over', () => {
    expect(checkSizeSoFar(size, 10)).toBeUndefined();
    expect(checkSizeSoFar(size, 11)).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(checkSizeSoFar(size, 1)).toBeUndefined();
  });

  it('refuses a whole file outside the range, bounds included in it', () => {
    expect(checkFinalSize(size, 2)).toBeUndefined();
    expect(checkFinalSize(size, 10)).toBeUndefined();
    expect(checkFinalSize(size, 1)).toEqual({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size',
      detail: { ProposedSize: '1', MinSizeAllowed: '2' },
    });
    expect(checkFinalSize(size, 11)).toMatchObject({
      code: 'EntityTooLarge',
      detail: { MaxSizeAllowed: '10' },
    });
  });
});
