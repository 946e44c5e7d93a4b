import {
  InternalFailure,
  InvokeEndpointCommand,
  ModelError,
  ModelNotReadyException,
  SageMakerRuntimeClient,
  SageMakerRuntimeServiceException,
  ServiceUnavailable,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { TeamModelError } from '../team-model.js';
import { generatedText, SageMakerTeamModel } from './sagemaker-team-model.js';

const sagemaker = mockClient(SageMakerRuntimeClient);
const client = new SageMakerRuntimeClient({ region: 'us-east-1' });
const model = new SageMakerTeamModel({ endpointName: 'llm-league-otters', client });
const reply = (body: unknown) => ({
  Body: Uint8ArrayBlobAdapter.fromString(JSON.stringify(body)),
  $metadata: {},
});
const metadata = { $metadata: { httpStatusCode: 400 } };

describe('the SageMaker team model', () => {
  beforeEach(() => sagemaker.reset());

  it('sends a JumpStart text-generation payload and reads the generated text', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves(reply([{ generated_text: 'Four.' }]));
    const generation = await model.generate('What is 2+2?', { maxTokens: 64 });
    expect(generation.text).toBe('Four.');
    expect(generation.latencyMs).toBeGreaterThanOrEqual(0);
    expect(model.modelName).toBe('llm-league-otters');
    expect(sagemaker).toHaveReceivedCommandWith(InvokeEndpointCommand, {
      EndpointName: 'llm-league-otters',
      ContentType: 'application/json',
      Accept: 'application/json',
    });
    const body = sagemaker.commandCalls(InvokeEndpointCommand)[0]?.args[0].input.Body;
    expect(JSON.parse(new TextDecoder().decode(body as Uint8Array))).toEqual({
      inputs: 'What is 2+2?',
      parameters: { max_new_tokens: 64, temperature: 0.2, return_full_text: false },
    });
  });

  it('asks for 512 new tokens when the call names no limit', async () => {
    sagemaker.on(InvokeEndpointCommand).resolves(reply({ generated_text: 'ok' }));
    await model.generate('Hi');
    const body = sagemaker.commandCalls(InvokeEndpointCommand)[0]?.args[0].input.Body;
    expect(JSON.parse(new TextDecoder().decode(body as Uint8Array))).toMatchObject({
      parameters: { max_new_tokens: 512 },
    });
  });

  it.each([
    ['TGI: a list of generated_text', [{ generated_text: 'A' }]],
    ['LMI: one generated_text', { generated_text: 'A' }],
    ['Llama 2: a list of generation strings', [{ generation: 'A' }]],
    ['Llama 2: one generation string', { generation: 'A' }],
    ['Llama 2 chat: a generation message', [{ generation: { role: 'assistant', content: 'A' } }]],
    ['older JumpStart: generated_texts', { generated_texts: ['A', 'B'] }],
    ['outputs as a string', { outputs: 'A' }],
    ['outputs as a list of strings', { outputs: ['A'] }],
    ['outputs as a list of text objects', { outputs: [{ text: 'A' }] }],
  ])('reads the response shape %s', (_shape, body) => {
    expect(generatedText(JSON.stringify(body))).toBe('A');
  });

  it.each([
    ['an unknown shape', JSON.stringify({ answer: 'A' })],
    ['a non-JSON body', 'A'],
  ])('refuses %s as a non-retryable bad response', async (_case, body) => {
    sagemaker
      .on(InvokeEndpointCommand)
      .resolves({ Body: Uint8ArrayBlobAdapter.fromString(body), $metadata: {} });
    const error = await model.generate('Hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamModelError);
    expect(error).toMatchObject({ code: 'bad-response', retryable: false });
  });

  it.each([
    [
      'ThrottlingException',
      new SageMakerRuntimeServiceException({ name: 'ThrottlingException', $fault: 'client', ...metadata }),
      'throttled',
      true,
    ],
    [
      'ModelError answered 429',
      new ModelError({ message: 'busy', OriginalStatusCode: 429, ...metadata }),
      'throttled',
      true,
    ],
    [
      'ModelError answered 503',
      new ModelError({ message: 'loading', OriginalStatusCode: 503, ...metadata }),
      'unavailable',
      true,
    ],
    [
      'ModelError answered 400',
      new ModelError({
        message: 'bad input',
        OriginalStatusCode: 400,
        OriginalMessage: 'too long',
        ...metadata,
      }),
      'model-error',
      false,
    ],
    ['ServiceUnavailable', new ServiceUnavailable({ message: 'down', $metadata: {} }), 'unavailable', true],
    ['InternalFailure', new InternalFailure({ message: 'oops', $metadata: {} }), 'unavailable', true],
    [
      'ModelNotReadyException',
      new ModelNotReadyException({ message: 'scaling', ...metadata }),
      'unavailable',
      true,
    ],
    [
      'ValidationError for a missing endpoint',
      new ValidationError({ message: 'Endpoint llm-league-otters of account 1 not found.', ...metadata }),
      'not-found',
      false,
    ],
    [
      'ValidationError',
      new ValidationError({ message: 'Body too large', ...metadata }),
      'invalid-request',
      false,
    ],
  ])('maps %s to %s (retryable: %s)', async (_name, sdkError, code, retryable) => {
    sagemaker.on(InvokeEndpointCommand).rejects(sdkError);
    const error = await model.generate('Hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamModelError);
    expect(error).toMatchObject({ code, retryable, providerCode: sdkError.name });
  });

  it('keeps what the model container said in a ModelError message', async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(
      new ModelError({
        message: 'Received client error',
        OriginalStatusCode: 400,
        OriginalMessage: 'too long',
        ...metadata,
      }),
    );
    await expect(model.generate('Hi')).rejects.toThrow(/model answered 400: too long/);
  });

  it('tells a call the caller aborted from one that timed out', async () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    sagemaker.on(InvokeEndpointCommand).rejects(abort);
    const stopped = new AbortController();
    stopped.abort();
    await expect(model.generate('Hi', { signal: stopped.signal })).rejects.toMatchObject({
      code: 'aborted',
      retryable: false,
    });
    await expect(model.generate('Hi')).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });
});
