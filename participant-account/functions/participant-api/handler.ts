import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { RecordId } from '../../../shared/contracts/common.js';
import { clientConfig, localEndpoint } from '../../../shared/lambda/aws-clients.js';
import { HttpError, Invalid } from '../../../shared/lambda/errors.js';
import { httpRoutes, route } from '../../../shared/lambda/http.js';
import { participantConfig, requireEnv } from '../../../shared/lambda/runtime-config.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { createUpload, getTestingData, UploadRequest } from '../../app/testing-data.js';
import { LambdaInferenceDispatcher } from '../../inference/adapters/lambda-inference-dispatcher.js';
import {
  createTeamModelClients,
  teamModelFromSettings,
} from '../../inference/adapters/team-model-from-settings.js';
import { getRun, type InferenceDispatcher, startRun } from '../../inference/inference-runs.js';
import { type TeamModel, TeamModelError } from '../../inference/team-model.js';

const config = participantConfig();
const region = process.env.AWS_REGION ?? config.team.region;
const s3 = createS3Client({ region, endpoint: localEndpoint('S3') });
const uploadsBucket = requireEnv('UPLOADS_BUCKET');
const state = new S3ObjectStore(s3, requireEnv('STATE_BUCKET'));
const uploads = new S3ObjectStore(s3, uploadsBucket);
const validated = new S3ObjectStore(s3, requireEnv('VALIDATED_BUCKET'));
const results = new S3ObjectStore(s3, requireEnv('RESULTS_BUCKET'));
const modelClients = createTeamModelClients(config.model, {
  region,
  ...(localEndpoint('BEDROCK') ? { bedrockEndpoint: localEndpoint('BEDROCK') as string } : {}),
});
let dispatcher: InferenceDispatcher = new LambdaInferenceDispatcher(
  new LambdaClient({ region, ...clientConfig('LAMBDA') }),
  process.env.INFERENCE_RUNNER_FUNCTION_NAME ?? '',
);
let teamModel: Promise<TeamModel> | undefined;

/** The local stack swaps in its dispatcher (the runner called in-process). */
export function useDispatcher(replacement: InferenceDispatcher): void {
  dispatcher = replacement;
}

function model(): Promise<TeamModel> {
  teamModel ??= teamModelFromSettings(config.model, {
    ...modelClients,
    timeoutMs: 25_000,
    loadReplay: async (key) => (await results.get(key))?.body,
  }).catch((error: unknown) => {
    teamModel = undefined; // a failed set-up (e.g. a missing replay file) is tried again next time
    throw error;
  });
  return teamModel;
}

/** The team model's failures, in HTTP terms the web app can show. */
class ModelUnavailable extends HttpError {
  override readonly name = 'ModelUnavailable';
  readonly status = 503;
}
class ModelThrottled extends HttpError {
  override readonly name = 'ModelThrottled';
  readonly status = 429;
}

async function tryOut(prompt: string) {
  const team = await model();
  try {
    return { model: team.modelName, prompt, ...(await team.generate(prompt)) };
  } catch (error) {
    if (!(error instanceof TeamModelError)) throw error;
    if (error.code === 'throttled') throw new ModelThrottled(`your model is throttled: ${error.message}`);
    if (error.code === 'invalid-request')
      throw new Invalid(`your model refused the prompt: ${error.message}`);
    throw new ModelUnavailable(`your model did not answer (${error.code}): ${error.message}`);
  }
}

const TryOut = z.object({ prompt: z.string().min(1).max(32_768) });
const RunRequest = z.object({ testingDataId: RecordId });
const ById = z.strictObject({ id: RecordId });

/**
 * The Participant API (Cognito-authorised at API Gateway): testing-data uploads and their reports,
 * a try-out prompt, and inference runs over validated testing data. Every path parameter, query and
 * body is parsed by its schema.
 */
export const handler = httpRoutes({
  'POST /testing-data/uploads': route({ body: UploadRequest }, async ({ body }) => ({
    status: 201,
    body: await createUpload(body, { s3, uploadsBucket, maxBytes: config.uploadMaxBytes }),
  })),
  'GET /testing-data/{id}': route({ path: ById }, async ({ path }) => ({
    status: 200,
    body: await getTestingData(path.id, { state, uploads }),
  })),
  'POST /inference': route({ body: TryOut }, async ({ body }) => ({
    status: 200,
    body: await tryOut(body.prompt),
  })),
  'POST /inference-runs': route({ body: RunRequest }, async ({ body }) => ({
    status: 202,
    body: await startRun(body, { state, validated, dispatcher, now: () => new Date() }),
  })),
  'GET /inference-runs/{id}': route({ path: ById }, async ({ path }) => ({
    status: 200,
    body: await getRun(path.id, { state }),
  })),
});
