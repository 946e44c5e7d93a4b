import type { EvaluationMessage } from './records.js';

/** Hands an accepted evaluation to the judge orchestrator (SQS on AWS, in-process locally). */
export interface EvaluationQueue {
  send(message: EvaluationMessage): Promise<void>;
}

/** What the orchestrator tells the leaderboard API when an evaluation is judged. */
export interface RecordEvaluationInput {
  readonly team: string;
  readonly submissionId: string;
}

/** The leaderboard API, called by the orchestrator (Lambda invoke on AWS, a direct call locally). */
export interface LeaderboardRecorder {
  record(input: RecordEvaluationInput): Promise<void>;
}

export type Clock = () => Date;
