/**
 * Testing-data validation throughput: `validateTestingData` over a generated valid file of about
 * `sizeMb` MB, side by side with the plainest thing that could read the same file (split the bytes into
 * lines and `JSON.parse` each), and the validator's peak memory.
 *
 * Both read the file through the same `createReadStream` (same chunk size), each run in a fresh
 * process (this file, bundled with esbuild and run with `--validation-bench-child`), three runs each,
 * alternated; throughput is the median run's. Peak memory is the child's own `maxRSS`, the largest of
 * the validation runs. Targets: at least half the JSON.parse throughput, under 150 MB.
 *
 * `npx tsx bench/validation-throughput.ts [sizeMb]` prints the figures on their own.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateTestingData } from '../participant-account/validation/validate-testing-data.js';

export interface ValidationThroughput {
  /** Size of the file read, in MB (10^6 bytes). */
  readonly mb: number;
  readonly validateMbPerS: number;
  readonly jsonParseMbPerS: number;
  /** validateMbPerS / jsonParseMbPerS; the target is ≥ 0.5. */
  readonly ratio: number;
  /** Peak resident memory of a validation run, in MB (maxRSS / 1024 KiB). */
  readonly peakRssMb: number;
}

export const VALIDATION_RATIO_TARGET = 0.5;
export const VALIDATION_MEMORY_TARGET_MB = 150;

const CHILD_FLAG = '--validation-bench-child';
const RUNS = 3;
/**
 * The chunk size both readers use: 64 KiB, Node's default for file streams and what `league validate`
 * reads with (an S3 body arrives in chunks of this order too). 1 MiB chunks read no faster here but
 * leave more garbage between collections: peak RSS doubles, for the baseline as for the validator.
 */
const HIGH_WATER_MARK = 64 * 1024;
const MIN_LINE_BYTES = 2_000;
const MAX_LINE_BYTES = 20_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, 'bench', '.data');

export async function measureValidationThroughput(sizeMb = 200): Promise<ValidationThroughput> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `testing-data-${sizeMb}mb.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating a ${sizeMb} MB testing-data file → ${file}\n`);
    generateTestingData(file, sizeMb * 1_000_000, 11);
  }
  const bytes = statSync(file).size;
  // Every line is at least MIN_LINE_BYTES long, so this many records is always enough.
  const limits = [String(bytes), String(Math.ceil(bytes / MIN_LINE_BYTES) + 1)];

  const bundle = join(dataDir, 'validation-throughput.js');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['esbuild'],
    logLevel: 'warning',
  });

  const validateRuns: ChildResult[] = [];
  const parseRuns: ChildResult[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    parseRuns.push(runChild(bundle, ['json-parse', file]));
    validateRuns.push(runChild(bundle, ['validate', file, ...limits]));
  }
  const mb = bytes / 1_000_000;
  const validateMbPerS = mb / median(validateRuns.map((r) => r.seconds));
  const jsonParseMbPerS = mb / median(parseRuns.map((r) => r.seconds));
  return {
    mb,
    validateMbPerS,
    jsonParseMbPerS,
    ratio: validateMbPerS / jsonParseMbPerS,
    peakRssMb: Math.max(...validateRuns.map((r) => r.maxRssKiB)) / 1024,
  };
}

interface ChildResult {
  readonly seconds: number;
  readonly maxRssKiB: number;
  readonly lines: number;
}

