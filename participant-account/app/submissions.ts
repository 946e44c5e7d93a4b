import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { ParticipantConfig } from '../../shared/config/participant-config.js';
import { ModelName, RecordId } from '../../shared/contracts/common.js';
import { Conflict, NotFound } from '../../shared/lambda/errors.js';
import { readJson } from '../../shared/storage/json-object.js';
import { objectKey } from '../../shared/storage/object-key.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import type { JudgeApi, JudgeApiResponse } from '../adapters/judge-api.js';
import { inferenceKeys } from '../inference/inference-runs.js';

/** The parts of an inference run record a submission needs. */
const RunForSubmission = z.object({
  runId: z.string(),
  status: z.string(),
  resultsKey: z.string().optional(),
});

export const SubmissionRecord = z.object({
  submissionId: z.string(),
  runId: z.string(),
  modelName: z.string(),
  submittedAt: z.string(),
  /** The Judge API's answer when submitted. */
  acceptedStatus: z.number().int(),
});
export type SubmissionRecord = z.infer<typeof SubmissionRecord>;

export const SubmitRequest = z.object({
  runId: RecordId,
  modelName: ModelName.optional(),
});

export interface SubmissionDeps {
  readonly config: ParticipantConfig;
  /** The participant state bucket (runs/, submissions/). */
  readonly state: ObjectStore;
  /** The results bucket. */
  readonly results: ObjectStore;
  /** A presigned GET of a results object, valid for `expiresInSeconds` (at most 15 minutes). */
  readonly presignResults: (key: string, expiresInSeconds: number) => Promise<string>;
  readonly judgeApi: JudgeApi;
  readonly now: () => Date;
}

const PRESIGN_SECONDS = 15 * 60;

/**
 * POST /submissions: submit a finished inference run to the league. The results object is hashed
 * and presigned (15 minutes at most), and the Judge API is called as this team. Its answer (202
 * accepted, 200 replay, 429 cap reached, 400 invalid, …) reaches the participant as it is. The run
 * id is the submission id, so submitting the same run again is a replay, never a second submission.
 */
export async function submitRun(
  request: z.infer<typeof SubmitRequest>,
  deps: SubmissionDeps,
): Promise<JudgeApiResponse> {
  const run = (await readJson(deps.state, inferenceKeys.run(request.runId), RunForSubmission))?.value;
  if (!run) throw new NotFound(`no inference run ${request.runId}`);
  if (run.status !== 'completed' || !run.resultsKey) {
    throw new Conflict(`inference run ${request.runId} is ${run.status}; submit it once it has completed`);
  }
  const object = await deps.results.get(run.resultsKey);
  if (!object) throw new NotFound(`the results of run ${request.runId} are missing`);
  const resultsSha256 = createHash('sha256').update(object.body).digest('hex');
  const modelName = request.modelName ?? `${deps.config.team.teamId}/model`;
  const response = await deps.judgeApi.call('POST', '/evaluations', {
    submissionId: request.runId,
    modelName,
    questionSetId: deps.config.questionSetId,
    resultsUrl: await deps.presignResults(run.resultsKey, PRESIGN_SECONDS),
    resultsSha256,
  });
  if (response.status === 200 || response.status === 202) {
    const record: SubmissionRecord = {
      submissionId: request.runId,
      runId: request.runId,
      modelName,
      submittedAt: deps.now().toISOString(),
      acceptedStatus: response.status,
    };
    // A replay keeps the first record.
    await deps.state
      .put(objectKey('submissions', `${request.runId}.json`), JSON.stringify(record), {
        ifNoneMatch: '*',
        contentType: 'application/json',
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'PreconditionFailed') throw error;
      });
  }
  return response;
}

/** GET /submissions: the team's submissions, newest first, with status and scores read back from the Judge API. */
export async function listSubmissions(deps: SubmissionDeps): Promise<unknown[]> {
  const records: SubmissionRecord[] = [];
  for (const key of await deps.state.list('submissions/')) {
    const found = await readJson(deps.state, key, SubmissionRecord);
    if (found) records.push(found.value);
  }
  records.sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt));
  return Promise.all(
    records.map(async (record) => {
      const evaluation = await deps.judgeApi.call(
        'GET',
        `/evaluations/${encodeURIComponent(record.submissionId)}`,
      );
      return {
        ...record,
        evaluation:
          evaluation.status === 200 ? evaluation.body : { status: 'unknown', httpStatus: evaluation.status },
      };
    }),
  );
}

/**
 * Today's submissions left (`{day, cap, used, remaining, resetsAt}`), from the Judge API; null when
 * it cannot say (the history is still worth showing without it).
 */
export async function submissionQuota(deps: Pick<SubmissionDeps, 'judgeApi'>): Promise<unknown> {
  const response = await deps.judgeApi.call('GET', '/submission-quota');
  return response.status === 200 ? response.body : null;
}

/** GET /questions: the official questions (ids, prompts, categories), from the Judge API. */
export async function listQuestions(deps: Pick<SubmissionDeps, 'judgeApi'>): Promise<JudgeApiResponse> {
  return deps.judgeApi.call('GET', '/questions');
}
