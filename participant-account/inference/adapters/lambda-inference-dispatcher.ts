import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { InferenceDispatcher } from '../inference-runs.js';

/**
 * Starts the inference-runner Lambda for a run with an asynchronous (`Event`) invoke: the API answers
 * at once, and the run's record tells its progress. The payload is `{runId}`, which the runner parses.
 */
export class LambdaInferenceDispatcher implements InferenceDispatcher {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async dispatch(runId: string): Promise<void> {
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ runId })),
      }),
    );
    if (response.StatusCode !== 202) {
      throw new Error(
        `the inference runner did not accept run ${runId} (status ${String(response.StatusCode)})`,
      );
    }
  }
}
