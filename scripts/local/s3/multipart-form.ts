/**
 * A streaming reader of the multipart/form-data body of a browser-style POST upload, enough for
 * the local S3's front to check a presigned POST policy before s3rver stores anything: it collects
 * the form fields that precede the `file` part and counts the file's bytes as they arrive, holding
 * no more of the file than a delimiter's length. What comes after the file is ignored, as S3
 * ignores it. Pure (no I/O), so testable alone; `form-upload.ts` feeds it the request body.
 */

export interface FormField {
  readonly name: string;
  readonly value: string;
}

/**
 * How far the body has been read:
 * - `fields`: still before the file part.
 * - `file`: the fields before the file are all known; `fileBytes` of its content so far, all of
 *   it once `fileEnded`.
 * - `no-file`: the body closed without a `file` part (s3rver answers that).
 * - `malformed`: not multipart/form-data as S3 reads it (also: the body ended inside a part).
 * - `too-long`: the fields before the file are over S3's limit (`PRE_FILE_LIMIT`).
 */
export type FormProgress =
  | { readonly phase: 'fields' }
  | {
      readonly phase: 'file';
      readonly fields: readonly FormField[];
      readonly fileBytes: number;
      readonly fileEnded: boolean;
    }
  | { readonly phase: 'no-file'; readonly fields: readonly FormField[] }
  | { readonly phase: 'malformed' }
  | { readonly phase: 'too-long' };

/** S3 refuses a POST whose form fields before the file take more than 20 KB. */
export const PRE_FILE_LIMIT = 20 * 1024;

/** The longest boundary line padding or part header section read before giving up on a body. */
const MAX_LINE = 1024;

type State =
  | 'preamble'
  | 'boundary-line'
  | 'headers'
  | 'field'
  | 'file'
  | 'after-file'
  | 'closed'
  | 'malformed';

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The `boundary` of a `multipart/form-data` content type; undefined for any other content type. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...parameters] = splitParameters(contentType);
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = parameterValue(parameters, 'boundary');
  // RFC 2046: 1 to 70 characters.
  return boundary !== undefined && boundary.length >= 1 && boundary.length <= 70 ? boundary : undefined;
}

export class FormScanner {
  /** Every delimiter but the first is preceded by CRLF; `pending` starts with one so the first is too. */
  private readonly delimiter: Buffer;
  private pending: Buffer = CRLF;
  private state: State = 'preamble';
  /** Bytes before the file's content that have been read past. */
  private consumed = 0;
  private tooLong = false;
  private readonly fields: FormField[] = [];
  private fieldName = '';
  private fileBytes = 0;

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  /** Reads the next chunk of the body. */
  push(chunk: Buffer): FormProgress {
    if (this.state === 'after-file' || this.state === 'closed' || this.state === 'malformed' || this.tooLong)
      return this.progress();
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.advance();
    return this.progress();
  }

  /** The body has ended. */
  end(): FormProgress {
    if (this.state !== 'after-file' && this.state !== 'closed' && !this.tooLong) this.state = 'malformed';
    return this.progress();
  }

  private progress(): FormProgress {
    if (this.tooLong) return { phase: 'too-long' };
    switch (this.state) {
      case 'malformed':
        return { phase: 'malformed' };
      case 'closed':
        return { phase: 'no-file', fields: this.fields };
      case 'file':
      case 'after-file':
        return {
          phase: 'file',
          fields: this.fields,
          fileBytes: this.fileBytes,
          fileEnded: this.state === 'after-file',
        };
      default:
        return { phase: 'fields' };
    }
  }

