import { describe, expect, it } from 'vitest';
import { precheckFile, s3ErrorMessage, uploadContentType, uploadForm } from './upload.js';

describe('the upload', () => {
  it('asks for a JSONL content type for .jsonl files, which browsers leave untyped', () => {
    expect(uploadContentType('questions.JSONL')).toBe('application/x-ndjson');
    expect(uploadContentType('data.ndjson')).toBe('application/x-ndjson');
    expect(uploadContentType('data.json')).toBe('application/json');
    expect(uploadContentType('notes.txt')).toBe('text/plain');
  });

  it('refuses an empty file or one that is not JSONL before sending anything', () => {
    expect(precheckFile({ name: 'a.jsonl', size: 0 })).toMatch(/is empty/);
    expect(precheckFile({ name: 'model.safetensors', size: 10 })).toMatch(/not a JSONL file/);
    expect(precheckFile({ name: 'a.jsonl', size: 10 })).toBeUndefined();
  });

  it('puts the presigned fields first and the file last, as S3 requires', () => {
    const form = uploadForm(
      {
        testingDataId: 'td-x',
        url: 'https://bucket.s3.amazonaws.com/',
        fields: { key: 'uploads/td-x/data.jsonl', Policy: 'p', 'Content-Type': 'application/x-ndjson' },
        expiresInSeconds: 300,
        maxBytes: 100,
      },
      new Blob(['{}']),
      'a.jsonl',
    );
    expect(Array.from(form as unknown as Iterable<[string, unknown]>, ([name]) => name)).toEqual([
      'key',
      'Policy',
      'Content-Type',
      'file',
    ]);
  });

  it('turns S3 error XML into a sentence', () => {
    expect(s3ErrorMessage(400, '<Error><Code>EntityTooLarge</Code><Message>big</Message></Error>')).toBe(
      'The file is larger than the upload limit.',
    );
    expect(
      s3ErrorMessage(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'),
    ).toMatch(/expired/);
    expect(
      s3ErrorMessage(403, '<Error><Code>AccessDenied</Code><Message>Policy mismatch</Message></Error>'),
    ).toBe('The upload was refused (AccessDenied): Policy mismatch');
    expect(s3ErrorMessage(502, '')).toBe('The upload failed (HTTP 502).');
  });
});
