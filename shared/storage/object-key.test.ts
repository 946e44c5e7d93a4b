import { describe, expect, it } from 'vitest';
import { checkObjectKey, InvalidObjectKey, objectKey, objectPrefix } from './object-key.js';

/** `..` and `/` as an attacker writes them: literal, percent-encoded (either case), double-encoded. */
const DOTS = ['..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e'];
const SLASHES = ['/', '%2f', '%2F', '%252f', '\\', '%5c', '%5C'];

describe('object keys', () => {
  it('accepts the keys the League builds', () => {
    for (const key of [
      'evaluations/lynx/demo-1.json',
      'judgments/lynx/demo-1/q1~candidate-first.json',
      'data/boards/public/overall.json',
      'uploads/td-AbC_12-x/data.jsonl',
      'question-sets/demo-v1.jsonl',
    ])
      expect(checkObjectKey(key)).toBe(key);
    expect(checkObjectKey('evaluations/', { prefix: true })).toBe('evaluations/');
    expect(checkObjectKey('', { prefix: true })).toBe('');
  });

  it('refuses every traversal segment, literal or encoded, after any decoding', () => {
    for (const dots of DOTS) {
      for (const slash of SLASHES) {
        for (const key of [
          `data/${dots}${slash}${dots}${slash}league-state/question-sets/demo-v1.jsonl`,
          `evaluations/otters/${dots}${slash}lynx${slash}demo-1.json`,
        ]) {
          // The key as it arrives, and as each decode further down would see it.
          let seen = key;
          for (let round = 0; round < 3; round++) {
            expect(() => checkObjectKey(seen), seen).toThrow(InvalidObjectKey);
            seen = decodeURIComponent(seen);
          }
        }
      }
    }
  });

  it('refuses empty segments, a leading slash, backslashes and control or invisible characters', () => {
    const refused: [string, RegExp][] = [
      ['evaluations//lynx.json', /empty segment/],
      ['/evaluations/lynx.json', /leading/],
      ['evaluations/lynx/', /empty segment/],
      ['evaluations\\lynx.json', /backslash/],
      ['evaluations/ly\u0000nx.json', /U\+0000/],
      ['evaluations/ly\nnx.json', /U\+000A/],
      ['evaluations/ly\u007fnx.json', /U\+007F/],
      ['evaluations/ly\u202enx.json', /U\+202E/],
      ['evaluations/ly\u200bnx.json', /U\+200B/],
      ['evaluations/lynx%00.json', /percent/],
      [`${'a'.repeat(1025)}`, /longer than 1024 bytes/],
    ];
    for (const [key, reason] of refused) expect(() => checkObjectKey(key), key).toThrow(reason);
  });

  it('says which key and why, as a 400 the HTTP error mapper can show', () => {
    expect.assertions(3);
    try {
      checkObjectKey('evaluations/../lynx/demo-1.json');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidObjectKey);
      expect((error as InvalidObjectKey).status).toBe(400);
      expect((error as Error).message).toBe(
        'not a valid object key (a ".." segment): "evaluations/../lynx/demo-1.json"',
      );
    }
  });

  it('keeps each caller-given segment one segment: a "/" inside it is refused', () => {
    expect(objectKey('evaluations', 'lynx', 'demo-1.json')).toBe('evaluations/lynx/demo-1.json');
    expect(objectPrefix('judgments', 'lynx', 'demo-1')).toBe('judgments/lynx/demo-1/');
    expect(() => objectKey('evaluations', 'otters', '../lynx/demo-1.json')).toThrow(InvalidObjectKey);
    expect(() => objectKey('evaluations', 'otters', 'x/y.json')).toThrow(/a "\/" inside/);
    expect(() => objectKey('evaluations', '', 'x.json')).toThrow(/empty segment/);
  });
});