  private advance(): void {
    for (;;) {
      switch (this.state) {
        case 'preamble': {
          const at = this.pending.indexOf(this.delimiter);
          if (at === -1) {
            // Keep what could be the start of a delimiter; the rest is preamble, ignored.
            this.skip(Math.max(0, this.pending.length - (this.delimiter.length - 1)));
            this.withinLimit(this.pending.length);
            return;
          }
          this.skip(at + this.delimiter.length);
          this.state = 'boundary-line';
          break;
        }
        case 'boundary-line': {
          // After a delimiter: `--` closes the body; else optional padding, then CRLF opens a part.
          if (this.pending.length < 2) return;
          if (this.pending[0] === 0x2d && this.pending[1] === 0x2d) {
            this.state = 'closed';
            this.pending = Buffer.alloc(0);
            return;
          }
          const end = this.pending.indexOf(CRLF);
          if (end === -1) {
            if (this.pending.length > MAX_LINE) this.state = 'malformed';
            return;
          }
          if (!/^[ \t]*$/.test(this.pending.subarray(0, end).toString('latin1'))) {
            this.state = 'malformed';
            return;
          }
          this.skip(end + CRLF.length);
          this.state = 'headers';
          break;
        }
        case 'headers': {
          // A part with no headers (so no name) starts with the blank line itself.
          const end = this.pending.subarray(0, 2).equals(CRLF) ? 0 : this.pending.indexOf(HEADERS_END);
          if (end === -1) {
            if (this.pending.length > MAX_LINE * 8) this.state = 'malformed';
            else this.withinLimit(this.pending.length);
            return;
          }
          const name = partName(this.pending.subarray(0, end).toString('utf8'));
          this.skip(end + HEADERS_END.length);
          if (name === undefined) {
            this.state = 'malformed';
            return;
          }
          if (!this.withinLimit(0)) return;
          this.fieldName = name;
          // s3rver takes the part named exactly `file` as the file, and so does the front.
          this.state = name === 'file' ? 'file' : 'field';
          break;
        }
        case 'field': {
          const at = this.pending.indexOf(this.delimiter);
          if (at === -1) {
            this.withinLimit(this.pending.length);
            return;
          }
          this.fields.push({ name: this.fieldName, value: this.pending.subarray(0, at).toString('utf8') });
          this.skip(at + this.delimiter.length);
          if (!this.withinLimit(0)) return;
          this.state = 'boundary-line';
          break;
        }
        case 'file': {
          const at = this.pending.indexOf(this.delimiter);
          if (at === -1) {
            // All but a possible start of the delimiter is file content.
            const content = Math.max(0, this.pending.length - (this.delimiter.length - 1));
            this.fileBytes += content;
            this.pending = this.pending.subarray(content);
            return;
          }
          this.fileBytes += at;
          this.state = 'after-file';
          this.pending = Buffer.alloc(0);
          return;
        }
        default:
          this.pending = Buffer.alloc(0);
          return;
      }
    }
  }

  private skip(bytes: number): void {
    this.consumed += bytes;
    this.pending = this.pending.subarray(bytes);
  }

  /** False (and the form too long) when what precedes the file, with `more` bytes yet unread, is over the limit. */
  private withinLimit(more: number): boolean {
    // The CRLF put before the body is not the client's.
    if (this.consumed - CRLF.length + more > PRE_FILE_LIMIT) this.tooLong = true;
    return !this.tooLong;
  }
}

/** The `name` of a part's `Content-Disposition: form-data`, or undefined. */
function partName(headerSection: string): string | undefined {
  for (const line of headerSection.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const [disposition, ...parameters] = splitParameters(line.slice(colon + 1));
    if (disposition?.trim().toLowerCase() !== 'form-data') return undefined;
    return parameterValue(parameters, 'name');
  }
  return undefined;
}

/** `a; b=1; c="x;y"` → `['a', ' b=1', ' c="x;y"']`: splits on semicolons outside quotes. */
function splitParameters(header: string): string[] {
  return header.match(/(?:[^;"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
}

function parameterValue(parameters: readonly string[], wanted: string): string | undefined {
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals === -1 || parameter.slice(0, equals).trim().toLowerCase() !== wanted) continue;
    const value = parameter.slice(equals + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2
      ? value.slice(1, -1).replace(/\\(.)/g, '$1')
      : value;
  }
  return undefined;
}
