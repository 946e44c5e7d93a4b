import { describe, expect, it } from 'vitest';
import { errorsOf, line, validate } from './test-helpers.js';

const file = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('validateTestingData: JSON', () => {
  it('rejects a line that is not JSON, naming its line and what JSON.parse said', async () => {
    const report = await validate(file(line('a'), "{id: 'b', prompt: 'p'}", line('c')));
    expect(errorsOf(report)).toEqual([[2, 'E_JSON']]);
    expect(report.errors[0]?.message).toMatch(/^not valid JSON: /);
  });

  it.each([
    ['a trailing comma', '{"id":"b","prompt":"p",}'],
    ['a truncated object', '{"id":"b","prompt":"p"'],
    ['two objects on one line', '{"id":"b","prompt":"p"}{"id":"c","prompt":"p"}'],
    ['a single-quoted string', "{'id':'b','prompt':'p'}"],
    ['NaN', '{"id":"b","prompt":"p","n":NaN}'],
  ])('rejects %s', async (_, text) => {
    expect(errorsOf(await validate(file(line('a'), text)))).toEqual([[2, 'E_JSON']]);
  });

  it('accepts JSON whitespace around a record', async () => {
    const report = await validate(file(` \t${line('a')}  `, `${line('b')}\t`));
    expect(report.valid).toBe(true);
  });

  it('reports every bad line, not only the first', async () => {
    const report = await validate(file('nope', line('b'), '{', line('d'), '}'));
    expect(errorsOf(report)).toEqual([
      [1, 'E_JSON'],
      [3, 'E_JSON'],
      [5, 'E_JSON'],
    ]);
  });

  it('escapes control characters that JSON.parse quotes back from the line', async () => {
    const report = await validate(file(line('a'), '\u001b[2J\u001b[31mgotcha'));
    const message = report.errors[0]?.message ?? '';
    expect(errorsOf(report)).toEqual([[2, 'E_JSON']]);
    expect(message).not.toContain('\u001b');
    expect(message).toContain('\\u001b');
  });
});
