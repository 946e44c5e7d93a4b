/**
 * Streaming line splitter for JSONL. Lines are split on LF bytes (a CR right before LF is dropped), each
 * line is decoded as UTF-8 with a fatal decoder, and memory is bounded by the longest line kept:
 * a line over `maxLineBytes` is reported and skipped without being buffered.
 */

export type LineProblem = 'E_UTF8' | 'E_LINE_TOO_LONG';

export type JsonlLine =
  | { readonly lineNumber: number; readonly text: string; readonly bom: boolean }
  | { readonly lineNumber: number; readonly problem: LineProblem; readonly bytes: number };

export interface ReadLinesOptions {
  /** Longest line kept, in bytes (CR/LF excluded). Default 16 MiB. */
  readonly maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export async function* readLines(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<JsonlLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let overflowBytes = 0; // > 0 while skipping the rest of a too-long line
  let lastByte = -1; // the current line's last byte so far: tells a CRLF ending from a lone CR
  let lineNumber = 0;

  const finish = (parts: Uint8Array[], total: number, endsWithLf: boolean): JsonlLine => {
    lineNumber += 1;
    let bytes = parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts, total);
    // A CR is part of the line ending only right before LF; at the end of the source it is content.
    if (endsWithLf && bytes.length > 0 && bytes[bytes.length - 1] === CR) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    // Buffering allows maxLineBytes + 1 bytes for a CR that may turn out to be content.
    if (bytes.length > maxLineBytes) return { lineNumber, problem: 'E_LINE_TOO_LONG', bytes: bytes.length };
    let bom = false;
    if (
      lineNumber === 1 &&
      bytes.length >= 3 &&
      bytes[0] === 0xef &&
      bytes[1] === 0xbb &&
      bytes[2] === 0xbf
    ) {
      bom = true;
      bytes = bytes.subarray(3);
    }
    try {
      return { lineNumber, text: decoder.decode(bytes), bom };
    } catch {
      return { lineNumber, problem: 'E_UTF8', bytes: bytes.length };
    }
  };

  for await (const chunk of source) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      const end = newline === -1 ? chunk.length : newline;
      const piece = chunk.subarray(start, end);
      if (piece.length > 0) lastByte = piece[piece.length - 1] as number;
      if (overflowBytes > 0 || pendingBytes + piece.length > maxLineBytes + 1) {
        // +1 leaves room for a CR that belongs to the line ending, not the line.
        overflowBytes += pendingBytes + piece.length;
        pending = [];
        pendingBytes = 0;
      } else if (piece.length > 0 || newline !== -1) {
        pending.push(piece);
        pendingBytes += piece.length;
      }
      if (newline === -1) break;
      if (overflowBytes > 0) {
        lineNumber += 1;
        yield { lineNumber, problem: 'E_LINE_TOO_LONG', bytes: overflowBytes - (lastByte === CR ? 1 : 0) };
        overflowBytes = 0;
      } else {
        yield finish(pending, pendingBytes, true);
      }
      pending = [];
      pendingBytes = 0;
      lastByte = -1;
      start = newline + 1;
    }
    // The start of a line carried into the next chunk is copied, so it neither pins this chunk nor
    // changes if the source reuses it. `new Uint8Array(view)` copies; Buffer#slice would not.
    const last = pending.length - 1;
    if (chunk.length > 0 && last >= 0) pending[last] = new Uint8Array(pending[last] as Uint8Array);
  }
  if (overflowBytes > 0) {
    lineNumber += 1;
    yield { lineNumber, problem: 'E_LINE_TOO_LONG', bytes: overflowBytes };
  } else if (pendingBytes > 0) {
    yield finish(pending, pendingBytes, false);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
