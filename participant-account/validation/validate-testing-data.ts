import type { TestingRecord } from '../../shared/contracts/testing-data.js';
import { readLines } from '../../shared/jsonl/read-lines.js';
import { findForbiddenKey } from './forbidden-keys.js';
import { checkRecordShape } from './record-shape.js';
import {
  MAX_REPORTED_ERRORS,
  type ValidationError,
  type ValidationErrorCode,
  type ValidationReport,
  type ValidationWarning,
  type ValidationWarningCode,
} from './report.js';

/** 20 MB, in decimal megabytes as a participant reads them: 20,000,000 bytes. */
export const DEFAULT_MAX_BYTES = 20_000_000;
export const DEFAULT_MAX_RECORDS = 10_000;
/** 64 KiB, line ending excluded. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface ValidationOptions {
  /** Largest file accepted, in bytes; reading stops at the first byte past it. */
  readonly maxBytes?: number;
  /** Most records accepted; reading stops at the first record past it. */
  readonly maxRecords?: number;
  /** Longest line accepted, in bytes, line ending excluded. */
  readonly maxLineBytes?: number;
  /**
   * Called, as the file streams, with each record that passed every line-level rule (a copy holding
   * only the known fields). The file's verdict comes only with the report: a later line can still
   * make the file invalid, so a caller that copies records must discard them unless the report is valid.
   */
  readonly onValidLine?: (record: TestingRecord, line: number) => void;
}

/**
 * Validates a participant's testing-data upload (JSONL, one `{id, prompt, category?}` object a line)
 * as it streams: the S3-triggered validator Lambda and `league validate FILE` both call this, so a
 * file gets the same verdict on a laptop as in the account.
 *
 * Memory is bounded by the longest line (at most `maxLineBytes` are buffered) plus the ids seen, which
 * the duplicate rule needs (at most `maxRecords` ids of at most 128 characters); the report keeps the
 * first {@link MAX_REPORTED_ERRORS} errors. Reading stops as soon as the file passes `maxBytes` or
 * `maxRecords`, which also closes the source.
 *
 * The rules (each finding names its 1-based line; whole-file findings have `line: null`):
 * - lines end in LF or CRLF; the final newline is optional; a leading UTF-8 BOM is stripped (`W_BOM`);
 * - `E_UTF8` invalid UTF-8; `E_LINE_TOO_LONG` a line over `maxLineBytes`; `E_JSON` not JSON;
 *   `E_NOT_OBJECT` JSON that is not an object;
 * - `E_FORBIDDEN_KEY` a `__proto__`, `constructor` or `prototype` key at any depth;
 * - `E_SCHEMA` `id`/`prompt` missing, empty or not a string, an id outside `[A-Za-z0-9._:-]{1,128}`, or a
 *   `category` present but not a non-empty string of at most 64 characters; unknown keys are ignored;
 * - `E_DUPLICATE_ID` an id seen on an earlier line (any earlier line whose id was well formed);
 * - `E_BLANK_LINE` an empty or whitespace-only line before the last record. After the last record,
 *   the final newline ends the file; any blank line after it is ignored with one
 *   `W_TRAILING_BLANK_LINES` warning;
 * - whole-file: `E_EMPTY` no record lines, `E_FILE_TOO_LARGE`, `E_TOO_MANY_RECORDS`.
 * A line gets at most one of the first four codes (a line that cannot be read or parsed is not checked
 * further); a parsed object can get `E_FORBIDDEN_KEY`, `E_SCHEMA` and `E_DUPLICATE_ID` together.
 * Errors from the source itself (an I/O failure) are not findings: they reject the promise.
 */
