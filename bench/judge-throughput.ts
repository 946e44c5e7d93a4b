/**
 * Judge throughput against the Converse emulator: with a quota of R requests a minute and a model
 * latency of L, a judge with C calls in flight can at best make min(R, C / L) judgments a minute.
 * This measures what the real judging code (rate limiter, concurrency limit, Bedrock SDK client)
 * achieves as a fraction of that bound, and the tokens each judgment costs.
 */
import { randomBytes } from 'node:crypto';
import { judgeSubmission } from '../leaderboard-account/judging/judge-submission.js';
import {
  BedrockJudgeModel,
  createBedrockClient,
} from '../leaderboard-account/judging/providers/bedrock-judge-model.js';
import { RateLimiter } from '../leaderboard-account/judging/rate-limiter.js';
import { startBedrockEmulator } from '../scripts/emulators/bedrock-converse/index.js';
import type { Question } from '../shared/contracts/question-set.js';
import type { ResultRecord } from '../shared/contracts/results.js';

export interface ThroughputCase {
  readonly requestsPerMinute: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  /** Judgments to make (two per question). */
  readonly judgments: number;
  /** Pace calls to the quota on the client (the League's default) or let the provider throttle. */
  readonly pacing: boolean;
}

export interface ThroughputResult extends ThroughputCase {
  readonly boundPerMinute: number;
  readonly achievedPerMinute: number;
  readonly fraction: number;
  readonly throttled: number;
  readonly tokensPerJudgment: number;
}

export async function measureJudgeThroughput(c: ThroughputCase): Promise<ThroughputResult> {
  const questions: Question[] = Array.from({ length: c.judgments / 2 }, (_, k) => ({
    id: `q${k}`,
    prompt: `Explain topic ${k} in two sentences.`,
    category: 'general',
    reference: `Topic ${k} is about energy, matter and the forces between them, observed in everyday examples.`,
    split: 'public',
  }));
  const answers = new Map<string, ResultRecord>(
    questions.map((q) => [
      q.id,
      { id: q.id, prompt: q.prompt, response: `${q.reference} It matters.`, model: 'team/model' },
    ]),
  );
  const emulator = await startBedrockEmulator({
    seed: 3,
    latencyMs: c.latencyMs,
    // The quota is enforced per second (R/60 in any one-second window), as a provider enforces a
    // per-minute quota at a finer grain than the minute: a burst is throttled at once.
    requestsPerMinute: Math.max(1, Math.floor(c.requestsPerMinute / 60)),
    windowMs: 1000,
    references: new Map(questions.map((q) => [q.prompt, q.reference])),
  });
  try {
    const model = new BedrockJudgeModel({
      modelId: 'emulator/reference-overlap',
      client: createBedrockClient({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 8 }),
      promptCaching: false,
      structuredOutput: 'tool',
    });
    const started = performance.now();
    const run = await judgeSubmission({
      submissionId: 'bench',
      questions,
      answers,
      mode: 'pairwise-reference',
      model,
      concurrency: c.concurrency,
      // Paced just under the quota, as the README advises an organiser to configure it: evenly spaced
      // calls still arrive with a few milliseconds of jitter at a quota enforced second by second.
      ...(c.pacing
        ? { rateLimiter: new RateLimiter({ requestsPerMinute: 0.95 * c.requestsPerMinute }) }
        : {}),
      flaggedPolicy: 'judge-and-flag',
      nonce: () => randomBytes(12).toString('hex'),
    });
    const minutes = (performance.now() - started) / 60_000;
    const made = run.stats.judged + run.stats.failed;
    const bound = Math.min(c.requestsPerMinute, (c.concurrency / c.latencyMs) * 60_000);
    const achieved = made / minutes;
    const usage = run.stats.usage;
    return {
      ...c,
      boundPerMinute: bound,
      achievedPerMinute: achieved,
      fraction: achieved / bound,
      throttled: emulator.stats().throttled,
      tokensPerJudgment:
        (usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens) / made,
    };
  } finally {
    await emulator.close();
  }
}
