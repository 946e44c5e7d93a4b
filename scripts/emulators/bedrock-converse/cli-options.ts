import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { Question } from '../../../shared/contracts/question-set.js';
import { parseJsonl } from '../../../shared/jsonl/index.js';
import { EmulatorOptions, type LatencyDistribution } from './options.js';

/** The port the local stack expects the judge emulator on, unless told otherwise. */
export const DEFAULT_CLI_PORT = 8788;

export const USAGE = `Usage: tsx scripts/emulators/bedrock-converse/main.ts [options]

A Bedrock-Converse-compatible judge emulator. Its judge is a deterministic reference-overlap
heuristic, not an LLM. Every option can also be set as BEDROCK_EMULATOR_<NAME> (e.g.
BEDROCK_EMULATOR_THROTTLE_RATE=0.1); a flag wins over the environment.

  --port N               port to listen on (default ${DEFAULT_CLI_PORT}; 0 = any free port)
  --host HOST            address to listen on (default 127.0.0.1)
  --seed N               seed of every injected fault (default 1)
  --questions FILE       question-set JSONL ({prompt, reference, ...}): the references the
                         pairwise judge compares answers with
  --throttle-rate R      share of requests answered 429 ThrottlingException (0-1)
  --rpm N                requests-per-minute quota (429 over it)
  --tpm N                tokens-per-minute quota (429 over it)
  --window-ms N          length of the quota window (default 60000)
  --latency-ms L         50 (fixed), 20-200 (uniform) or p50=100,p99=800 (lognormal)
  --error-rate R         share answered 500/503 (0-1)
  --malformed-rate R     share of unusable 200 replies (0-1)
  --truncated-rate R     share of 200 replies cut off at max_tokens (0-1)
  --cache-min-tokens N   shortest prefix that is cached (default 0; Claude Sonnet 4.5: 1024)
  --help                 show this text`;

const FLAGS = {
  port: 'PORT',
  host: 'HOST',
  seed: 'SEED',
  questions: 'QUESTIONS',
  'throttle-rate': 'THROTTLE_RATE',
  rpm: 'RPM',
  tpm: 'TPM',
  'window-ms': 'WINDOW_MS',
  'latency-ms': 'LATENCY_MS',
  'error-rate': 'ERROR_RATE',
  'malformed-rate': 'MALFORMED_RATE',
  'truncated-rate': 'TRUNCATED_RATE',
  'cache-min-tokens': 'CACHE_MIN_TOKENS',
} as const;
type Flag = keyof typeof FLAGS;

/** Settings as strings, from flags over `BEDROCK_EMULATOR_*` variables. */
export function readCliSettings(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { help: boolean; settings: Partial<Record<Flag, string>> } {
  // fromEntries forgets the keys; they are exactly the flags.
  const flagOptions = Object.fromEntries(
    Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }]),
  ) as Record<Flag, { type: 'string' }>;
  const { values } = parseArgs({
    args: [...argv],
    options: { ...flagOptions, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const settings: Partial<Record<Flag, string>> = {};
  for (const [flag, name] of Object.entries(FLAGS) as [Flag, string][]) {
    const value = values[flag] ?? env[`BEDROCK_EMULATOR_${name}`];
    if (typeof value === 'string' && value !== '') settings[flag] = value;
  }
  return { help: values.help === true, settings };
}

/** `50` → fixed, `20-200` → uniform, `p50=100,p99=800` → lognormal. */
export function parseLatency(text: string): LatencyDistribution {
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  const lognormal = /^p50=(\d+(?:\.\d+)?),p99=(\d+(?:\.\d+)?)$/.exec(text);
  if (lognormal) return { median: Number(lognormal[1]), p99: Number(lognormal[2]) };
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  throw new Error(`--latency-ms: expected 50, 20-200 or p50=100,p99=800, got "${text}"`);
}

/** Reads a question set into question text → reference answer. */
export async function readReferences(path: string): Promise<Map<string, string>> {
  const references = new Map<string, string>();
  for await (const question of parseJsonl(createReadStream(path), Question)) {
    references.set(question.prompt, question.reference);
  }
  return references;
}

/** The emulator's options from command-line settings; throws a readable error on a bad value. */
export async function emulatorOptionsFromCli(
  settings: Partial<Record<Flag, string>>,
): Promise<EmulatorOptions> {
  const number = (value: string | undefined): number | undefined =>
    value === undefined ? undefined : Number(value);
  const candidate = {
    port: number(settings.port) ?? DEFAULT_CLI_PORT,
    host: settings.host,
    seed: number(settings.seed),
    throttleRate: number(settings['throttle-rate']),
    requestsPerMinute: number(settings.rpm),
    tokensPerMinute: number(settings.tpm),
    windowMs: number(settings['window-ms']),
    latencyMs: settings['latency-ms'] === undefined ? undefined : parseLatency(settings['latency-ms']),
    errorRate: number(settings['error-rate']),
    malformedRate: number(settings['malformed-rate']),
    truncatedRate: number(settings['truncated-rate']),
    cacheMinTokens: number(settings['cache-min-tokens']),
    references: settings.questions === undefined ? undefined : await readReferences(settings.questions),
  };
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
  const parsed = EmulatorOptions.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid emulator options: ${problems.join('; ')}`);
  }
  return parsed.data;
}
