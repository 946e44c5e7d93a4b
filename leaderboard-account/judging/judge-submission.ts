import pLimit from 'p-limit';
import type { Criterion } from '../../shared/contracts/judge-criteria.js';
import type {
  AnswerFlag,
  FlaggedAnswerPolicy,
  JudgeOrder,
  Judgment,
  PanelRule,
  PanelVerdict,
  Verdict,
} from '../../shared/contracts/judgment.js';
import type { Question } from '../../shared/contracts/question-set.js';
import type { ResultRecord } from '../../shared/contracts/results.js';
import { detectSuspiciousAnswer, findRepeatedAnswers } from './injection-detector.js';
import {
  addUsage,
  type JudgeCall,
  type JudgeModel,
  JudgeModelError,
  type JudgeReply,
  NO_USAGE,
  type TokenUsage,
} from './judge-model.js';
import { combineScores, combineVerdicts } from './panel.js';
import {
  buildPairwiseCall,
  buildRubricCall,
  PAIRWISE_PROMPT_VERSION,
  RUBRIC_PROMPT_VERSION,
} from './prompts.js';
import { estimateTokens, type RateLimiter } from './rate-limiter.js';
import { readScores, readVerdict } from './read-reply.js';

/**
 * Judging one submission: every official question, in both orders (pairwise) or once (rubric), with
 * a bounded number of calls in flight. Every task ends as a judgment, successful or explicitly
 * failed with its reason and the judge's raw reply: none is dropped, none is defaulted to a score.
 */
export type JudgeMode = 'pairwise-reference' | 'rubric';

export interface JudgeSubmissionInput {
  readonly submissionId: string;
  readonly questions: readonly Question[];
  /** The team's answers by question id (coverage checked beforehand). */
  readonly answers: ReadonlyMap<string, ResultRecord>;
  readonly mode: JudgeMode;
  readonly criteria?: readonly Criterion[];
  readonly model: JudgeModel;
  readonly concurrency: number;
  readonly rateLimiter?: RateLimiter;
  readonly flaggedPolicy: FlaggedAnswerPolicy;
  /**
   * A panel of two or more judges, each with its own model, calls in flight and quota pacing; when
   * set, `model`, `concurrency` and `rateLimiter` above are not used. Each task asks every judge and
   * stores one judgment with every judge's verdict in `panel` and the combined verdict (panel.ts).
   * A panel task is one checkpoint, so a redelivery that skips it re-calls none of its judges.
   */
  readonly panel?: JudgePanel;
  /** Tasks already judged (from a checkpoint), by {@link taskKey}: they are not judged again. */
  readonly alreadyJudged?: ReadonlySet<string>;
  /** Called as each judgment is made, e.g. to checkpoint it. A rejection stops the run. */
  readonly onJudgment?: (judgment: Judgment) => void | Promise<void>;
  readonly onProgress?: (done: number, total: number) => void;
  /** A fresh random token for each call's envelopes. */
  readonly nonce: () => string;
}

export interface JudgeRunStats {
  readonly tasks: number;
  readonly skipped: number;
  readonly judged: number;
  readonly failed: number;
  /** Provider calls beyond the first for each task: transport retries plus re-asks after an unusable reply. */
  readonly retries: number;
  /** Re-asks after an unusable reply. */
  readonly reasks: number;
  readonly countedAsLoss: number;
  readonly usage: TokenUsage;
}

export interface JudgeRunOutcome {
  readonly judgments: Judgment[];
  readonly stats: JudgeRunStats;
  /** Flags per question id, for the organiser's view. */
  readonly flags: ReadonlyMap<string, AnswerFlag[]>;
}

export interface PanelJudge {
  readonly name: string;
  readonly model: JudgeModel;
  readonly concurrency: number;
  readonly rateLimiter?: RateLimiter;
}

export interface JudgePanel {
  readonly rule: PanelRule;
  readonly judges: readonly PanelJudge[];
}

/** The `judgeModel` a panel's combined judgments carry, e.g. `panel(median): m1 + m2`. */
export function panelLabel(panel: JudgePanel): string {
  return `panel(${panel.rule}): ${panel.judges.map((j) => j.name).join(' + ')}`;
}

export function taskKey(questionId: string, order: JudgeOrder): string {
  return `${questionId}/${order}`;
}

