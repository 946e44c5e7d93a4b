import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it } from 'vitest';
import { BedrockTeamModel } from './bedrock-team-model.js';
import { OpenAiTeamModel } from './openai-team-model.js';
import { ReplayTeamModel } from './replay-team-model.js';
import { SageMakerTeamModel } from './sagemaker-team-model.js';
import { createTeamModelClients, teamModelFromSettings } from './team-model-from-settings.js';

describe('teamModelFromSettings', () => {
  it('builds the adapter each kind of settings names, named as the settings name the model', async () => {
    const clients = {
      sagemaker: new SageMakerRuntimeClient({ region: 'us-east-1' }),
      bedrock: new BedrockRuntimeClient({ region: 'us-east-1' }),
    };
    const sagemaker = await teamModelFromSettings(
      { kind: 'sagemaker', endpointName: 'llm-league-otters' },
      clients,
    );
    expect(sagemaker).toBeInstanceOf(SageMakerTeamModel);
    expect(sagemaker.modelName).toBe('llm-league-otters');
    const bedrock = await teamModelFromSettings({ kind: 'bedrock', modelId: 'meta.llama3-8b' }, clients);
    expect(bedrock).toBeInstanceOf(BedrockTeamModel);
    expect(bedrock.modelName).toBe('meta.llama3-8b');
    const openai = await teamModelFromSettings(
      { kind: 'openai', baseUrl: 'http://127.0.0.1:8000', modelId: 'o-7b' },
      {},
    );
    expect(openai).toBeInstanceOf(OpenAiTeamModel);
    expect(openai.modelName).toBe('o-7b');
  });

  it('loads a replay from its results key and names the model as the file does', async () => {
    const loaded: string[] = [];
    const model = await teamModelFromSettings(
      { kind: 'replay', resultsKey: 'demo/otters.jsonl' },
      {
        loadReplay: async (key) => {
          loaded.push(key);
          return '{"id":"q-1","prompt":"p","response":"r","model":"otters-7b"}\n';
        },
      },
    );
    expect(model).toBeInstanceOf(ReplayTeamModel);
    expect(model.modelName).toBe('otters-7b');
    expect(loaded).toEqual(['demo/otters.jsonl']);
  });

  it('says what is missing: a client for the kind, or the replay file', async () => {
    await expect(teamModelFromSettings({ kind: 'sagemaker', endpointName: 'e' }, {})).rejects.toThrow(
      'needs a SageMaker Runtime client',
    );
    await expect(
      teamModelFromSettings(
        { kind: 'replay', resultsKey: 'gone.jsonl' },
        { loadReplay: async () => undefined },
      ),
    ).rejects.toThrow('the replay results file gone.jsonl does not exist');
  });
});

describe('createTeamModelClients', () => {
  it('builds only the client the settings need, in their region, with no SDK retries under runInference', async () => {
    const { sagemaker, bedrock } = createTeamModelClients(
      { kind: 'sagemaker', endpointName: 'e', region: 'eu-west-1' },
      { region: 'us-east-1' },
    );
    expect(bedrock).toBeUndefined();
    expect(await sagemaker?.config.region()).toBe('eu-west-1');
    expect(await sagemaker?.config.maxAttempts()).toBe(1);
    expect(
      createTeamModelClients({ kind: 'openai', baseUrl: 'http://x', modelId: 'm' }, { region: 'us-east-1' }),
    ).toEqual({});
  });

  it('points Bedrock at the local endpoint when one is given', async () => {
    const { bedrock } = createTeamModelClients(
      { kind: 'bedrock', modelId: 'm' },
      { region: 'us-east-1', bedrockEndpoint: 'http://127.0.0.1:4010' },
    );
    const endpoint = await bedrock?.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4010);
    expect(await bedrock?.config.region()).toBe('us-east-1');
  });
});
