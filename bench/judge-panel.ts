/**
 * Judge-panel throughput against the Converse emulator: tasks (combined judgments) a second made by
 * one judge and by a panel of two, measured side by side in one run. Each judge has its own emulator
 * (its own endpoint and latency, as two models have their own quotas) and its own concurrency limit,
 * so a two-judge panel should keep close to the one-judge rate in tasks while making twice the calls.
 * Not wired into bench/run.ts yet: call measureJudgePanel() and print its rows.
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
  readonly tasks: number;
  readonly calls: number;
  readonly latencyMs: number;
  readonly concurrencyPerJudge: number;
  readonly tasksPerSecond: number;
  readonly callsPerSecond: number;
}

export async function measureJudgePanel(
  options: { questions?: number; latencyMs?: number; concurrency?: number } = {},
): Promise<PanelThroughputRow[]> {
  const n = options.questions ?? 200;
  const latencyMs = options.latencyMs ?? 20;
  const concurrency = options.concurrency ?? 8;
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
    const rows: PanelThroughputRow[] = [];
    for (const size of [1, 2]) {
      const panel: JudgePanel = { rule: 'median', judges: judges.slice(0, size) };
      const first = judges[0];
      if (!first) throw new Error('no judge');
      const started = performance.now();
      const run = await judgeSubmission({
        submissionId: 'bench',
        questions,
        answers,
        mode: 'pairwise-reference',
        model: first.model,
        concurrency,
        ...(size > 1 ? { panel } : {}),
        flaggedPolicy: 'judge-and-flag',
        nonce: () => randomBytes(12).toString('hex'),
      });
      const seconds = (performance.now() - started) / 1000;
      const tasks = run.judgments.length;
      rows.push({
        judges: size,
        tasks,
        calls: tasks * size,
        latencyMs,
        concurrencyPerJudge: concurrency,
        tasksPerSecond: tasks / seconds,
        callsPerSecond: (tasks * size) / seconds,
      });
    }
    return rows;
  } finally {
    for (const e of emulators) await e.close();
  }
}