export async function validateTestingData(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ValidationOptions = {},
): Promise<ValidationReport> {
  const maxBytes = positiveInteger('maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES);
  const maxRecords = positiveInteger('maxRecords', options.maxRecords ?? DEFAULT_MAX_RECORDS);
  const maxLineBytes = positiveInteger('maxLineBytes', options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const { onValidLine } = options;

  const findings = new Findings();
  const firstLineOfId = new Map<string, number>();
  let records = 0;
  // A run of blank lines is an error only once a record follows it, so it is held as (first, count).
  let blankFrom = 0;
  let blankCount = 0;
  let stoppedAtLine: number | undefined; // the first record line past maxRecords

  const capped = capBytes(source, maxBytes);
  for await (const line of readLines(capped.chunks, { maxLineBytes })) {
    // Once past maxBytes, the line readLines flushes is the cut-off start of a line, not a line.
    if (capped.exceeded()) break;
    const lineNumber = line.lineNumber;
    if ('text' in line) {
      if (line.bom) findings.warn(1, 'W_BOM', 'a UTF-8 byte order mark starts the file; it was ignored');
      if (line.text.trim() === '') {
        if (blankCount === 0) blankFrom = lineNumber;
        blankCount += 1;
        continue;
      }
    }
    // A record line (one that cannot be read counts too: it was meant to hold a record).
    for (let k = 0; k < blankCount; k += 1) {
      findings.error(blankFrom + k, 'E_BLANK_LINE', 'blank line between records');
    }
    blankCount = 0;
    if (records === maxRecords) {
      stoppedAtLine = lineNumber;
      break;
    }
    records += 1;
    if ('problem' in line) {
      if (line.problem === 'E_UTF8') findings.error(lineNumber, 'E_UTF8', 'not valid UTF-8');
      else
        findings.error(
          lineNumber,
          'E_LINE_TOO_LONG',
          `line is ${line.bytes} bytes, over the ${maxLineBytes}-byte limit`,
        );
      continue;
    }
    const record = checkLine(line.text, lineNumber, findings, firstLineOfId);
    if (record !== undefined && onValidLine) onValidLine(record, lineNumber);
  }
  if (capped.exceeded()) {
    // Blank lines held at the cut are neither known to be trailing nor known to precede a record.
    findings.error(
      null,
      'E_FILE_TOO_LARGE',
      `file is over the ${maxBytes}-byte limit: reading stopped there`,
    );
  } else if (stoppedAtLine !== undefined) {
    findings.error(
      null,
      'E_TOO_MANY_RECORDS',
      `more than ${maxRecords} records: reading stopped at line ${stoppedAtLine}`,
    );
  } else if (records === 0) {
    findings.error(
      null,
      'E_EMPTY',
      blankCount > 0 ? 'the file holds no records, only blank lines' : 'the file holds no records',
    );
  } else if (blankCount > 0) {
    const last = blankFrom + blankCount - 1;
    findings.warn(
      blankFrom,
      'W_TRAILING_BLANK_LINES',
      blankCount === 1
        ? `blank line ${blankFrom} at the end of the file was ignored`
        : `${blankCount} blank lines at the end of the file (lines ${blankFrom}–${last}) were ignored`,
    );
  }
  return findings.report(records);
}

/** Checks one non-blank line; returns the record when the line passed every line-level rule. */
function checkLine(
  text: string,
  lineNumber: number,
  findings: Findings,
  firstLineOfId: Map<string, number>,
): TestingRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    findings.error(lineNumber, 'E_JSON', `not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    findings.error(lineNumber, 'E_NOT_OBJECT', `expected a JSON object, got ${jsonType(value)}`);
    return undefined;
  }
  let ok = true;
  const forbidden = findForbiddenKey(value);
  if (forbidden !== undefined) {
    findings.error(lineNumber, 'E_FORBIDDEN_KEY', `forbidden key at ${forbidden}`);
    ok = false;
  }
  const shape = checkRecordShape(value as Readonly<Record<string, unknown>>);
  if (!shape.ok) {
    findings.error(lineNumber, 'E_SCHEMA', shape.problems.join('; '));
    ok = false;
  }
  const id = shape.ok ? shape.record.id : shape.id;
  if (id !== undefined) {
    // A Map, not an object: ids such as "__proto__" or "constructor" are ordinary ids here.
    const first = firstLineOfId.get(id);
    if (first === undefined) firstLineOfId.set(id, lineNumber);
    else {
      findings.error(lineNumber, 'E_DUPLICATE_ID', `id "${id}" was first seen on line ${first}`);
      ok = false;
    }
  }
  return ok && shape.ok ? shape.record : undefined;
}

/**
 * Passes the source through up to `maxBytes` bytes. The chunk that crosses the limit is cut at it, so
 * the lines judged are the same whatever the chunk sizes; then reading stops (and the source is closed).
 */
function capBytes(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxBytes: number,
): { readonly chunks: AsyncGenerator<Uint8Array>; readonly exceeded: () => boolean } {
  let exceeded = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let total = 0;
    for await (const chunk of source) {
      if (total + chunk.length > maxBytes) {
        if (maxBytes > total) yield chunk.subarray(0, maxBytes - total);
        exceeded = true;
        return;
      }
      total += chunk.length;
      yield chunk;
    }
  }
  return { chunks: chunks(), exceeded: () => exceeded };
}

/** Collects findings: all warnings, the first MAX_REPORTED_ERRORS errors and the count of all. */
class Findings {
  private readonly errors: ValidationError[] = [];
  private readonly warnings: ValidationWarning[] = [];
  private errorCount = 0;

  error(line: number | null, code: ValidationErrorCode, message: string): void {
    this.errorCount += 1;
    if (this.errors.length < MAX_REPORTED_ERRORS)
      this.errors.push({ line, code, message: safeText(message) });
  }

  warn(line: number | null, code: ValidationWarningCode, message: string): void {
    this.warnings.push({ line, code, message: safeText(message) });
  }

  report(records: number): ValidationReport {
    return {
      valid: this.errorCount === 0,
      records,
      errors: this.errors,
      errorCount: this.errorCount,
      warnings: this.warnings,
    };
  }
}

const MAX_MESSAGE_LENGTH = 300;
// C0/C1 controls, line/paragraph separators and bidi overrides: text from an upload (a JSON.parse
// excerpt, a key name) must not move a terminal's cursor or reorder what a reviewer reads.
const UNSAFE_CHARACTERS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function safeText(message: string): string {
  const escaped = message.replace(
    UNSAFE_CHARACTERS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > MAX_MESSAGE_LENGTH ? `${escaped.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : escaped;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
