import { Invalid } from '../lambda/errors.js';

/**
 * Object keys, built and checked in one place. Every key the League reads or writes goes through
 * {@link checkObjectKey} (the S3 adapter calls it on every operation, the local gateway through that
 * adapter), and the key builders of both accounts assemble keys with {@link objectKey}. A key is
 * `/`-separated segments; none may be empty, `.` or `..`, hold a backslash, a control character, or
 * a `%` (so no percent-encoded form of any of these survives a decode further down: S3 itself treats
 * keys as opaque strings, but a file-backed store, a CDN or a log viewer may not).
 */
export class InvalidObjectKey extends Invalid {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`not a valid object key (${reason}): ${JSON.stringify(key)}`);
  }
}

/** S3's limit, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;
// C0 and C1 controls and DEL; the format characters that reorder or hide text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\\%]/u;

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'an empty segment';
  if (segment === '.' || segment === '..') return `a "${segment}" segment`;
  const bad = FORBIDDEN_CHARACTER.exec(segment);
  if (bad) {
    const char = bad[0];
    if (char === '%') return 'a "%" (percent-encoding is not allowed in keys)';
    if (char === '\\') return 'a backslash';
    return `the control or invisible character U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/**
 * Returns `key` when it is a safe object key, else throws {@link InvalidObjectKey} saying why.
 * With `prefix: true` (a List prefix), a trailing `/` is allowed, and the empty prefix.
 */
export function checkObjectKey(key: string, options: { prefix?: boolean } = {}): string {
  if (options.prefix && key === '') return key;
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES)
    throw new InvalidObjectKey(key, `longer than ${MAX_KEY_BYTES} bytes`);
  const body = options.prefix && key.endsWith('/') ? key.slice(0, -1) : key;
  if (body.startsWith('/')) throw new InvalidObjectKey(key, 'a leading "/"');
  for (const segment of body.split('/')) {
    const problem = segmentProblem(segment);
    if (problem) throw new InvalidObjectKey(key, problem);
  }
  return key;
}

/**
 * Builds a key from its segments, each checked on its own: a segment can never smuggle in a `/`,
 * so a caller's id stays one segment. `objectKey('evaluations', team, `${id}.json`)`.
 */
export function objectKey(...segments: readonly string[]): string {
  for (const segment of segments) {
    if (segment.includes('/'))
      throw new InvalidObjectKey(segments.join('/'), `a "/" inside ${JSON.stringify(segment)}`);
  }
  return checkObjectKey(segments.join('/'));
}

/** A List prefix: the segments, then a trailing `/`. */
export function objectPrefix(...segments: readonly string[]): string {
  return `${objectKey(...segments)}/`;
}
