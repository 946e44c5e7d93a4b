import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EvaluationQueue } from '../app/ports.js';
import type { EvaluationMessage } from '../app/records.js';

export class SqsEvaluationQueue implements EvaluationQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: EvaluationMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}
