import { describe, expect, it } from 'vitest';
import {
  continuationToken,
  type ListedObject,
  type ListRequest,
  listObjectsV2Bucket,
  listPage,
  listResultXml,
  parseListRequest,
} from './list-objects-v2.js';

const listed = (key: string): ListedObject => ({
  key,
  lastModified: new Date('2026-01-02T03:04:05Z'),
  etag: '"d41d8cd98f00b204e9800998ecf8427e"',
  size: 0,
});

function request(query: string, bucket = 'b'): ListRequest {
  const parsed = parseListRequest(bucket, new URLSearchParams(query));
  if ('status' in parsed) throw new Error(parsed.message);
  return parsed;
}

describe('listObjectsV2Bucket', () => {
  it('takes GET /bucket?list-type=2 and nothing else', () => {
    expect(listObjectsV2Bucket('GET', '/league-state?list-type=2&prefix=a')).toBe('league-state');
    expect(listObjectsV2Bucket('GET', '/league-state/?list-type=2')).toBe('league-state');
    expect(listObjectsV2Bucket('GET', '/league-state?prefix=a')).toBeUndefined();
    expect(listObjectsV2Bucket('GET', '/league-state?list-type=2&uploads')).toBeUndefined();
    expect(listObjectsV2Bucket('GET', '/league-state/key?list-type=2')).toBeUndefined();
    expect(listObjectsV2Bucket('HEAD', '/league-state?list-type=2')).toBeUndefined();
  });
});

describe('parseListRequest', () => {
  it('caps a page at 1,000 and resumes after the token’s key', () => {
    const token = continuationToken('b', 'k/0999');
    expect(request(`max-keys=5000&continuation-token=${token}`)).toMatchObject({
      maxKeys: 1000,
      after: 'k/0999',
    });
    expect(request('start-after=k/5')).toMatchObject({ maxKeys: 1000, after: 'k/5', startAfter: 'k/5' });
  });

  it('refuses a bad max-keys, a foreign or garbled token and an unknown encoding', () => {
    for (const query of [
      'max-keys=-1',
      'max-keys=ten',
      `continuation-token=${continuationToken('other', 'k')}`,
      'continuation-token=garbage',
      'encoding-type=base64',
    ]) {
      expect(parseListRequest('b', new URLSearchParams(query))).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
      });
    }
  });
});

describe('listPage', () => {
  const objects = ['p/b', 'p/a/2', 'p/a-1', 'p/a', 'p/a/1', 'q/x', 'p/é', 'p/z'].map(listed);

  it('orders keys by UTF-8 bytes and pages after the resume point', () => {
    const first = listPage(request('prefix=p/&max-keys=3'), objects);
    expect(first.contents.map((o) => o.key)).toEqual(['p/a', 'p/a-1', 'p/a/1']);
    expect(first).toMatchObject({ isTruncated: true, resumeAfter: 'p/a/1' });
    const rest = listPage(
      request(`prefix=p/&continuation-token=${continuationToken('b', 'p/a/1')}`),
      objects,
    );
    expect(rest.contents.map((o) => o.key)).toEqual(['p/a/2', 'p/b', 'p/z', 'p/é']);
    expect(rest).toMatchObject({ isTruncated: false, resumeAfter: undefined });
  });

  it('rolls keys up into common prefixes that count toward the page and are not repeated', () => {
    const first = listPage(request('prefix=p/&delimiter=/&max-keys=3'), objects);
    expect(first.contents.map((o) => o.key)).toEqual(['p/a', 'p/a-1']);
    expect(first.commonPrefixes).toEqual(['p/a/']);
    expect(first.resumeAfter).toBe('p/a/');
    const rest = listPage(request(`prefix=p/&delimiter=/&start-after=p/a/`), objects);
    expect(rest.contents.map((o) => o.key)).toEqual(['p/b', 'p/z', 'p/é']);
    expect(rest.commonPrefixes).toEqual([]);
  });

  it('returns nothing and no more for max-keys=0', () => {
    expect(listPage(request('max-keys=0'), objects)).toEqual({
      contents: [],
      commonPrefixes: [],
      isTruncated: false,
      resumeAfter: undefined,
    });
  });
});

describe('listResultXml', () => {
  it('writes S3’s ListBucketResult, escaped', () => {
    const listing = request('prefix=a%26b/&max-keys=1');
    const xml = listResultXml('b', listing, listPage(listing, [listed('a&b/1'), listed('a&b/2')]));
    expect(xml).toContain('<Name>b</Name><Prefix>a&#38;b/</Prefix>');
    expect(xml).toContain('<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>');
    expect(xml).toContain(
      '<Contents><Key>a&#38;b/1</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified>' +
        '<ETag>&#34;d41d8cd98f00b204e9800998ecf8427e&#34;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>',
    );
    expect(xml).toContain(
      `<NextContinuationToken>${continuationToken('b', 'a&b/1')}</NextContinuationToken>`,
    );
  });
});
