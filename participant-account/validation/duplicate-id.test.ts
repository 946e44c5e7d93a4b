import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate } from './test-helpers.js';

const file = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('validateTestingData: duplicate ids', () => {
  it('rejects a line whose id repeats, naming the line where it was first seen', async () => {
    const report = await validate(file(line('a'), line('b'), line('a')));
    expect(report.errors).toEqual([
      { line: 3, code: 'E_DUPLICATE_ID', message: 'id "a" was first seen on line 1' },
    ]);
  });

  it('names the first line for every later repeat', async () => {
    const report = await validate(file(line('x'), line('a'), line('a'), line('b'), line('a')));
    expect(report.errors).toEqual([
      { line: 3, code: 'E_DUPLICATE_ID', message: 'id "a" was first seen on line 2' },
      { line: 5, code: 'E_DUPLICATE_ID', message: 'id "a" was first seen on line 2' },
    ]);
  });

  it('tells ids apart by case', async () => {
    expect((await validate(file(line('a'), line('A')))).valid).toBe(true);
  });

  it('treats ids that name Object.prototype members as ordinary ids', async () => {
    const report = await validate(
      file(
        line('constructor'),
        line('__proto__'),
        line('hasOwnProperty'),
        line('toString'),
        line('__proto__'),
      ),
    );
    expect(report.errors).toEqual([
      { line: 5, code: 'E_DUPLICATE_ID', message: 'id "__proto__" was first seen on line 2' },
    ]);
  });

  it('remembers a well-formed id from a line that failed another rule', async () => {
    const report = await validate(file(JSON.stringify({ id: 'a', prompt: '' }), line('a')));
    expect(errorsOf(report)).toEqual([
      [1, 'E_SCHEMA'],
      [2, 'E_DUPLICATE_ID'],
    ]);
  });

  it('does not remember a malformed id', async () => {
    const report = await validate(file(JSON.stringify({ id: 'a b', prompt: 'p' }), line('a'), line('a b')));
    expect(errorsOf(report)).toEqual([
      [1, 'E_SCHEMA'],
      [3, 'E_SCHEMA'],
    ]);
  });

  it('reports the repeat on the line numbers of the file, blank lines and CRLF included', async () => {
    const report = await validate(`${line('a')}\r\n\r\n${line('b')}\r\n${line('a')}\r\n`);
    expect(errorsOf(report)).toEqual([
      [2, 'E_BLANK_LINE'],
      [4, 'E_DUPLICATE_ID'],
    ]);
  });
});