function runChild(bundle: string, args: string[]): ChildResult {
  const child = spawnSync(process.execPath, [bundle, CHILD_FLAG, ...args], { encoding: 'utf8' });
  if (child.status !== 0)
    throw new Error(`validation benchmark child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as ChildResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** In a fresh process: one timed pass over the file, then the process's own peak RSS. */
async function childMain([mode, file, maxBytes, maxRecords]: string[]): Promise<void> {
  if (file === undefined) throw new Error('usage: validate|json-parse FILE [maxBytes maxRecords]');
  const stream = createReadStream(file, { highWaterMark: HIGH_WATER_MARK });
  const started = performance.now();
  let lines: number;
  if (mode === 'validate') {
    const report = await validateTestingData(stream, {
      maxBytes: Number(maxBytes),
      maxRecords: Number(maxRecords),
    });
    if (!report.valid) throw new Error(`the generated file is not valid: ${JSON.stringify(report.errors)}`);
    lines = report.records;
  } else {
    lines = await parseEveryLine(stream);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS, lines }));
}

/**
 * The baseline: split on LF, decode each line (non-fatal, `Buffer#toString`), `JSON.parse` it. Only a
 * line that straddles two chunks is copied, so the baseline does no more work than it must.
 */
async function parseEveryLine(stream: AsyncIterable<Buffer>): Promise<number> {
  let lines = 0;
  let carry: Buffer | undefined;
  for await (const chunk of stream) {
    let start = 0;
    if (carry !== undefined) {
      const newline = chunk.indexOf(10);
      if (newline === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      JSON.parse(Buffer.concat([carry, chunk.subarray(0, newline)]).toString('utf8'));
      lines += 1;
      carry = undefined;
      start = newline + 1;
    }
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      JSON.parse(chunk.toString('utf8', start, newline));
      lines += 1;
      start = newline + 1;
    }
    if (start < chunk.length) carry = chunk.subarray(start);
  }
  if (carry !== undefined) {
    JSON.parse(carry.toString('utf8'));
    lines += 1;
  }
  return lines;
}

// Prompt text: mostly ASCII English, with accented Latin, CJK, an emoji and characters JSON must
// escape (quotes, backslashes, newlines, tabs), as real prompts have.
const WORDS = [
  'explain',
  'the',
  'difference',
  'between',
  'photosynthesis',
  'and',
  'respiration',
  'in',
  'two',
  'sentences',
  'café',
  'naïve',
  'Schrödinger',
  'résumé',
  '東京',
  '数据',
  '🙂',
  '"quoted"',
  'C:\\path',
  'line\nbreak',
  'tab\tstop',
  'summarise',
  'this',
  'paragraph',
  'for',
  'a',
  'ten-year-old',
  'reader',
  'with',
  'examples',
];
const CATEGORIES = ['science', 'history', 'geography', 'coding', 'maths', 'writing'];

/** Writes a valid testing-data file of about `targetBytes` bytes (lines of 2–20 KB), deterministically. */
export function generateTestingData(file: string, targetBytes: number, seed: number): void {
  const random = mulberry32(seed);
  const encoder = new TextEncoder();
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    let written = 0;
    let batch: string[] = [];
    let batchLength = 0;
    for (let n = 1; written + batchLength < targetBytes; n += 1) {
      const lineBytes = MIN_LINE_BYTES + Math.floor(random() * (MAX_LINE_BYTES - MIN_LINE_BYTES));
      const words: string[] = [];
      let length = 0;
      // Characters, not bytes, with some room for escapes and multi-byte text: lines stay ≥ 2 KB.
      while (length < lineBytes) {
        const word = WORDS[Math.floor(random() * WORDS.length)] ?? 'word';
        words.push(word);
        length += word.length + 1;
      }
      const record: Record<string, string> = {
        id: `t-${String(n).padStart(7, '0')}`,
        prompt: words.join(' '),
      };
      if (random() < 0.8) record.category = CATEGORIES[n % CATEGORIES.length] ?? 'general';
      const line = `${JSON.stringify(record)}\n`;
      batch.push(line);
      batchLength += Buffer.byteLength(line);
      if (batchLength >= 4 << 20) {
        written += writeSync(fd, encoder.encode(batch.join('')));
        batch = [];
        batchLength = 0;
      }
    }
    if (batch.length > 0) writeSync(fd, encoder.encode(batch.join('')));
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const invokedAs = process.argv[1] === undefined ? '' : resolve(process.argv[1]);
if (process.argv[2] === CHILD_FLAG) {
  await childMain(process.argv.slice(3));
} else if (invokedAs === fileURLToPath(import.meta.url)) {
  const result = await measureValidationThroughput(Number(process.argv[2] ?? 200));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
