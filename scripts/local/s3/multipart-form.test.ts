import { describe, expect, it } from 'vitest';
import { type FormProgress, FormScanner, formBoundary, PRE_FILE_LIMIT } from './multipart-form.js';

/** A body as undici (Node's fetch) writes it, and its boundary. */
async function encode(form: FormData): Promise<{ body: Buffer; boundary: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const boundary = formBoundary(request.headers.get('content-type') ?? undefined);
  if (boundary === undefined) throw new Error('no boundary');
  return { body: Buffer.from(await request.arrayBuffer()), boundary };
}

/** Feeds `body` in chunks of `size` bytes; the progress after each, and at the end. */
function scan(body: Buffer, boundary: string, size: number): FormProgress[] {
  const scanner = new FormScanner(boundary);
  const seen: FormProgress[] = [];
  for (let at = 0; at < body.length; at += size) seen.push(scanner.push(body.subarray(at, at + size)));
  seen.push(scanner.end());
  return seen;
}

function form(fields: Record<string, string>, file?: string): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  if (file !== undefined) data.append('file', new Blob([file]), 'data.jsonl');
  return data;
}

describe('formBoundary', () => {
  it('reads the boundary of multipart/form-data only', () => {
    expect(formBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(formBoundary('Multipart/Form-Data; charset=utf-8; boundary="a; b"')).toBe('a; b');
    expect(formBoundary('multipart/mixed; boundary=abc')).toBeUndefined();
    expect(formBoundary('application/x-www-form-urlencoded')).toBeUndefined();
    expect(formBoundary('multipart/form-data')).toBeUndefined();
    expect(formBoundary(undefined)).toBeUndefined();
  });
});

describe('FormScanner', () => {
  it('collects the fields before the file and counts the file, however the body is split', async () => {
    const content = `${'{"id":"q1"}\n'.repeat(500)}\r\n--almost a boundary\r\n`;
    const { body, boundary } = await encode(
      form(
        { key: 'uploads/a.jsonl', 'Content-Type': 'application/x-ndjson', note: 'héllo "quoted"' },
        content,
      ),
    );
    for (const size of [1, 3, 64, 1000, body.length]) {
      const last = scan(body, boundary, size).at(-1);
      expect(last).toEqual({
        phase: 'file',
        fields: [
          { name: 'key', value: 'uploads/a.jsonl' },
          { name: 'Content-Type', value: 'application/x-ndjson' },
          { name: 'note', value: 'héllo "quoted"' },
        ],
        fileBytes: Buffer.byteLength(content),
        fileEnded: true,
      });
    }
  });

  it('counts the file as it streams, never more than it has seen', async () => {
    const content = 'x'.repeat(10_000);
    const { body, boundary } = await encode(form({ key: 'k' }, content));
    const counts = scan(body, boundary, 1000).flatMap((progress) =>
      progress.phase === 'file' ? [progress.fileBytes] : [],
    );
    expect(counts.length).toBeGreaterThan(5);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(10_000);
    // Before the last chunk, all but a delimiter's length of what arrived is counted.
    expect(counts.at(-3)).toBeGreaterThan(8000);
  });

  it('counts an empty file', async () => {
    const { body, boundary } = await encode(form({ key: 'k' }, ''));
    expect(scan(body, boundary, 5).at(-1)).toMatchObject({ phase: 'file', fileBytes: 0, fileEnded: true });
  });

  it('ignores what comes after the file, as S3 does', async () => {
    const data = form({ key: 'k' }, 'abc');
    data.append('late', 'ignored');
    const { body, boundary } = await encode(data);
    expect(scan(body, boundary, 7).at(-1)).toEqual({
      phase: 'file',
      fields: [{ name: 'key', value: 'k' }],
      fileBytes: 3,
      fileEnded: true,
    });
  });

  it('reports a form without a file part', async () => {
    const { body, boundary } = await encode(form({ key: 'k' }));
    expect(scan(body, boundary, 4).at(-1)).toEqual({
      phase: 'no-file',
      fields: [{ name: 'key', value: 'k' }],
    });
  });

  it('reports a body cut short inside the file, and one that is not multipart at all', async () => {
    const { body, boundary } = await encode(form({ key: 'k' }, 'abcdef'));
    expect(scan(body.subarray(0, body.length - 20), boundary, 8).at(-1)).toEqual({ phase: 'malformed' });
    expect(scan(Buffer.from('key=k&file=abc'), boundary, 8).at(-1)).toEqual({ phase: 'malformed' });
  });

  it('refuses fields before the file over 20 KB, without waiting for the file', async () => {
    const { body, boundary } = await encode(form({ key: 'k', padding: 'p'.repeat(PRE_FILE_LIMIT) }, 'abc'));
    const seen = scan(body, boundary, 1024);
    expect(seen.find((progress) => progress.phase !== 'fields')).toEqual({ phase: 'too-long' });
    expect(seen.findIndex((progress) => progress.phase === 'too-long')).toBeLessThanOrEqual(21);

    const { body: small, boundary: smallBoundary } = await encode(
      form({ key: 'k', padding: 'p'.repeat(PRE_FILE_LIMIT - 400) }, 'abc'),
    );
    expect(scan(small, smallBoundary, 1024).at(-1)).toMatchObject({ phase: 'file', fileBytes: 3 });
  });
});
