import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  elapsedMs,
  type GenerateOptions,
  type Generation,
  type TeamModel,
  TeamModelError,
} from '../team-model.js';
import { callSignal, DEFAULT_CALL_TIMEOUT_MS, teamModelErrorFromSdk } from './call-errors.js';

export interface BedrockTeamModelOptions {
  /**
   * A model id, an inference profile, or the ARN of a custom or imported model
   * (`arn:aws:bedrock:…:imported-model/…`): Converse takes them all the same way.
   */
  readonly modelId: string;
  /** A client built once per container; `maxAttempts: 1`, since `runInference` owns the retries. */
  readonly client: BedrockRuntimeClient;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly timeoutMs?: number;
}

/**
 * A team model on Amazon Bedrock through the Converse API: one user message holding the prompt and no
 * system prompt, so the model answers the question as the team fine-tuned it to, with nothing added.
 */
export class BedrockTeamModel implements TeamModel {
  readonly modelName: string;

  constructor(private readonly options: BedrockTeamModelOptions) {
    this.modelName = options.modelId;
  }

  async generate(prompt: string, options: GenerateOptions = {}): Promise<Generation> {
    const start = performance.now();
    try {
      const response = await this.options.client.send(
        new ConverseCommand({
          modelId: this.options.modelId,
          messages: [{ role: 'user', content: [{ text: prompt }] }],
          inferenceConfig: {
            maxTokens: options.maxTokens ?? this.options.maxTokens ?? 512,
            temperature: this.options.temperature ?? 0.2,
          },
        }),
        { abortSignal: callSignal(this.options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, options.signal) },
      );
      const content = response.output?.message?.content;
      if (!content) {
        throw new TeamModelError('bad-response', 'Bedrock: the Converse response has no message', {
          providerCode: 'NoMessage',
        });
      }
      return { text: content.map((block) => block.text ?? '').join(''), latencyMs: elapsedMs(start) };
    } catch (error) {
      throw teamModelErrorFromSdk(error, 'Bedrock', options.signal);
    }
  }
}
