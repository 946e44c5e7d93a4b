import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { TeamModelSettings } from '../../../shared/config/participant-config.js';
import type { TeamModel } from '../team-model.js';
import { BedrockTeamModel } from './bedrock-team-model.js';
import { OpenAiTeamModel } from './openai-team-model.js';
import { ReplayTeamModel } from './replay-team-model.js';
import { SageMakerTeamModel } from './sagemaker-team-model.js';

export interface TeamModelDeps {
  /** Needed for `sagemaker` settings (see {@link createTeamModelClients}). */
  readonly sagemaker?: SageMakerRuntimeClient;
  /** Needed for `bedrock` settings. */
  readonly bedrock?: BedrockRuntimeClient;
  /** For `openai` settings; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** For `replay` settings: the results file at `resultsKey`, or undefined when there is none. */
  readonly loadReplay?: (resultsKey: string) => Promise<Uint8Array | string | undefined>;
  /** Per-call timeout for every adapter but replay. */
  readonly timeoutMs?: number;
}

/** The team model the settings name. Async because a replay first reads its results file. */
export async function teamModelFromSettings(
  settings: TeamModelSettings,
  deps: TeamModelDeps,
): Promise<TeamModel> {
  const timeout = deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs };
  switch (settings.kind) {
    case 'sagemaker': {
      if (!deps.sagemaker) throw new Error('model kind sagemaker needs a SageMaker Runtime client');
      return new SageMakerTeamModel({
        endpointName: settings.endpointName,
        client: deps.sagemaker,
        ...timeout,
      });
    }
    case 'bedrock': {
      if (!deps.bedrock) throw new Error('model kind bedrock needs a Bedrock Runtime client');
      return new BedrockTeamModel({ modelId: settings.modelId, client: deps.bedrock, ...timeout });
    }
    case 'openai':
      return new OpenAiTeamModel({
        baseUrl: settings.baseUrl,
        modelId: settings.modelId,
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...timeout,
      });
    case 'replay': {
      if (!deps.loadReplay) throw new Error('model kind replay needs a way to load its results file');
      const body = await deps.loadReplay(settings.resultsKey);
      if (body === undefined)
        throw new Error(`the replay results file ${settings.resultsKey} does not exist`);
      return ReplayTeamModel.fromJsonl(body);
    }
  }
}

/**
 * The one SDK client the settings need, built once per container. `maxAttempts: 1`: `runInference`
 * retries with its own back-off, and SDK retries under it would multiply the attempts. `region`
 * defaults to the function's; `bedrockEndpoint` is the local stack's emulator.
 */
export function createTeamModelClients(
  settings: TeamModelSettings,
  options: { readonly region: string; readonly bedrockEndpoint?: string },
): Pick<TeamModelDeps, 'sagemaker' | 'bedrock'> {
  if (settings.kind === 'sagemaker') {
    return {
      sagemaker: new SageMakerRuntimeClient({ region: settings.region ?? options.region, maxAttempts: 1 }),
    };
  }
  if (settings.kind === 'bedrock') {
    return {
      bedrock: new BedrockRuntimeClient({
        region: settings.region ?? options.region,
        maxAttempts: 1,
        ...(options.bedrockEndpoint
          ? {
              endpoint: options.bedrockEndpoint,
              // The emulator checks no signature; real credentials are never sent to it.
              credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            }
          : {}),
      }),
    };
  }
  return {};
}
