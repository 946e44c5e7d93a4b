import * as z from 'zod';

const Rate = z.number().min(0).max(1);

/**
 * How long the emulator waits before answering an admitted request, in milliseconds:
 * - a number: always that long;
 * - `{ min, max }`: uniform between the two;
 * - `{ median, p99 }`: lognormal with that median and 99th percentile (a long right tail, like a
 *   real model endpoint).
 */
export const LatencyDistribution = z.union([
  z.number().nonnegative(),
  z
    .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
    .refine((l) => l.max >= l.min, { message: 'max must be at least min', path: ['max'] }),
  z
    .strictObject({ median: z.number().positive(), p99: z.number().positive() })
    .refine((l) => l.p99 >= l.median, { message: 'p99 must be at least the median', path: ['p99'] }),
]);
export type LatencyDistribution = z.infer<typeof LatencyDistribution>;

/** Question text → the reference model's answer, for the pairwise judge when the prompt is blind. */
const References = z.custom<ReadonlyMap<string, string>>((value) => value instanceof Map, {
  message: 'references must be a Map from question text to reference answer',
});

/**
 * The emulator's configuration. Every default is "no fault": a plain, prompt, always-answering judge.
 * All randomness comes from `seed`, so the same options give the same faults in the same order.
 */
export const EmulatorOptions = z.strictObject({
  /** 0 = any free port. */
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.number().int().default(1),
  references: References.optional(),
  /** Share of admitted requests answered 429 ThrottlingException. */
  throttleRate: Rate.default(0),
  /** Quotas over a sliding window of `windowMs`; over quota → 429 ThrottlingException. */
  requestsPerMinute: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
  windowMs: z.number().int().positive().default(60_000),
  latencyMs: LatencyDistribution.default(0),
  /** Share of requests answered 500 InternalServerException or 503 ServiceUnavailableException (half each). */
  errorRate: Rate.default(0),
  /** Share of 200 replies whose tool input or text cannot be read as a verdict or a score sheet. */
  malformedRate: Rate.default(0),
  /** Share of 200 replies cut off with `stopReason: "max_tokens"` and no tool use. */
  truncatedRate: Rate.default(0),
  /**
   * A prefix shorter than this is not cached (Anthropic documents 1,024 tokens for Claude Sonnet 4.5, 4,096 for Haiku 4.5);
   * 0 caches any prefix.
   */
  cacheMinTokens: z.number().int().nonnegative().default(0),
  /** How long a cached prefix lives after its last use, for `cachePoint`s without `ttl: "1h"`. */
  cacheTtlMs: z
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
});

/** What a caller passes: every field optional. */
export type EmulatorOptions = z.input<typeof EmulatorOptions>;
/** The options with their defaults filled in. */
export type ResolvedEmulatorOptions = z.output<typeof EmulatorOptions>;