interface Task {
  readonly question: Question;
  readonly answer: ResultRecord;
  readonly order: JudgeOrder;
  readonly flags: AnswerFlag[];
}

export async function judgeSubmission(input: JudgeSubmissionInput): Promise<JudgeRunOutcome> {
  if (input.mode === 'rubric' && (!input.criteria || input.criteria.length === 0)) {
    throw new RangeError('rubric judging needs the judge criteria');
  }
  const flags = flagAnswers(input.questions, input.answers);
  const orders: JudgeOrder[] = input.mode === 'rubric' ? ['single'] : ['candidate-first', 'reference-first'];
  const tasks: Task[] = [];
  let skipped = 0;
  for (const question of input.questions) {
    const answer = input.answers.get(question.id);
    if (!answer) throw new RangeError(`no answer for question ${question.id}; check coverage before judging`);
    for (const order of orders) {
      if (input.alreadyJudged?.has(taskKey(question.id, order))) skipped += 1;
      else tasks.push({ question, answer, order, flags: flags.get(question.id) ?? [] });
    }
  }

  const panel = input.panel && input.panel.judges.length > 1 ? input.panel : undefined;
  const judgeLimits = panel?.judges.map((j) => pLimit(Math.max(1, j.concurrency)));
  // Tasks in flight: enough to keep every judge busy, few enough that a fast judge cannot run far
  // ahead of a slow one (its verdicts wait, unsaved, for the task's other judges).
  const limit = pLimit(
    Math.max(1, panel ? panel.judges.reduce((sum, j) => sum + j.concurrency, 0) : input.concurrency),
  );
  const judgments: Judgment[] = [];
  const counters = { failed: 0, retries: 0, reasks: 0, countedAsLoss: 0, usage: NO_USAGE };
  let done = 0;
  const total = tasks.length;
  // An unexpected error (not a judge failure) stops the run: no new calls start, the calls in flight
  // finish (their judgments are reported), then the error is thrown.
  let fatal: { error: unknown } | undefined;
  await Promise.allSettled(
    tasks.map((task) =>
      limit(async () => {
        if (fatal) return;
        let judgment: Judgment;
        try {
          judgment =
            panel && judgeLimits
              ? await judgePanelTask(task, input, counters, panel, judgeLimits)
              : await judgeTask(task, input, counters, input.model, input.rateLimiter);
        } catch (error) {
          fatal ??= { error };
          return;
        }
        judgments.push(judgment);
        counters.usage = addUsage(counters.usage, {
          inputTokens: judgment.inputTokens,
          outputTokens: judgment.outputTokens,
          cacheReadTokens: judgment.cacheReadTokens,
          cacheWriteTokens: judgment.cacheWriteTokens,
        });
        if (judgment.error) counters.failed += 1;
        try {
          await input.onJudgment?.(judgment);
        } catch (error) {
          fatal ??= { error };
          return;
        }
        done += 1;
        input.onProgress?.(done, total);
      }),
    ),
  );
  if (fatal) throw fatal.error;
  judgments.sort((a, b) =>
    a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : a.order < b.order ? -1 : 1,
  );
  return {
    judgments,
    flags,
    stats: {
      tasks: tasks.length + skipped,
      skipped,
      judged: judgments.length - counters.failed,
      failed: counters.failed,
      retries: counters.retries,
      reasks: counters.reasks,
      countedAsLoss: counters.countedAsLoss,
      usage: counters.usage,
    },
  };
}

/** The detector's flags per question, plus `repeated-answer` across the submission. */
export function flagAnswers(
  questions: readonly Question[],
  answers: ReadonlyMap<string, ResultRecord>,
): Map<string, AnswerFlag[]> {
  const texts = new Map<string, string>();
  for (const [id, record] of answers) texts.set(id, record.response);
  const repeated = findRepeatedAnswers(texts);
  const flags = new Map<string, AnswerFlag[]>();
  for (const question of questions) {
    const answer = answers.get(question.id);
    if (!answer) continue;
    const found = detectSuspiciousAnswer(answer.response, {
      question: question.prompt,
      reference: question.reference,
    });
    const repeat = repeated.get(question.id);
    if (repeat) found.push(repeat);
    if (found.length > 0) flags.set(question.id, found);
  }
  return flags;
}

