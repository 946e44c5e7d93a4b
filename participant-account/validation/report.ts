import * as z from 'zod';

/** The report keeps the first this-many errors; `errorCount` says how many there were in all. */
export const MAX_REPORTED_ERRORS = 100;

/**
 * Why a testing-data file was refused. Line-level codes carry the 1-based line; whole-file codes
 * (`E_EMPTY`, `E_FILE_TOO_LARGE`, `E_TOO_MANY_RECORDS`) carry `line: null`, because no one line is at
 * fault (a JSON consumer can tell them apart without a magic line 0).
 */
export const ValidationErrorCode = z.enum([
  'E_UTF8',
  'E_JSON',
  'E_NOT_OBJECT',
  'E_SCHEMA',
  'E_FORBIDDEN_KEY',
  'E_DUPLICATE_ID',
  'E_BLANK_LINE',
  'E_LINE_TOO_LONG',
  'E_EMPTY',
  'E_FILE_TOO_LARGE',
  'E_TOO_MANY_RECORDS',
]);
export type ValidationErrorCode = z.infer<typeof ValidationErrorCode>;

/** Things worth fixing that do not make a file invalid. */
export const ValidationWarningCode = z.enum(['W_BOM', 'W_TRAILING_BLANK_LINES']);
export type ValidationWarningCode = z.infer<typeof ValidationWarningCode>;

/** 1-based line number, or null for a finding about the whole file. */
const LineNumber = z.number().int().positive().nullable();

export const ValidationError = z.object({ line: LineNumber, code: ValidationErrorCode, message: z.string() });
export type ValidationError = z.infer<typeof ValidationError>;

export const ValidationWarning = z.object({
  line: LineNumber,
  code: ValidationWarningCode,
  message: z.string(),
});
export type ValidationWarning = z.infer<typeof ValidationWarning>;

/**
 * The verdict on one testing-data file, written by the validator Lambda next to the upload and printed
 * by `league validate`. `records` counts record lines read (non-blank lines, valid or not): for a valid
 * file it is the number of records.
 */
export const ValidationReport = z
  .object({
    valid: z.boolean(),
    records: z.number().int().nonnegative(),
    errors: z.array(ValidationError).max(MAX_REPORTED_ERRORS),
    errorCount: z.number().int().nonnegative(),
    warnings: z.array(ValidationWarning),
  })
  .refine((report) => report.valid === (report.errorCount === 0), {
    message: 'valid must be true exactly when there are no errors',
    path: ['valid'],
  })
  .refine((report) => report.errors.length === Math.min(report.errorCount, MAX_REPORTED_ERRORS), {
    message: `errors must hold the first ${MAX_REPORTED_ERRORS} of errorCount errors`,
    path: ['errors'],
  });
export type ValidationReport = z.infer<typeof ValidationReport>;
