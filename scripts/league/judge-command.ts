import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  judgeModelFromSettings,
  judgePanelFromSettings,
} from '../../leaderboard-account/adapters/judge-model-from-config.js';
import { checkCoverage, describeCoverage } from '../../leaderboard-account/judging/coverage.js';
import { DEFAULT_CRITERIA } from '../../leaderboard-account/judging/default-criteria.js';
import { JudgeSettings, resolvePanel } from '../../leaderboard-account/judging/judge-settings.js';
import { judgeSubmission } from '../../leaderboard-account/judging/judge-submission.js';
import { RateLimiter } from '../../leaderboard-account/judging/rate-limiter.js';
import { type JudgeSummary, summariseJudgments } from '../../leaderboard-account/judging/summarise.js';
import { expandBattles, gamesToBattles } from '../../leaderboard-account/ranking/win-rate.js';
import { JudgeCriteria } from '../../shared/contracts/judge-criteria.js';
import { Question } from '../../shared/contracts/question-set.js';
import { ResultRecord } from '../../shared/contracts/results.js';
import { describeZodError } from '../../shared/jsonl/parse-jsonl.js';
import { startBedrockEmulator } from '../emulators/bedrock-converse/index.js';
import { UsageError } from './errors.js';
import { Progress } from './progress.js';
import type { CommandIo } from './rank-command.js';
import { readJsonlFile } from './read-jsonl-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const JUDGE_USAGE = `usage: league judge --questions Q.jsonl --results R.jsonl [options]

