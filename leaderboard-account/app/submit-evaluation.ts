import type { LeagueConfig, TeamRegistration } from '../../shared/config/league-config.js';
import type { EvaluationRequest } from '../../shared/contracts/evaluation.js';
import { Conflict, Invalid, NotFound, TooManyRequests } from '../../shared/lambda/errors.js';
import { readJson, updateJson } from '../../shared/storage/json-object.js';
import { type ObjectStore, PreconditionFailed } from '../../shared/storage/object-store.js';
import type { Clock, EvaluationQueue } from './ports.js';
import { DailyCount, EvaluationRecord, keys, nextUtcDay } from './records.js';

export interface SubmitDeps {
  readonly config: LeagueConfig;
  readonly store: ObjectStore;
  readonly queue: EvaluationQueue;
  readonly now: Clock;
}

/**
 * POST /evaluations. Idempotent on submissionId: a replay of the same request returns the
 * evaluation already made (and does not count against the cap); the same id with a different body
 * is a conflict. The evaluation is created with If-None-Match, so two concurrent replays make one.
 */
export async function submitEvaluation(
  team: TeamRegistration,
  request: EvaluationRequest,
  deps: SubmitDeps,
): Promise<{ created: boolean; evaluation: EvaluationRecord }> {
  const key = keys.evaluation(team.teamId, request.submissionId);
  const existing = await readJson(deps.store, key, EvaluationRecord);
  if (existing) {
    const evaluation = sameRequestOrConflict(existing.value, request);
    await enqueueAgainIfLost(evaluation, existing.etag, deps);
    return { created: false, evaluation };
  }
  if (request.questionSetId !== deps.config.questionSetId) {
    throw new Invalid(
      `unknown question set ${request.questionSetId}; this league uses ${deps.config.questionSetId}`,
    );
  }

  const now = deps.now();
  const day = now.toISOString().slice(0, 10);
  const capKey = keys.dailyCount(team.teamId, day);
  const cap = deps.config.dailySubmissionCap;
  const admitted = await updateJson(deps.store, capKey, DailyCount, (current) => {
    const ids = current?.submissionIds ?? [];
    if (ids.includes(request.submissionId)) return { result: true };
    if (ids.length >= cap) return { result: false };
    return { value: { submissionIds: [...ids, request.submissionId] }, result: true };
  });
  if (!admitted) {
    const tomorrow = nextUtcDay(now);
    throw new TooManyRequests(
      `daily submission cap reached (${cap} a day); the next submission is allowed at ${tomorrow}`,
      tomorrow,
    );
  }

  const evaluation: EvaluationRecord = {
    submissionId: request.submissionId,
    team: team.teamId,
    modelName: request.modelName,
    questionSetId: request.questionSetId,
    resultsUrl: request.resultsUrl,
    resultsSha256: request.resultsSha256,
    status: 'queued',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  let etag: string;
  try {
    ({ etag } = await deps.store.put(key, JSON.stringify(evaluation), {
      ifNoneMatch: '*',
      contentType: 'application/json',
    }));
  } catch (error) {
    if (!(error instanceof PreconditionFailed)) throw error;
    // A concurrent replay created it first: that one stands.
    const winner = await readJson(deps.store, key, EvaluationRecord);
    if (!winner) throw error;
    return { created: false, evaluation: sameRequestOrConflict(winner.value, request) };
  }
  await deps.queue.send({ team: team.teamId, submissionId: request.submissionId });
  await markEnqueued(deps.store, key, evaluation, etag, now);
  return { created: true, evaluation };
}

/** A still-queued evaluation whose message was sent this recently is not sent again on a replay. */
export const REQUEUE_AFTER_MS = 10 * 60 * 1000;

/**
 * A replay of a still-queued evaluation: perhaps the first attempt stored it and then failed to
 * enqueue it, so its message is sent again, but at most once per {@link REQUEUE_AFTER_MS} however
 * often the request is replayed: the replay first claims the send with a conditional write of
 * `enqueuedAt`, and only the claim's winner sends. A duplicate message is harmless (judgments are
 * checkpointed, recording is idempotent); an unbounded stream of them is not.
 */
async function enqueueAgainIfLost(evaluation: EvaluationRecord, etag: string, deps: SubmitDeps) {
  if (evaluation.status !== 'queued') return;
  const now = deps.now();
  const last = evaluation.enqueuedAt ?? evaluation.createdAt;
  // Never confirmed sent and just created: the first request may still be sending it.
  if (now.getTime() - Date.parse(last) < (evaluation.enqueuedAt ? REQUEUE_AFTER_MS : 30_000)) return;
  const key = keys.evaluation(evaluation.team, evaluation.submissionId);
  if (!(await markEnqueued(deps.store, key, evaluation, etag, now))) return;
  await deps.queue.send({ team: evaluation.team, submissionId: evaluation.submissionId });
}

/** Records when the message was sent, if the record is still the one read; false when it changed. */
async function markEnqueued(
  store: ObjectStore,
  key: string,
  evaluation: EvaluationRecord,
  etag: string,
  now: Date,
): Promise<boolean> {
  try {
    await store.put(key, JSON.stringify({ ...evaluation, enqueuedAt: now.toISOString() }), {
      ifMatch: etag,
      contentType: 'application/json',
    });
    return true;
  } catch (error) {
    // The judge picked it up (or another replay claimed the send) in the meantime.
    if (error instanceof PreconditionFailed) return false;
    throw error;
  }
}

function sameRequestOrConflict(existing: EvaluationRecord, request: EvaluationRequest): EvaluationRecord {
  const same =
    existing.resultsSha256 === request.resultsSha256 &&
    existing.modelName === request.modelName &&
    existing.questionSetId === request.questionSetId;
  if (!same) {
    throw new Conflict(
      `submission ${request.submissionId} was already made with different content; use a new submissionId`,
    );
  }
  return existing;
}

export interface SubmissionQuota {
  /** The UTC day counted. */
  readonly day: string;
  readonly cap: number;
  readonly used: number;
  readonly remaining: number;
  /** When the count starts again. */
  readonly resetsAt: string;
}

/** GET /submission-quota: how many of today's (UTC) submissions the team has left. */
export async function submissionQuota(
  team: TeamRegistration,
  deps: Pick<SubmitDeps, 'config' | 'store' | 'now'>,
): Promise<SubmissionQuota> {
  const now = deps.now();
  const day = now.toISOString().slice(0, 10);
  const counted = await readJson(deps.store, keys.dailyCount(team.teamId, day), DailyCount);
  const cap = deps.config.dailySubmissionCap;
  const used = counted?.value.submissionIds.length ?? 0;
  return { day, cap, used, remaining: Math.max(0, cap - used), resetsAt: nextUtcDay(now) };
}

/** GET /evaluations/{id}: a team reads only its own evaluations. */
export async function getEvaluation(
  team: TeamRegistration,
  submissionId: string,
  store: ObjectStore,
): Promise<EvaluationRecord> {
  const found = await readJson(store, keys.evaluation(team.teamId, submissionId), EvaluationRecord);
  if (!found) throw new NotFound(`no evaluation ${submissionId} for team ${team.teamId}`);
  return found.value;
}
