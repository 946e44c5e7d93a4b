import { describe, expect, it } from 'vitest';
import { md5OfBody, md5OfMessageAttributes } from './digest.js';

describe('md5OfMessageAttributes', () => {
  it.each([
    ['timestamp', '1493147359900', '235c5c510d26fb653d073faed50ae77c'],
    ['timestamp', '1493147359901', '994258b45346a2cc3f9cbb611aa7af30'],
    ['SOME_Valid.attribute-Name', '1493147359900', '36655e7e9d7c0e8479fa3f3f42247ae7'],
  ])('digests a Number attribute %s=%s as AWS does', (name, value, digest) => {
    expect(md5OfMessageAttributes({ [name]: { DataType: 'Number', StringValue: value } })).toBe(digest);
  });

  it('digests attributes in order of name, whatever order they come in', () => {
    const a = { DataType: 'String', StringValue: 'x' };
    const b = { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2) };
    expect(md5OfMessageAttributes({ a, b })).toBe(md5OfMessageAttributes({ b, a }));
  });

  it('tells a binary value from a string with the same bytes', () => {
    expect(md5OfMessageAttributes({ v: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } })).not.toBe(
      md5OfMessageAttributes({ v: { DataType: 'Binary', StringValue: 'hi' } }),
    );
  });

  it('is undefined without attributes, as SQS then omits the field', () => {
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});

describe('md5OfBody', () => {
  it('digests the UTF-8 bytes of the body', () => {
    expect(md5OfBody('derp')).toBe('58fd9edd83341c29f1aebba81c31e257');
    // The UTF-8 encoding (c3 a9), not Latin-1 (e9, whose digest is 3406877694691ddd1dfb0aca54681407).
    expect(md5OfBody('é')).toBe('66ddcd97cfdeabb2f6fb8a999b4bc76f');
  });
});
