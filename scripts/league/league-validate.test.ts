import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationReport } from '../../participant-account/validation/report.js';
import { validateTestingData } from '../../participant-account/validation/validate-testing-data.js';
import { type CommandRun, runCommand } from './command-test-support.js';
import { UsageError } from './errors.js';
import { VALIDATE_USAGE, validateCommand } from './validate-command.js';

// ---------------------------------------------------------------------------------------------
// Harness: validateCommand() in-process with fake streams, files in a fresh temp dir per test.
// A usage error throws UsageError, which `league` (main) turns into exit code 2.

function validate(...argv: string[]): Promise<CommandRun> {
  return runCommand(validateCommand, argv);
}

const record = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, prompt: `prompt for ${id}`, ...extra });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'league-validate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('league validate: a valid file', () => {
  it('exits 0 and says VALID with the record count', async () => {
    const path = await file('ok.jsonl', `${record('a')}\n${record('b', { category: 'maths' })}\n`);
    const run = await validate(path);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`VALID ${path}: 2 records, 0 errors, 0 warnings\n`);
    expect(run.stderr).toBe('');
  });

  it('lists the warnings of a file that is valid all the same', async () => {
    const path = await file(
      'bom.jsonl',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${record('a')}\n\n`)]),
    );
    const run = await validate(path);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `VALID ${path}: 1 record, 0 errors, 2 warnings`,
        'warnings:',
        '  line 1: W_BOM a UTF-8 byte order mark starts the file; it was ignored',
        '  line 2: W_TRAILING_BLANK_LINES blank line 2 at the end of the file was ignored',
        '',
      ].join('\n'),
    );
  });

  it('prints the JSON report with --json', async () => {
    const path = await file('ok.jsonl', `${record('a')}\r\n${record('b')}`);
    const run = await validate(path, '--json');
    expect(run.code).toBe(0);
    expect(ValidationReport.parse(JSON.parse(run.stdout))).toEqual({
      valid: true,
      records: 2,
      errors: [],
      errorCount: 0,
      warnings: [],
    });
  });
});

describe('league validate: an invalid file', () => {
  const content = [
    record('a'),
    '{"id": "b", prompt}',
    '',
    record('a'),
    '{"id":"c","prompt":"p","__proto__":{}}',
  ].join('\n');

  it('exits 1 and prints each error as line N: CODE message', async () => {
    const path = await file('bad.jsonl', content);
    const run = await validate(path);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`INVALID ${path}: 4 records, 4 errors, 0 warnings`);
    expect(lines.slice(1, 6)).toEqual([
      'errors:',
      expect.stringMatching(/^ {2}line 2: E_JSON not valid JSON: /),
      '  line 3: E_BLANK_LINE blank line between records',
      '  line 4: E_DUPLICATE_ID id "a" was first seen on line 1',
      '  line 5: E_FORBIDDEN_KEY forbidden key at __proto__',
    ]);
  });

  it('exits 1 and prints the JSON report with --json, as the library reports it', async () => {
    const path = await file('bad.jsonl', content);
    const run = await validate('--json', path);
    expect(run.code).toBe(1);
    const report = ValidationReport.parse(JSON.parse(run.stdout));
    // The same rules as the validator Lambda: the library's own report on the same bytes.
    expect(report).toEqual(await validateTestingData([await readFile(path)]));
    expect(report.errors.map((error) => [error.line, error.code])).toEqual([
      [2, 'E_JSON'],
      [3, 'E_BLANK_LINE'],
      [4, 'E_DUPLICATE_ID'],
      [5, 'E_FORBIDDEN_KEY'],
    ]);
  });

  it('prints a whole-file error against the file, not a line', async () => {
    const path = await file('empty.jsonl', '');
    const run = await validate(path);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `INVALID ${path}: 0 records, 1 error, 0 warnings\nerrors:\n  file: E_EMPTY the file holds no records\n`,
    );
  });

  it('says how many errors the report left out past the first 100', async () => {
    const path = await file('many.jsonl', 'nope\n'.repeat(130));
    const run = await validate(path);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('130 records, 130 errors');
    expect(run.stdout).toContain('  line 100: E_JSON');
    expect(run.stdout).not.toContain('line 101:');
    expect(run.stdout).toContain('  … and 30 more (the report keeps the first 100)\n');
  });

  it('applies --max-records', async () => {
    const path = await file('three.jsonl', `${record('a')}\n${record('b')}\n${record('c')}\n`);
    expect((await validate(path, '--max-records', '3')).code).toBe(0);
    const run = await validate(path, '--max-records', '2');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '  file: E_TOO_MANY_RECORDS more than 2 records: reading stopped at line 3\n',
    );
  });

  it('applies --max-bytes', async () => {
    const content = `${record('a')}\n${record('b')}\n`;
    const path = await file('small.jsonl', content);
    expect((await validate(path, '--max-bytes', String(Buffer.byteLength(content)))).code).toBe(0);
    const run = await validate(path, '--max-bytes', '20');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '  file: E_FILE_TOO_LARGE file is over the 20-byte limit: reading stopped there\n',
    );
  });
});

describe('league validate: usage errors (exit code 2)', () => {
  it('prints the usage with --help and exits 0', async () => {
    const run = await validate('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(VALIDATE_USAGE);
    expect(VALIDATE_USAGE).toContain('--max-records N');
  });

  it('wants exactly one file', async () => {
    await expect(validate()).rejects.toThrow(new UsageError('expected a testing-data file'));
    await expect(validate('a.jsonl', 'b.jsonl')).rejects.toThrow(
      new UsageError('expected exactly one testing-data file'),
    );
  });

  it('refuses a file that does not exist, or a directory', async () => {
    const missing = join(dir, 'missing.jsonl');
    await expect(validate(missing)).rejects.toThrow(new UsageError(`${missing}: no such file`));
    await expect(validate(dir)).rejects.toThrow(
      new UsageError(`${dir}: is a directory, not a testing-data file`),
    );
  });

  it.each([
    ['--max-bytes', 'abc'],
    ['--max-bytes', '0'],
    ['--max-bytes', '-5'],
    ['--max-bytes', '1e6'],
    ['--max-records', ''],
    ['--max-records', '2.5'],
  ])('refuses %s %j', async (option, value) => {
    const path = await file('ok.jsonl', `${record('a')}\n`);
    await expect(validate(path, `${option}=${value}`)).rejects.toThrow(
      new UsageError(`${option} must be a positive integer, got ${JSON.stringify(value)}`),
    );
  });

  it('refuses an unknown option as a usage error', async () => {
    const path = await file('ok.jsonl', `${record('a')}\n`);
    await expect(validate(path, '--strict')).rejects.toBeInstanceOf(UsageError);
  });
});
