import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaInferenceDispatcher } from './lambda-inference-dispatcher.js';

const lambda = mockClient(LambdaClient);
const dispatcher = new LambdaInferenceDispatcher(
  new LambdaClient({ region: 'us-east-1' }),
  'inference-runner',
);

describe('the Lambda inference dispatcher', () => {
  beforeEach(() => lambda.reset());

  it('invokes the runner asynchronously with the run id', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202, $metadata: {} });
    await dispatcher.dispatch('run-1');
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'inference-runner',
      InvocationType: 'Event',
    });
    const payload = lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload;
    expect(JSON.parse(new TextDecoder().decode(payload as Uint8Array))).toEqual({ runId: 'run-1' });
  });

  it('fails when Lambda does not accept the invoke', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 500, $metadata: {} });
    await expect(dispatcher.dispatch('run-1')).rejects.toThrow('did not accept run run-1');
  });
});