Judges a results file against the question set's reference answers and writes
judgments.jsonl, battles.jsonl and summary.json.

  --mode M              pairwise-reference (default) or rubric
  --criteria C.json     the rubric ({"criteria": [{"name", "weight", "guidance"}]}); default
                        accuracy 0.4, coherence 0.3, relevance 0.3
  --provider P          emulator (default: a local, deterministic reference-overlap judge,
                        not an LLM), bedrock, or openai (Ollama, vLLM, ...)
  --model ID            judge model id (Bedrock model or inference profile id, or the server's model)
  --region R            Bedrock region (default us-east-1)
  --base-url URL        OpenAI-compatible server, e.g. http://127.0.0.1:11434 for Ollama
  --concurrency N       judge calls in flight (default 8)
  --rpm N, --tpm N      your quota in requests / tokens per minute: calls are paced under it
  --max-attempts N      attempts per call, retries on throttling included (default 8)
  --prompt-caching      put a cache point after the static prompt (Bedrock models that cache)
  --panel P.json        a judge panel: a JSON array of judges ({"name"?, "provider"?, "modelId"?,
                        "openaiBaseUrl"?, "concurrency"?, "requestsPerMinute"?, ...}; unset
                        fields take the flags above); verdicts combined by --panel-rule
  --panel-rule R        median (default) or mean of the judges' candidate scores
  --flagged-policy P    count-as-loss (default), exclude or judge-and-flag
  --submission-id ID    stored with every judgment (default: cli)
  --bootstrap N, --seed S   CI of the score (default 1000, 0)
  --out DIR             where to write the three files (default: print the summary only)
  --quiet               no progress bar
`;

export async function judgeCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      questions: { type: 'string' },
      results: { type: 'string' },
      mode: { type: 'string', default: 'pairwise-reference' },
      criteria: { type: 'string' },
      provider: { type: 'string', default: 'emulator' },
      model: { type: 'string' },
      region: { type: 'string' },
      'base-url': { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      'max-attempts': { type: 'string', default: '8' },
      'prompt-caching': { type: 'boolean', default: false },
      'flagged-policy': { type: 'string', default: 'count-as-loss' },
      panel: { type: 'string' },
      'panel-rule': { type: 'string', default: 'median' },
      'submission-id': { type: 'string', default: 'cli' },
      bootstrap: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(JUDGE_USAGE);
    return 0;
  }
  if (!values.questions || !values.results) throw new UsageError('--questions and --results are required');
  const parsedSettings = JudgeSettings.safeParse({
    provider: values.provider,
    mode: values.mode,
    ...(values.model
      ? { modelId: values.model }
      : values.provider === 'emulator'
        ? { modelId: 'emulator/reference-overlap' }
        : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values['base-url'] ? { openaiBaseUrl: values['base-url'] } : {}),
    concurrency: numberOption('--concurrency', values.concurrency),
    maxAttempts: numberOption('--max-attempts', values['max-attempts']),
    ...(values.rpm ? { requestsPerMinute: numberOption('--rpm', values.rpm) } : {}),
    ...(values.tpm ? { tokensPerMinute: numberOption('--tpm', values.tpm) } : {}),
    promptCaching: values['prompt-caching'],
    flaggedPolicy: values['flagged-policy'],
    ...(values.panel ? { panel: await readJsonFile(values.panel) } : {}),
    panelRule: values['panel-rule'],
  });
  if (!parsedSettings.success) throw new UsageError(describeZodError(parsedSettings.error));
  const settings = parsedSettings.data;
  if (settings.provider === 'openai' && !settings.openaiBaseUrl)
    throw new UsageError('--provider openai needs --base-url');
  if (settings.provider === 'openai' && !values.model) {
    throw new UsageError("--provider openai needs --model (the server's model name)");
  }
  if (values.criteria && settings.mode !== 'rubric')
    throw new UsageError('--criteria applies to --mode rubric only');
  const rounds = numberOption('--bootstrap', values.bootstrap);
  const seed = numberOption('--seed', values.seed);

  const questions = await readJsonlFile(values.questions, Question);
  const results = await readJsonlFile(values.results, ResultRecord);
  const coverage = checkCoverage(
    questions.map((q) => q.id),
    results.map((r) => r.id),
  );
  if (!coverage.ok)
    throw new UsageError(`${values.results} does not answer the question set: ${describeCoverage(coverage)}`);
  const criteria = settings.mode === 'rubric' ? await readCriteria(values.criteria) : undefined;

  let judges: ReturnType<typeof resolvePanel>;
  try {
    judges = resolvePanel(settings);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const emulator = judges.some((j) => j.provider === 'emulator')
    ? await startBedrockEmulator({ references: new Map(questions.map((q) => [q.prompt, q.reference])) })
    : undefined;
  try {
    const model = judgeModelFromSettings(settings, emulator ? { endpoint: emulator.url } : {});
    const limits = {
      requestsPerMinute: settings.requestsPerMinute,
      tokensPerMinute: settings.tokensPerMinute,
    };
    const panel =
      judges.length > 1
        ? judgePanelFromSettings(settings, emulator ? { endpoint: emulator.url } : {})
        : undefined;
    const progress = new Progress(io.stderr, !values.quiet);
    const outcome = await judgeSubmission({
      submissionId: values['submission-id'],
      questions,
      answers: new Map(results.map((r) => [r.id, r])),
      mode: settings.mode,
      ...(criteria ? { criteria } : {}),
      model,
      concurrency: settings.concurrency,
      ...(limits.requestsPerMinute || limits.tokensPerMinute ? { rateLimiter: new RateLimiter(limits) } : {}),
      flaggedPolicy: settings.flaggedPolicy,
      ...(panel ? { panel } : {}),
      nonce: () => randomBytes(12).toString('hex'),
      onProgress: (done, total) => progress.update(`judging: ${bar(done, total)} ${done}/${total}`),
    });
    progress.done();
    const summary = summariseJudgments(outcome.judgments, outcome.stats, {
      mode: settings.mode,
      judgeModel: settings.modelId,
      ...(criteria ? { criteria } : {}),
      ...(settings.prices[settings.modelId] ? { price: settings.prices[settings.modelId] } : {}),
      rounds,
      seed,
      panelRule: settings.panelRule,
    });
    io.stdout.write(renderSummary(summary));
    if (values.out) {
      const candidate = results[0]?.model ?? 'candidate';
      const battles =
        settings.mode === 'rubric'
          ? []
          : expandBattles(
              gamesToBattles(
                outcome.judgments.flatMap((j) =>
                  j.verdict && j.order !== 'single'
                    ? [{ questionId: j.questionId, order: j.order, verdict: j.verdict }]
                    : [],
                ),
                { candidate, reference: 'reference', judgeModel: settings.modelId },
              ),
            );
      await writeFileAtomic(join(values.out, 'judgments.jsonl'), toJsonl(outcome.judgments));
      await writeFileAtomic(join(values.out, 'battles.jsonl'), toJsonl(battles));
      await writeFileAtomic(join(values.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    }
    return 0;
  } finally {
    await emulator?.close();
  }
}

async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

async function readCriteria(path: string | undefined) {
  if (!path) return [...DEFAULT_CRITERIA];
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  const parsed = JudgeCriteria.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${path}: ${describeZodError(parsed.error)}`);
  return parsed.data.criteria;
}

