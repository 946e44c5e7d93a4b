import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { JudgeCall, JudgeModel, JudgeReply } from '../judge-model.js';
import { JudgeModelError } from '../judge-model.js';

export interface BedrockJudgeOptions {
  readonly modelId: string;
  /** A client built once per container (see {@link createBedrockClient}). */
  readonly client: BedrockRuntimeClient;
  /** Put a `cachePoint` after the static prefix (models with prompt caching only). */
  readonly promptCaching: boolean;
  /** `tool`: forced tool use (structured output); `text`: models without tool use, `[[A>B]]` labels. */
  readonly structuredOutput: 'tool' | 'text';
}

export interface BedrockClientOptions {
  readonly region: string;
  /** The emulator's URL on the local stack; unset on AWS. */
  readonly endpoint?: string;
  /** Attempts per call, the first included; throttling is retried with adaptive back-off. */
  readonly maxAttempts: number;
  /**
   * A fixed back-off (ms × attempt) instead of the SDK's adaptive one, for the local emulator and
   * tests, where waiting up to seconds per throttled call only slows the run down.
   */
  readonly retryDelayMs?: number;
}

export function createBedrockClient(options: BedrockClientOptions): BedrockRuntimeClient {
  const delay = options.retryDelayMs;
  return new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: options.maxAttempts,
    ...(delay === undefined
      ? { retryMode: 'adaptive' }
      : { retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts, (attempt) => delay * attempt) }),
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // The emulator checks no signature; real credentials are never sent to it.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
}

/** The judge on Amazon Bedrock, through the Converse API. */
export class BedrockJudgeModel implements JudgeModel {
  readonly modelId: string;

  constructor(private readonly options: BedrockJudgeOptions) {
    this.modelId = options.modelId;
  }

  async complete(call: JudgeCall): Promise<JudgeReply> {
    const cache = this.options.promptCaching;
    const system: SystemContentBlock[] = [
      { text: call.system },
      ...(cache ? [{ cachePoint: { type: 'default' as const } }] : []),
    ];
    const content: ContentBlock[] = [
      { text: call.staticPrefix },
      ...(cache ? [{ cachePoint: { type: 'default' as const } }] : []),
      { text: call.content },
    ];
    const input: ConverseCommandInput = {
      modelId: this.modelId,
      system,
      messages: [{ role: 'user', content }],
      inferenceConfig: { maxTokens: call.maxTokens, temperature: 0 },
      ...(this.options.structuredOutput === 'tool'
        ? {
            toolConfig: {
              tools: [
                {
                  toolSpec: {
                    name: call.tool.name,
                    description: call.tool.description,
                    inputSchema: { json: call.tool.inputSchema as never },
                  },
                },
              ],
              toolChoice: { tool: { name: call.tool.name } },
            },
          }
        : {}),
    };
    try {
      const response = await this.options.client.send(new ConverseCommand(input));
      const blocks = response.output?.message?.content ?? [];
      const toolUse = blocks.find((block) => block.toolUse?.name === call.tool.name)?.toolUse;
      return {
        ...(toolUse ? { toolInput: toolUse.input as unknown } : {}),
        text: blocks.map((block) => block.text ?? '').join(''),
        stopReason: response.stopReason ?? 'unknown',
        usage: {
          inputTokens: response.usage?.inputTokens ?? 0,
          outputTokens: response.usage?.outputTokens ?? 0,
          cacheReadTokens: response.usage?.cacheReadInputTokens ?? 0,
          cacheWriteTokens: response.usage?.cacheWriteInputTokens ?? 0,
        },
        attempts: response.$metadata.attempts ?? 1,
      };
    } catch (error) {
      const failure = error as { name?: string; message?: string; $metadata?: { attempts?: number } };
      throw new JudgeModelError(
        failure.message ?? 'Bedrock call failed',
        failure.name ?? 'Error',
        failure.$metadata?.attempts ?? 1,
      );
    }
  }
}
