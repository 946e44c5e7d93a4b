import { describe, expect, it } from 'vitest';
import { TestingRecord } from '../../shared/contracts/testing-data.js';
import { checkRecordShape } from './record-shape.js';
import { line, validate } from './test-helpers.js';

/** Validates a file whose line 2 is `record` (as JSON) between two good records. */
async function secondLine(record: Record<string, unknown>) {
  return validate(`${line('first')}\n${JSON.stringify(record)}\n${line('third')}\n`);
}

const INVALID_RECORDS: Array<[string, Record<string, unknown>, string]> = [
  ['a missing id', { prompt: 'p' }, 'id: missing'],
  ['an empty id', { id: '', prompt: 'p' }, 'id: must not be empty'],
  ['a numeric id', { id: 7, prompt: 'p' }, 'id: must be a string, not a number'],
  ['a null id', { id: null, prompt: 'p' }, 'id: must be a string, not null'],
  ['an id with a space', { id: 'q 1', prompt: 'p' }, 'id: must be 1–128 characters of A–Z a–z 0–9 . _ : -'],
  ['an id with a slash', { id: 'q/1', prompt: 'p' }, 'id: must be 1–128 characters of A–Z a–z 0–9 . _ : -'],
  [
    'an id of 129 characters',
    { id: 'x'.repeat(129), prompt: 'p' },
    'id: must be 1–128 characters of A–Z a–z 0–9 . _ : -',
  ],
  [
    'an id with a non-ASCII letter',
    { id: 'é', prompt: 'p' },
    'id: must be 1–128 characters of A–Z a–z 0–9 . _ : -',
  ],
  ['a missing prompt', { id: 'b' }, 'prompt: missing'],
  ['an empty prompt', { id: 'b', prompt: '' }, 'prompt: must not be empty'],
  ['a numeric prompt', { id: 'b', prompt: 1 }, 'prompt: must be a string, not a number'],
  ['an object prompt', { id: 'b', prompt: { text: 'p' } }, 'prompt: must be a string, not an object'],
  ['an array prompt', { id: 'b', prompt: ['p'] }, 'prompt: must be a string, not an array'],
  ['an empty category', { id: 'b', prompt: 'p', category: '' }, 'category: must not be empty when present'],
  ['a null category', { id: 'b', prompt: 'p', category: null }, 'category: must be a string, not null'],
  ['a numeric category', { id: 'b', prompt: 'p', category: 3 }, 'category: must be a string, not a number'],
  [
    'a category of 65 characters',
    { id: 'b', prompt: 'p', category: 'c'.repeat(65) },
    'category: must be at most 64 characters, got 65',
  ],
];

const VALID_RECORDS: Array<[string, Record<string, unknown>]> = [
  ['an id of every allowed character', { id: 'AZaz09._:-', prompt: 'p' }],
  ['an id of 128 characters', { id: 'x'.repeat(128), prompt: 'p' }],
  ['an id of one character', { id: 'x', prompt: 'p' }],
  ['a whitespace prompt', { id: 'b', prompt: ' ' }],
  ['no category', { id: 'b', prompt: 'p' }],
  ['a category of 64 characters', { id: 'b', prompt: 'p', category: 'c'.repeat(64) }],
  ['a category of 64 accented characters', { id: 'b', prompt: 'p', category: 'é'.repeat(64) }],
];

describe('validateTestingData: schema', () => {
  it.each(INVALID_RECORDS)('rejects %s on the line where it is', async (_, record, message) => {
    const report = await secondLine(record);
    expect(report.errors).toEqual([{ line: 2, code: 'E_SCHEMA', message }]);
    expect(report.records).toBe(3);
  });

  it.each(VALID_RECORDS)('accepts %s', async (_, record) => {
    const report = await secondLine(record);
    expect(report.valid).toBe(true);
  });

  it('reports one schema error a line, listing every problem on it', async () => {
    const report = await secondLine({ id: 1, prompt: '', category: '' });
    expect(report.errors).toEqual([
      {
        line: 2,
        code: 'E_SCHEMA',
        message:
          'id: must be a string, not a number; prompt: must not be empty; category: must not be empty when present',
      },
    ]);
  });

  it('counts a category in characters (code points), as the zod contract does', async () => {
    expect((await secondLine({ id: 'b', prompt: 'p', category: '🙂'.repeat(64) })).valid).toBe(true);
    const report = await secondLine({ id: 'b', prompt: 'p', category: '🙂'.repeat(65) });
    expect(report.errors).toEqual([
      { line: 2, code: 'E_SCHEMA', message: 'category: must be at most 64 characters, got 65' },
    ]);
  });

  it('gives the same verdict as the TestingRecord contract on every case', () => {
    const cases = [
      ...INVALID_RECORDS.map(([, record]) => record),
      ...VALID_RECORDS.map(([, record]) => record),
      { id: 'b', prompt: 'p', category: '🙂'.repeat(64) },
      { id: 'b', prompt: 'p', category: '🙂'.repeat(65) },
      { id: 'b', prompt: 'p', category: `${'x'.repeat(63)}🙂` },
      { id: 'b', prompt: 'p', category: '\ud83d'.repeat(64) },
      { id: 'b', prompt: 'p', category: '\ud83d'.repeat(65) },
      { id: 'b', prompt: 'p', category: `${'\ude42\ud83d'.repeat(32)}x` },
      { id: 'b', prompt: 'p', category: true },
      { id: ['b'], prompt: 'p' },
      { id: 'b', prompt: 'p', extra: { nested: [1, 2] } },
    ];
    for (const record of cases) {
      expect(checkRecordShape(record).ok, JSON.stringify(record)).toBe(
        TestingRecord.safeParse(record).success,
      );
    }
  });
});
