import { describe, expect, it } from 'vitest';
import { bareEtag, checkWriteConditions, frontAction } from './conditional-writes.js';

const object = { bucket: 'league-state', key: 'boards/main board.json' };

describe('frontAction', () => {
  it('locks object reads shared and object writes exclusive', () => {
    const path = '/league-state/boards/main%20board.json';
    expect(frontAction('GET', path, {})).toEqual({ kind: 'read', object });
    expect(frontAction('HEAD', `${path}?versionId=1`, {})).toEqual({ kind: 'read', object });
    expect(frontAction('PUT', `${path}?x-id=PutObject`, {})).toEqual({ kind: 'write', object });
    expect(frontAction('DELETE', path, {})).toEqual({ kind: 'write', object });
  });

  it('checks conditions on PutObject, CopyObject and CompleteMultipartUpload only', () => {
    const path = '/league-state/boards/main%20board.json';
    const conditions = { ifNoneMatch: true, ifMatch: undefined };
    expect(frontAction('PUT', path, { 'if-none-match': '*' })).toEqual({ kind: 'write', object, conditions });
    expect(frontAction('POST', `${path}?uploadId=u1`, { 'if-none-match': '*' })).toEqual({
      kind: 'write',
      object,
      conditions,
    });
    // An UploadPart or a tagging PUT writes no object: no condition to check.
    expect(frontAction('PUT', `${path}?partNumber=1&uploadId=u1`, { 'if-none-match': '*' })).toEqual({
      kind: 'write',
      object,
    });
    expect(frontAction('POST', `${path}?uploads`, {})).toEqual({ kind: 'pass' });
  });

  it('passes bucket and service requests through unlocked', () => {
    expect(frontAction('GET', '/', {})).toEqual({ kind: 'pass' });
    expect(frontAction('POST', '/league-uploads', {})).toEqual({ kind: 'pass' });
    expect(frontAction('PUT', '/league-state?cors', {})).toEqual({ kind: 'pass' });
    expect(frontAction('GET', '/league-state/bad%E0%A4%A', {})).toEqual({ kind: 'pass' });
  });

  it('parses If-Match lists and wildcards', () => {
    expect(frontAction('PUT', '/b/k', { 'if-match': '"a1", W/"b2"' })).toMatchObject({
      conditions: { ifNoneMatch: false, ifMatch: ['a1', 'b2'] },
    });
    expect(frontAction('PUT', '/b/k', { 'if-match': '*' })).toMatchObject({ conditions: { ifMatch: '*' } });
  });

  it('refuses what S3 does not implement', () => {
    expect(frontAction('PUT', '/b/k', { 'if-none-match': '"a1"' })).toMatchObject({
      kind: 'reject',
      error: { status: 501, code: 'NotImplemented' },
    });
    expect(frontAction('DELETE', '/b/k', { 'if-match': '"a1"' })).toMatchObject({
      kind: 'reject',
      error: { status: 501 },
    });
  });
});

describe('checkWriteConditions', () => {
  const ifMatch = (etags: string[] | '*') => ({ ifNoneMatch: false, ifMatch: etags });
  const ifNoneMatch = { ifNoneMatch: true, ifMatch: undefined };

  it('lets If-None-Match: * create a missing object only', () => {
    expect(checkWriteConditions(ifNoneMatch, undefined)).toBeUndefined();
    expect(checkWriteConditions(ifNoneMatch, '"a1"')).toMatchObject({
      status: 412,
      code: 'PreconditionFailed',
      detail: { Condition: 'If-None-Match' },
    });
  });

  it('lets If-Match write only over the ETag named', () => {
    expect(checkWriteConditions(ifMatch(['a1']), '"a1"')).toBeUndefined();
    expect(checkWriteConditions(ifMatch(['zz', 'a1']), '"a1"')).toBeUndefined();
    expect(checkWriteConditions(ifMatch(['b2']), '"a1"')).toMatchObject({
      status: 412,
      detail: { Condition: 'If-Match' },
    });
    expect(checkWriteConditions(ifMatch(['a1']), undefined)).toMatchObject({ status: 412 });
    expect(checkWriteConditions(ifMatch('*'), '"a1"')).toBeUndefined();
    expect(checkWriteConditions(ifMatch('*'), undefined)).toMatchObject({ status: 412 });
  });
});

describe('bareEtag', () => {
  it('reads quoted, weak and bare ETags alike', () => {
    expect(['"a1"', 'W/"a1"', ' a1 '].map(bareEtag)).toEqual(['a1', 'a1', 'a1']);
  });
});
