import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ValidationReport } from '../../participant-account/validation/report.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_RECORDS,
  validateTestingData,
} from '../../participant-account/validation/validate-testing-data.js';
import { UsageError } from './errors.js';
import type { CommandIo } from './rank-command.js';

export const VALIDATE_USAGE = `usage: league validate FILE [options]

Checks a testing-data file (JSONL, one {"id", "prompt", "category"?} object a line) by the rules the
validator Lambda applies to an upload, and prints the report.
Exit code: 0 valid, 1 invalid, 2 usage error.

  --json               print the report as JSON (the validator Lambda's report format)
  --max-bytes N        largest file accepted, in bytes (default ${DEFAULT_MAX_BYTES})
  --max-records N      most records accepted (default ${DEFAULT_MAX_RECORDS})
`;

/** `league validate FILE`: 0 when the file is valid, 1 when it is not; a usage error throws. */
export async function validateCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseValidateArgs(argv);
  if (values.help) {
    io.stdout.write(VALIDATE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'expected a testing-data file' : 'expected exactly one testing-data file',
    );
  }
  const file = positionals[0] as string;
  const maxBytes = positiveInteger('--max-bytes', values['max-bytes']);
  const maxRecords = positiveInteger('--max-records', values['max-records']);

  let report: ValidationReport;
  try {
    // Node's default 64 KiB chunks: larger ones read no faster and raise peak memory (see the bench).
    report = await validateTestingData(createReadStream(file), { maxBytes, maxRecords });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory, not a testing-data file`);
    throw error;
  }
  io.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : renderValidationReport(file, report),
  );
  return report.valid ? 0 : 1;
}

/** The report for a person: the verdict, then each finding as `line N: CODE message`. */
export function renderValidationReport(file: string, report: ValidationReport): string {
  const counts = [
    plural(report.records, 'record'),
    plural(report.errorCount, 'error'),
    plural(report.warnings.length, 'warning'),
  ];
  let out = `${report.valid ? 'VALID' : 'INVALID'} ${file}: ${counts.join(', ')}\n`;
  const where = (line: number | null): string => (line === null ? 'file' : `line ${line}`);
  if (report.errors.length > 0) {
    out += 'errors:\n';
    for (const error of report.errors) out += `  ${where(error.line)}: ${error.code} ${error.message}\n`;
    const unlisted = report.errorCount - report.errors.length;
    if (unlisted > 0)
      out += `  … and ${unlisted} more (the report keeps the first ${report.errors.length})\n`;
  }
  if (report.warnings.length > 0) {
    out += 'warnings:\n';
    for (const warning of report.warnings)
      out += `  ${where(warning.line)}: ${warning.code} ${warning.message}\n`;
  }
  return out;
}

function parseValidateArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'max-bytes': { type: 'string', default: String(DEFAULT_MAX_BYTES) },
        'max-records': { type: 'string', default: String(DEFAULT_MAX_RECORDS) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // An unknown or malformed option is a usage error like any other (exit code 2).
    throw new UsageError((error as Error).message);
  }
}

function positiveInteger(name: string, text: string): number {
  // Digits only: Number('') is 0 and Number('1e3') is 1000, neither of which a user meant.
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