interface Counters {
  failed: number;
  retries: number;
  reasks: number;
  countedAsLoss: number;
  usage: TokenUsage;
}

/**
 * A panel task: the loss rule first (no judge is asked for an unanswered or count-as-loss answer),
 * then every judge, each through its own concurrency limit and pacing, combined by the panel rule.
 * A failed judge is left out; when every judge failed the judgment fails with each one's reason
 * (`judge call failed…` when any failed at the provider, so the evaluation is retried as today).
 */
async function judgePanelTask(
  task: Task,
  input: JudgeSubmissionInput,
  counters: Counters,
  panel: JudgePanel,
  limits: readonly ReturnType<typeof pLimit>[],
): Promise<Judgment> {
  const label = panelLabel(panel);
  const first = panel.judges[0];
  if (!first) throw new RangeError('a judge panel needs judges');
  const loss = lossJudgment(task, input, counters, label);
  if (loss) return loss;
  const results = await Promise.all(
    panel.judges.map((judge, k) =>
      (limits[k] ?? pLimit(1))(() => judgeTask(task, input, counters, judge.model, judge.rateLimiter)),
    ),
  );
  const entries: PanelVerdict[] = results.map((r, k) => ({
    judge: panel.judges[k]?.name ?? r.judgeModel,
    judgeModel: r.judgeModel,
    ...(r.verdict ? { verdict: r.verdict } : {}),
    ...(r.scores ? { scores: r.scores } : {}),
    rationale: r.rationale,
    ...(r.error ? { error: r.error } : {}),
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    attempts: r.attempts,
  }));
  const ok = results.filter((r) => !r.error);
  const usage = results.reduce<TokenUsage>(
    (sum, r) =>
      addUsage(sum, {
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        cacheReadTokens: r.cacheReadTokens,
        cacheWriteTokens: r.cacheWriteTokens,
      }),
    NO_USAGE,
  );
  const base = {
    ...(results[0] as Judgment),
    judgeModel: label,
    ...tokens(usage),
    attempts: results.reduce((sum, r) => sum + r.attempts, 0),
    panel: entries,
    panelRule: panel.rule,
  };
  delete base.verdict;
  delete base.scores;
  delete base.error;
  if (ok.length === 0) {
    const atProvider = results.some((r) => r.error?.startsWith('judge call failed'));
    const reasons = entries.map((e) => `${e.judge}: ${e.error ?? ''}`).join('; ');
    return {
      ...base,
      rationale: '',
      error: atProvider
        ? `judge call failed for every panel judge: ${reasons}`
        : `unusable judge reply from every panel judge: ${reasons}`,
    };
  }
  const described = entries
    .map((e) => `${e.judge} ${e.verdict ?? (e.scores ? 'scored' : 'failed')}`)
    .join(', ');
  if (input.mode === 'rubric') {
    const scores = combineScores(
      ok.flatMap((r) => (r.scores ? [r.scores] : [])),
      panel.rule,
    );
    return { ...base, ...(scores ? { scores } : {}), rationale: `Panel ${panel.rule} of ${described}.` };
  }
  const verdict =
    task.order === 'single'
      ? undefined
      : combineVerdicts(
          ok.flatMap((r) => (r.verdict ? [r.verdict] : [])),
          task.order,
          panel.rule,
        );
  return {
    ...base,
    ...(verdict ? { verdict } : {}),
    rationale: `Panel ${panel.rule} of ${described}: ${verdict ?? 'no verdict'}.`,
  };
}

