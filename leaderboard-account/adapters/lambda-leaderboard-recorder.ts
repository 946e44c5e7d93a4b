import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LeaderboardRecorder, RecordEvaluationInput } from '../app/ports.js';

/** Calls the leaderboard API Lambda synchronously, so a failure to record fails (and retries) the message. */
export class LambdaLeaderboardRecorder implements LeaderboardRecorder {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async record(input: RecordEvaluationInput): Promise<void> {
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify({ action: 'record', ...input })),
      }),
    );
    if (response.FunctionError) {
      const detail = response.Payload ? new TextDecoder().decode(response.Payload) : '';
      throw new Error(
        `the leaderboard API failed to record ${input.team}/${input.submissionId}: ${detail.slice(0, 500)}`,
      );
    }
  }
}