export function renderSummary(summary: JudgeSummary): string {
  const percent = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  const lines: string[] = [];
  if (summary.mode === 'rubric') {
    lines.push(
      `rubric score: ${summary.score?.toFixed(2) ?? '-'} / 10 (95% CI ${summary.ciLow?.toFixed(2) ?? '-'}–${summary.ciHigh?.toFixed(2) ?? '-'}) over ${summary.nQuestions} questions`,
    );
    for (const [name, mean] of Object.entries(summary.criteria)) lines.push(`  ${name}: ${mean.toFixed(2)}`);
  } else {
    lines.push(
      `win rate vs reference: ${percent(summary.score)} (95% CI ${percent(summary.ciLow)}–${percent(summary.ciHigh)}) over ${summary.nQuestions} questions`,
    );
    lines.push(
      `swap consistency: ${percent(summary.swapConsistency)} of questions kept their verdict when positions swapped`,
    );
  }
  lines.push(
    `judgments: ${summary.judgments} (${summary.failed} failed, ${summary.countedAsLoss} counted as losses unjudged), retries: ${summary.retries} (re-asks after unusable replies: ${summary.reasks})`,
  );
  const flagged = Object.entries(summary.flags).map(([code, n]) => `${code} ×${n}`);
  lines.push(
    `flagged answers: ${summary.flaggedQuestions.length}${flagged.length ? ` (${flagged.join(', ')})` : ''}`,
  );
  const t = summary.tokens;
  lines.push(
    `tokens: ${t.input} in, ${t.output} out, ${t.cacheRead} cache read, ${t.cacheWrite} cache write (${t.perJudgment.toFixed(0)} per judgment); cost: ${summary.costUsd === null ? 'no price for this model' : `$${summary.costUsd.toFixed(4)}`}`,
  );
  for (const judge of summary.panel?.judges ?? [])
    lines.push(
      `  judge ${judge.judge}: ${judge.judgments - judge.failed} verdicts, ${judge.failed} failed, swap consistency ${percent(judge.swapConsistency)}`,
    );
  for (const pair of summary.panel?.agreement ?? [])
    lines.push(
      `  agreement ${pair.a} vs ${pair.b}: kappa ${pair.kappa === null ? '-' : pair.kappa.toFixed(3)} over ${pair.n} games (${percent(pair.observed)} the same outcome)`,
    );
  for (const failure of summary.failures.slice(0, 10))
    lines.push(`  failed ${failure.questionId} (${failure.order}): ${failure.error}`);
  return `${lines.join('\n')}\n`;
}

function toJsonl(records: readonly unknown[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

function bar(done: number, total: number): string {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function numberOption(name: string, text: string): number {
  const value = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${name} must be a number, got ${JSON.stringify(text)}`);
  return value;
}