/** The judgment of an answer that is counted as a loss without asking a judge, if it is one. */
function lossJudgment(
  task: Task,
  input: JudgeSubmissionInput,
  counters: Counters,
  judgeModel: string,
): Judgment | undefined {
  const unanswered = task.answer.error !== undefined || task.answer.response.trim() === '';
  if (!unanswered && !(task.flags.length > 0 && input.flaggedPolicy === 'count-as-loss')) return undefined;
  counters.countedAsLoss += 1;
  const why = unanswered
    ? `No answer to judge${task.answer.error ? ` (the team's inference failed: ${task.answer.error})` : ''}: counted as a loss.`
    : `Flagged (${task.flags.map((f) => f.code).join(', ')}) and the league counts flagged answers as losses: not sent to the judge.`;
  return {
    submissionId: input.submissionId,
    questionId: task.question.id,
    mode: input.mode,
    order: task.order,
    judgeModel,
    promptVersion: input.mode === 'rubric' ? RUBRIC_PROMPT_VERSION : PAIRWISE_PROMPT_VERSION,
    flags: task.flags,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    attempts: 0,
    ...lossOutcome(input, task.order),
    rationale: why,
  };
}

async function judgeTask(
  task: Task,
  input: JudgeSubmissionInput,
  counters: Counters,
  model: JudgeModel,
  rateLimiter: RateLimiter | undefined,
): Promise<Judgment> {
  const base = {
    submissionId: input.submissionId,
    questionId: task.question.id,
    mode: input.mode,
    order: task.order,
    judgeModel: model.modelId,
    promptVersion: input.mode === 'rubric' ? RUBRIC_PROMPT_VERSION : PAIRWISE_PROMPT_VERSION,
    flags: task.flags,
  } as const;
  const loss = lossJudgment(task, input, counters, model.modelId);
  if (loss) return loss;

  let usage = NO_USAGE;
  let attempts = 0;
  let lastProblem = '';
  let lastRaw = '';
  // One re-ask after an unusable reply, with a fresh nonce; then the judgment is recorded as failed.
  for (let ask = 0; ask < 2; ask++) {
    if (ask > 0) counters.reasks += 1;
    const call = buildCall(task, input);
    let reply: JudgeReply;
    try {
      await rateLimiter?.acquire(
        estimateTokens(call.system, call.staticPrefix, call.content) + call.maxTokens,
      );
      reply = await model.complete(call);
    } catch (error) {
      const failure = error instanceof JudgeModelError ? error : undefined;
      attempts += failure?.attempts ?? 1;
      counters.retries += Math.max(0, attempts - 1);
      if (!failure) throw error; // a bug or a misconfiguration, not a judge failure: stop the run
      return {
        ...base,
        ...tokens(usage),
        attempts,
        rationale: lastRaw,
        error: `judge call failed after ${failure.attempts} attempt(s): ${failure.code}: ${failure.message}`,
      };
    }
    attempts += reply.attempts;
    usage = addUsage(usage, reply.usage);
    lastRaw = reply.toolInput !== undefined ? JSON.stringify(reply.toolInput) : reply.text;
    if (input.mode === 'rubric') {
      const read = readScores(reply, input.criteria ?? []);
      if (read.ok) {
        counters.retries += attempts - 1;
        return { ...base, ...tokens(usage), attempts, scores: read.value, rationale: read.rationale };
      }
      lastProblem = read.reason;
    } else {
      const read = readVerdict(reply);
      if (read.ok) {
        counters.retries += attempts - 1;
        return { ...base, ...tokens(usage), attempts, verdict: read.value, rationale: read.rationale };
      }
      lastProblem = read.reason;
    }
  }
  counters.retries += attempts - 1;
  return {
    ...base,
    ...tokens(usage),
    attempts,
    rationale: lastRaw,
    error: `unusable judge reply: ${lastProblem}`,
  };
}

function buildCall(task: Task, input: JudgeSubmissionInput): JudgeCall {
  const nonce = input.nonce();
  if (input.mode === 'rubric') {
    return buildRubricCall({
      question: task.question.prompt,
      reference: task.question.reference,
      answer: task.answer.response,
      nonce,
      criteria: input.criteria ?? [],
    });
  }
  const candidateFirst = task.order === 'candidate-first';
  return buildPairwiseCall({
    question: task.question.prompt,
    answerA: candidateFirst ? task.answer.response : task.question.reference,
    answerB: candidateFirst ? task.question.reference : task.answer.response,
    nonce,
  });
}

/** A strong loss for the candidate in the task's order, or the lowest score on every criterion. */
function lossOutcome(
  input: JudgeSubmissionInput,
  order: JudgeOrder,
): { verdict: Verdict } | { scores: Record<string, number> } {
  if (input.mode === 'rubric')
    return { scores: Object.fromEntries((input.criteria ?? []).map((c) => [c.name, 1])) };
  return { verdict: order === 'candidate-first' ? 'B>>A' : 'A>>B' };
}

function tokens(usage: TokenUsage) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
  };
}
