import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ModelErrorException,
  ModelNotReadyException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { TeamModelError } from '../team-model.js';
import { BedrockTeamModel } from './bedrock-team-model.js';

const bedrock = mockClient(BedrockRuntimeClient);
const client = new BedrockRuntimeClient({ region: 'us-east-1' });
const IMPORTED = 'arn:aws:bedrock:us-east-1:111111111111:imported-model/abcd1234efgh';
const answer = (...texts: string[]) => ({
  output: { message: { role: 'assistant' as const, content: texts.map((text) => ({ text })) } },
  stopReason: 'end_turn' as const,
  usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
  metrics: { latencyMs: 3 },
  $metadata: {},
});
const meta = { $metadata: {} };

describe('the Bedrock team model', () => {
  beforeEach(() => bedrock.reset());

  it('sends the prompt as the one user message, with no system prompt, and joins the text blocks', async () => {
    bedrock.on(ConverseCommand).resolves(answer('Four', '.'));
    const model = new BedrockTeamModel({ modelId: 'meta.llama3-8b-instruct-v1:0', client });
    const generation = await model.generate('What is 2+2?', { maxTokens: 100 });
    expect(generation.text).toBe('Four.');
    expect(model.modelName).toBe('meta.llama3-8b-instruct-v1:0');
    const input = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
    expect(input).toEqual({
      modelId: 'meta.llama3-8b-instruct-v1:0',
      messages: [{ role: 'user', content: [{ text: 'What is 2+2?' }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0.2 },
    });
  });

  it('calls an imported model by its ARN the same way and names the model by it', async () => {
    bedrock.on(ConverseCommand).resolves(answer('Paris'));
    const model = new BedrockTeamModel({ modelId: IMPORTED, client });
    await expect(model.generate('Capital of France?')).resolves.toMatchObject({ text: 'Paris' });
    expect(model.modelName).toBe(IMPORTED);
    expect(bedrock).toHaveReceivedCommandWith(ConverseCommand, {
      modelId: IMPORTED,
      inferenceConfig: { maxTokens: 512, temperature: 0.2 },
    });
  });

  it('refuses a response with no message as a non-retryable bad response', async () => {
    bedrock.on(ConverseCommand).resolves({ stopReason: 'end_turn', $metadata: {} });
    const model = new BedrockTeamModel({ modelId: 'm', client });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'bad-response', retryable: false });
  });

  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'slow down', ...meta }), 'throttled', true],
    [
      'ServiceUnavailableException',
      new ServiceUnavailableException({ message: 'down', ...meta }),
      'unavailable',
      true,
    ],
    [
      'ModelNotReadyException',
      new ModelNotReadyException({ message: 'loading', ...meta }),
      'unavailable',
      true,
    ],
    ['ModelTimeoutException', new ModelTimeoutException({ message: 'slow', ...meta }), 'timeout', true],
    ['ModelErrorException', new ModelErrorException({ message: 'failed', ...meta }), 'model-error', false],
    [
      'ValidationException',
      new ValidationException({ message: 'too long', ...meta }),
      'invalid-request',
      false,
    ],
    [
      'ResourceNotFoundException',
      new ResourceNotFoundException({ message: 'no model', ...meta }),
      'not-found',
      false,
    ],
    ['AccessDeniedException', new AccessDeniedException({ message: 'no', ...meta }), 'access-denied', false],
  ])('maps %s to %s (retryable: %s)', async (name, sdkError, code, retryable) => {
    bedrock.on(ConverseCommand).rejects(sdkError);
    const model = new BedrockTeamModel({ modelId: 'm', client });
    const error = await model.generate('Hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamModelError);
    expect(error).toMatchObject({ code, retryable, providerCode: name });
  });

  it('treats a connection reset as a retryable network failure', async () => {
    bedrock.on(ConverseCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const model = new BedrockTeamModel({ modelId: 'm', client });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'network', retryable: true });
  });
});
