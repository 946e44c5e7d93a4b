import type { LeagueConfig } from '../../shared/config/league-config.js';
import { Judgment } from '../../shared/contracts/judgment.js';
import { Question } from '../../shared/contracts/question-set.js';
import { ResultRecord } from '../../shared/contracts/results.js';
import { JsonlError, parseJsonl } from '../../shared/jsonl/parse-jsonl.js';
import { logger } from '../../shared/lambda/logger.js';
import { readJson, updateJson } from '../../shared/storage/json-object.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { checkCoverage, describeCoverage } from '../judging/coverage.js';
import { DEFAULT_CRITERIA } from '../judging/default-criteria.js';
import type { JudgeModel } from '../judging/judge-model.js';
import {
  type JudgePanel,
  type JudgeRunStats,
  judgeSubmission,
  taskKey,
} from '../judging/judge-submission.js';
import type { RateLimiter } from '../judging/rate-limiter.js';
import { summariseJudgments } from '../judging/summarise.js';
import { fetchResults, ResultsRejected } from './fetch-results.js';
import type { Clock, LeaderboardRecorder } from './ports.js';
import { EvaluationRecord, type EvaluationSummary, keys } from './records.js';

export interface RunDeps {
  readonly config: LeagueConfig;
  readonly store: ObjectStore;
  readonly judge: JudgeModel;
  /** A panel of two or more judges (judgePanelFromSettings); when set, `judge` and `rateLimiter` are not used. */
  readonly panel?: JudgePanel;
  readonly rateLimiter?: RateLimiter;
  readonly recorder: LeaderboardRecorder;
  readonly now: Clock;
  readonly nonce: () => string;
  /** Injected for tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

/** Judge calls that failed at the provider are retried with the whole message, until its last delivery. */
export class JudgeUnavailable extends Error {
  override readonly name = 'JudgeUnavailable';
}

/**
 * The judge orchestrator's use case for one queued evaluation: fetch the team's results safely,
 * check they answer exactly the official questions, judge them (resuming from checkpointed
 * judgments), then hand the evaluation to the leaderboard. Status goes queued → running →
 * completed | failed, a failure always with a reason the team can act on.
 */
export async function runEvaluation(
  message: { team: string; submissionId: string; delivery: number; maxDeliveries: number },
  deps: RunDeps,
): Promise<EvaluationRecord['status'] | 'missing'> {
  const { team, submissionId } = message;
  const key = keys.evaluation(team, submissionId);
  const found = await readJson(deps.store, key, EvaluationRecord);
  if (!found) {
    logger.warn('queued evaluation not found', { team, submissionId });
    return 'missing';
  }
  if (found.value.status === 'failed') return 'failed';
  if (found.value.status === 'completed') {
    // Judged before but perhaps not recorded (the recorder failed): recording is idempotent.
    await deps.recorder.record({ team, submissionId });
    return 'completed';
  }
  await setStatus(deps, key, { status: 'running' });
  const evaluation = found.value;
  const registration = deps.config.teams.find((t) => t.teamId === team);
  if (!registration) return fail(deps, key, 'the team is no longer registered in this league');

  let bytes: Uint8Array;
  try {
    bytes = await fetchResults(
      evaluation.resultsUrl,
      { bucket: registration.resultsBucket, region: registration.region },
      {
        maxBytes: deps.config.resultsMaxBytes,
        timeoutMs: 30_000,
        expectedSha256: evaluation.resultsSha256,
        ...(deps.config.localResultsHost ? { localHost: deps.config.localResultsHost } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      },
    );
  } catch (error) {
    if (error instanceof ResultsRejected)
      return fail(deps, key, `results not accepted: ${error.message}`, { code: error.code });
    throw error;
  }
  await deps.store.put(keys.results(team, submissionId), bytes, { contentType: 'application/x-ndjson' });

  const results: ResultRecord[] = [];
  try {
    for await (const record of parseJsonl([bytes], ResultRecord)) results.push(record);
  } catch (error) {
    if (error instanceof JsonlError)
      return fail(deps, key, `results line ${error.line}: ${error.reason}`, {
        line: error.line,
        code: error.code,
      });
    throw error;
  }
  const questions = await loadQuestionSet(deps.store, evaluation.questionSetId);
  const coverage = checkCoverage(
    questions.map((q) => q.id),
    results.map((r) => r.id),
  );
  if (!coverage.ok) {
    return fail(deps, key, `the results do not answer the question set: ${describeCoverage(coverage)}`, {
      missing: coverage.missing,
      unexpected: coverage.unexpected,
      duplicated: coverage.duplicated,
    });
  }

  const done = await loadCheckpoints(deps.store, team, submissionId);
  const mode = deps.config.judge.mode;
  const criteria = mode === 'rubric' ? (deps.config.criteria ?? [...DEFAULT_CRITERIA]) : undefined;
  const run = await judgeSubmission({
    submissionId,
    questions,
    answers: new Map(results.map((r) => [r.id, r])),
    mode,
    ...(criteria ? { criteria } : {}),
    model: deps.judge,
    concurrency: deps.config.judge.concurrency,
    ...(deps.rateLimiter ? { rateLimiter: deps.rateLimiter } : {}),
    flaggedPolicy: deps.config.judge.flaggedPolicy,
    ...(deps.panel ? { panel: deps.panel } : {}),
    alreadyJudged: new Set(done.map((j) => taskKey(j.questionId, j.order))),
    nonce: deps.nonce,
    // A judgment that failed at the provider is not checkpointed, so a later delivery judges it again.
    onJudgment: async (judgment) => {
      if (isProviderFailure(judgment)) return;
      await deps.store.put(
        keys.judgment(team, submissionId, taskKey(judgment.questionId, judgment.order)),
        JSON.stringify(judgment),
        {
          contentType: 'application/json',
        },
      );
    },
  });
  const providerFailures = run.judgments.filter(isProviderFailure).length;
  if (providerFailures > 0 && message.delivery < message.maxDeliveries) {
    throw new JudgeUnavailable(
      `${providerFailures} judge call(s) failed at the provider; retrying the evaluation later`,
    );
  }

  const all = [...done, ...run.judgments];
  const publicIds = new Set(questions.filter((q) => q.split === 'public').map((q) => q.id));
  const publicJudgments = all.filter((j) => publicIds.has(j.questionId));
  const summary = summarise(publicJudgments, run.stats, deps.config, criteria);
  await setStatus(deps, key, { status: 'completed', summary });
  await deps.recorder.record({ team, submissionId });
  return 'completed';
}

function isProviderFailure(judgment: Judgment): boolean {
  return judgment.error?.startsWith('judge call failed') ?? false;
}

export async function loadQuestionSet(store: ObjectStore, questionSetId: string): Promise<Question[]> {
  const object = await store.get(keys.questionSet(questionSetId));
  if (!object) throw new Error(`question set ${questionSetId} is not in the state bucket`);
  const questions: Question[] = [];
  for await (const question of parseJsonl([object.body], Question)) questions.push(question);
  return questions;
}

export async function loadCheckpoints(
  store: ObjectStore,
  team: string,
  submissionId: string,
): Promise<Judgment[]> {
  const judgments: Judgment[] = [];
  for (const key of await store.list(keys.judgmentsOf(team, submissionId))) {
    const found = await readJson(store, key, Judgment);
    if (found) judgments.push(found.value);
  }
  return judgments;
}

function summarise(
  judgments: Judgment[],
  stats: JudgeRunStats,
  config: LeagueConfig,
  criteria: RunCriteria,
): EvaluationSummary {
  const summary = summariseJudgments(judgments, stats, {
    mode: config.judge.mode,
    judgeModel: config.judge.modelId,
    ...(criteria ? { criteria } : {}),
    ...(config.judge.prices[config.judge.modelId]
      ? { price: config.judge.prices[config.judge.modelId] }
      : {}),
    rounds: config.numBootstrap,
    seed: 0,
    panelRule: config.judge.panelRule,
  });
  return {
    score: summary.score,
    ciLow: summary.ciLow,
    ciHigh: summary.ciHigh,
    nQuestions: summary.nQuestions,
    swapConsistency: summary.swapConsistency,
    criteria: summary.criteria,
    judgments: summary.judgments,
    failed: summary.failed,
    retries: summary.retries,
    countedAsLoss: summary.countedAsLoss,
    flaggedQuestions: summary.flaggedQuestions.length,
    tokens: {
      input: summary.tokens.input,
      output: summary.tokens.output,
      cacheRead: summary.tokens.cacheRead,
      cacheWrite: summary.tokens.cacheWrite,
    },
    costUsd: summary.costUsd,
    ...(summary.panel ? { panel: summary.panel } : {}),
  };
}

type RunCriteria = Parameters<typeof summariseJudgments>[2]['criteria'];

async function setStatus(
  deps: RunDeps,
  key: string,
  change: Pick<EvaluationRecord, 'status'> &
    Partial<Pick<EvaluationRecord, 'reason' | 'details' | 'summary'>>,
): Promise<void> {
  await updateJson(deps.store, key, EvaluationRecord, (current) => {
    if (!current) return { result: undefined };
    return { value: { ...current, ...change, updatedAt: deps.now().toISOString() }, result: undefined };
  });
}

async function fail(
  deps: RunDeps,
  key: string,
  reason: string,
  details?: Record<string, unknown>,
): Promise<'failed'> {
  logger.info('evaluation failed', { key, reason });
  await setStatus(deps, key, { status: 'failed', reason, ...(details ? { details } : {}) });
  return 'failed';
}
