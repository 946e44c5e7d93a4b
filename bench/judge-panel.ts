/**
 * Judge-panel throughput against the Converse emulator: tasks (combined judgments) a second made by
 * one judge and by a panel of two, measured side by side in one run. Each judge has its own emulator
 * (its own endpoint and latency, as two models have their own quotas) and its own concurrency limit,
 * so a two-judge panel should keep close to the one-judge rate in tasks while making twice the calls.
 *
 * Both emulators run in this process, so the rate is bound either by the latency (C / L tasks a
 * second) or by this process's one thread (the SDK client, the judging code and both emulators).
 * Every run is preceded by a warm-up of both judges, single and panel runs alternate in order, and
 * each reports the median of `repeats` runs. Calls are counted by the emulators, retries included.
 */
import { randomBytes } from 'node:crypto';
import { type JudgePanel, judgeSubmission } from '../leaderboard-account/judging/judge-submission.js';
import {
  BedrockJudgeModel,
  createBedrockClient,
} from '../leaderboard-account/judging/providers/bedrock-judge-model.js';
import { type RunningEmulator, startBedrockEmulator } from '../scripts/emulators/bedrock-converse/index.js';
import type { Question } from '../shared/contracts/question-set.js';
import type { ResultRecord } from '../shared/contracts/results.js';

export interface PanelThroughputRow {
  readonly judges: number;
  /** Tasks a run (two per question): each one combined judgment. */
  readonly tasks: number;
  /** Judge calls a run, as counted by the emulators (median run). */
  readonly calls: number;
  /** Tasks whose every judge call failed (median run). */
  readonly failed: number;
  readonly latencyMs: number;
  readonly concurrencyPerJudge: number;
  /** C / L: the most tasks a second the latency allows (each judge makes one call a task). */
  readonly boundTasksPerSecond: number;
  /** Median over the repeats. */
  readonly tasksPerSecond: number;
  readonly callsPerSecond: number;
  readonly repeats: number;
}

export interface PanelComparison {
  readonly single: PanelThroughputRow;
  readonly panel: PanelThroughputRow;
  /** Panel tasks a second ÷ one judge's, measured in the same run (1.0 = the panel costs no throughput). */
  readonly taskRatio: number;
}

export interface PanelOptions {
  /** Questions a run (two tasks each). Default 200. */
  readonly questions?: number;
  readonly latencyMs?: number;
  readonly concurrency?: number;
  /** Runs of each, alternating which goes first. Default 3. */
  readonly repeats?: number;
}

interface RunResult {
  readonly seconds: number;
  readonly tasks: number;
  readonly calls: number;
  readonly failed: number;
}

function makeSubmission(n: number): {
  questions: Question[];
  answers: Map<string, ResultRecord>;
  references: Map<string, string>;
} {
  const questions: Question[] = Array.from({ length: n }, (_, k) => ({
    id: `q${k}`,
    prompt: `Explain topic ${k} in two sentences.`,
    category: 'general',
    reference: `Topic ${k} is about energy, matter and the forces between them, observed in everyday examples.`,
    split: 'public',
  }));
  const answers = new Map<string, ResultRecord>(
    questions.map((q) => [
      q.id,
      { id: q.id, prompt: q.prompt, response: `${q.reference} It matters.`, model: 't/m' },
    ]),
  );
  const references = new Map(questions.map((q) => [q.prompt, q.reference]));
  return { questions, answers, references };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export async function measureJudgePanel(options: PanelOptions = {}): Promise<PanelComparison> {
  const n = options.questions ?? 200;
  const latencyMs = options.latencyMs ?? 20;
  const concurrency = options.concurrency ?? 8;
  const repeats = Math.max(1, options.repeats ?? 3);
  const measured = makeSubmission(n);
  const warmUp = makeSubmission(Math.min(n, 32));
  // Every question text either run uses, so both emulators know every reference.
  const references = new Map([...warmUp.references, ...measured.references]);
  const emulators: RunningEmulator[] = [];
  try {
    for (const seed of [1, 2]) emulators.push(await startBedrockEmulator({ seed, latencyMs, references }));
    const judges = emulators.map((e, k) => ({
      name: `judge-${k + 1}`,
      model: new BedrockJudgeModel({
        modelId: 'emulator/reference-overlap',
        client: createBedrockClient({ region: 'us-east-1', endpoint: e.url, maxAttempts: 3 }),
        promptCaching: false,
        structuredOutput: 'tool' as const,
      }),
      concurrency,
    }));
    const [first, second] = judges;
    if (!first || !second) throw new Error('two judges expected');
    const requests = (): number => emulators.reduce((sum, e) => sum + e.stats().requests, 0);

    const run = async (
      submission: ReturnType<typeof makeSubmission>,
      size: 1 | 2,
      alone = first,
    ): Promise<RunResult> => {
      const panel: JudgePanel = { rule: 'median', judges: [first, second] };
      const callsBefore = requests();
      const started = performance.now();
      const outcome = await judgeSubmission({
        submissionId: 'bench',
        questions: submission.questions,
        answers: submission.answers,
        mode: 'pairwise-reference',
        model: alone.model,
        concurrency,
        ...(size === 2 ? { panel } : {}),
        flaggedPolicy: 'judge-and-flag',
        nonce: () => randomBytes(12).toString('hex'),
      });
      const seconds = (performance.now() - started) / 1000;
      return {
        seconds,
        tasks: outcome.judgments.length,
        calls: requests() - callsBefore,
        failed: outcome.stats.failed,
      };
    };

    // Warm-up: open both judges' connections and compile the code paths before any timed run.
    await run(warmUp, 1, first);
    await run(warmUp, 1, second);
    await run(warmUp, 2);

    const results: Record<1 | 2, RunResult[]> = { 1: [], 2: [] };
    for (let r = 0; r < repeats; r++) {
      const order: (1 | 2)[] = r % 2 === 0 ? [1, 2] : [2, 1];
      for (const size of order) results[size].push(await run(measured, size));
    }
    const row = (size: 1 | 2): PanelThroughputRow => {
      const runs = results[size];
      const rates = runs.map((x) => x.tasks / x.seconds);
      const mid = median(rates);
      // The run whose rate is the median (for an even count, the nearer one) gives the counts.
      const typical = runs.reduce((best, x) =>
        Math.abs(x.tasks / x.seconds - mid) < Math.abs(best.tasks / best.seconds - mid) ? x : best,
      );
      return {
        judges: size,
        tasks: typical.tasks,
        calls: typical.calls,
        failed: typical.failed,
        latencyMs,
        concurrencyPerJudge: concurrency,
        boundTasksPerSecond: (concurrency / latencyMs) * 1000,
        tasksPerSecond: mid,
        callsPerSecond: median(runs.map((x) => x.calls / x.seconds)),
        repeats,
      };
    };
    const single = row(1);
    const panel = row(2);
    return { single, panel, taskRatio: panel.tasksPerSecond / single.tasksPerSecond };
  } finally {
    for (const e of emulators) await e.close();
  }
}
