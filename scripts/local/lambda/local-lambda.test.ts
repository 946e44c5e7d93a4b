import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaLeaderboardRecorder } from '../../../leaderboard-account/adapters/lambda-leaderboard-recorder.js';
import { type LocalLambda, startLocalLambda } from './index.js';

let lambda: LocalLambda;
let client: LambdaClient;
const asyncErrors: { name: string; error: unknown }[] = [];
const received: unknown[] = [];
const noop = (): void => {};
let releaseSlowEvent: () => void = noop;
const slowEventDone: string[] = [];

beforeAll(async () => {
  lambda = await startLocalLambda({
    functions: {
      echo: async (event, context) => ({
        event,
        functionName: context.functionName,
        arn: context.invokedFunctionArn,
      }),
      nothing: async () => undefined,
      double: async (event: { n: number }) => event.n * 2,
      boom: async () => {
        throw new TypeError('the leaderboard state is corrupt');
      },
      record: async (event) => {
        received.push(event);
      },
      slow: async (event) => {
        await new Promise<void>((resolve) => {
          releaseSlowEvent = resolve;
        });
        slowEventDone.push(JSON.stringify(event));
      },
      failsLater: async () => {
        throw new Error('background failure');
      },
    },
    onAsyncError: (name, error) => asyncErrors.push({ name, error }),
  });
  client = new LambdaClient({
    endpoint: lambda.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await lambda.close();
});

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const decode = (payload: Uint8Array | undefined): unknown =>
  payload === undefined ? undefined : JSON.parse(new TextDecoder().decode(payload));

describe('RequestResponse invocations', () => {
  it("returns the handler's JSON result with status 200 and the executed version", async () => {
    const before = lambda.invocations('echo');
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: encode({ action: 'rank', team: 'team-a' }) }),
    );
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    expect(response.ExecutedVersion).toBe('$LATEST');
    expect(decode(response.Payload)).toEqual({
      event: { action: 'rank', team: 'team-a' },
      functionName: 'echo',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
    });
    expect(lambda.invocations('echo')).toBe(before + 1);
  });

  it('runs a handler typed for its own event as it is', async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'double', Payload: encode({ n: 21 }) }),
    );
    expect(decode(response.Payload)).toBe(42);
  });

  it('finds a function named by its ARN with a qualifier', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
        Qualifier: '$LATEST',
        Payload: encode(1),
      }),
    );
    expect(decode(response.Payload)).toMatchObject({ event: 1, functionName: 'echo' });
  });

  it('answers null for a handler that returns nothing and an empty object for an empty payload', async () => {
    const nothing = await client.send(new InvokeCommand({ FunctionName: 'nothing' }));
    expect(decode(nothing.Payload)).toBeNull();
    const echo = await client.send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(decode(echo.Payload)).toMatchObject({ event: {} });
  });

  it('surfaces a thrown error as FunctionError Unhandled with the error in the payload, not as an exception', async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: 'boom', Payload: encode({}) }));
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    expect(decode(response.Payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'the leaderboard state is corrupt',
    });
    expect(lambda.invocations('boom')).toBe(1);
  });

  it("lets the League's leaderboard recorder fail on the function error", async () => {
    const recorder = new LambdaLeaderboardRecorder(client, 'boom');
    await expect(
      recorder.record({ team: 'team-a', submissionId: 'sub-1' } as Parameters<
        LambdaLeaderboardRecorder['record']
      >[0]),
    ).rejects.toThrow(/failed to record team-a\/sub-1: .*the leaderboard state is corrupt/);
  });

  it('refuses a payload that is not JSON', async () => {
    await expect(
      client.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{not json') }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('Event invocations', () => {
  it('answers 202 before the handler has finished, then runs it in the background', async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'slow', InvocationType: 'Event', Payload: encode({ n: 1 }) }),
    );
    try {
      expect(response.StatusCode).toBe(202);
      expect(response.Payload?.byteLength ?? 0).toBe(0);
      expect(lambda.invocations('slow')).toBe(1);
      expect(slowEventDone).toEqual([]);
    } finally {
      await expect.poll(() => releaseSlowEvent !== noop).toBe(true);
      releaseSlowEvent();
    }
    await lambda.settled();
    expect(slowEventDone).toEqual(['{"n":1}']);
  });

  it('delivers the event to the handler', async () => {
    await client.send(
      new InvokeCommand({ FunctionName: 'record', InvocationType: 'Event', Payload: encode({ x: 2 }) }),
    );
    await lambda.settled();
    expect(received).toEqual([{ x: 2 }]);
  });

  it('reports a failing background invocation without failing the Invoke call', async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'failsLater', InvocationType: 'Event' }),
    );
    expect(response.StatusCode).toBe(202);
    expect(response.FunctionError).toBeUndefined();
    await lambda.settled();
    expect(asyncErrors).toEqual([
      { name: 'failsLater', error: expect.objectContaining({ message: 'background failure' }) },
    ]);
  });

  it('validates a DryRun without running the handler', async () => {
    const before = lambda.invocations('record');
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'record', InvocationType: 'DryRun' }),
    );
    expect(response.StatusCode).toBe(204);
    expect(lambda.invocations('record')).toBe(before);
  });
});

describe('unknown functions', () => {
  it('answers 404 ResourceNotFoundException, which the SDK raises as its modelled error', async () => {
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'no-such-function' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function',
      $metadata: { httpStatusCode: 404 },
    });
    expect(lambda.invocations('no-such-function')).toBe(0);
  });
});
