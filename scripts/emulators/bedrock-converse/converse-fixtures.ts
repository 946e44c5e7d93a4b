import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type SystemContentBlock,
  type ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import type { JudgeCall } from '../../../leaderboard-account/judging/judge-model.js';
import { buildPairwiseCall, buildRubricCall } from '../../../leaderboard-account/judging/prompts.js';

/**
 * Test helpers: the real SDK client pointed at the emulator, and Converse requests built from the
 * League's own judge prompts the way the Bedrock judge adapter sends them.
 */

export const MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export function emulatorClient(
  url: string,
  config: Partial<BedrockRuntimeClientConfig> = {},
): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...config,
  });
}

type JsonDocument = ToolInputSchema.JsonMember['json'];

export interface CallShape {
  /** `tool`: forced tool use; `text`: no toolConfig, labels in the text. */
  readonly mode?: 'tool' | 'text';
  /** Put cache points after the system prompt and after the static instructions. */
  readonly cache?: boolean;
  readonly modelId?: string;
  readonly maxTokens?: number;
}

export function converseInput(call: JudgeCall, shape: CallShape = {}): ConverseCommandInput {
  const cachePoint = shape.cache ? [{ cachePoint: { type: 'default' as const } }] : [];
  const system: SystemContentBlock[] = [{ text: call.system }, ...cachePoint];
  const content: ContentBlock[] = [{ text: call.staticPrefix }, ...cachePoint, { text: call.content }];
  return {
    modelId: shape.modelId ?? MODEL_ID,
    system,
    messages: [{ role: 'user', content }],
    inferenceConfig: { maxTokens: shape.maxTokens ?? call.maxTokens, temperature: 0 },
    ...((shape.mode ?? 'tool') === 'tool'
      ? {
          toolConfig: {
            tools: [
              {
                toolSpec: {
                  name: call.tool.name,
                  description: call.tool.description,
                  inputSchema: { json: call.tool.inputSchema as JsonDocument },
                },
              },
            ],
            toolChoice: { tool: { name: call.tool.name } },
          },
        }
      : {}),
  };
}

export interface PairwiseCase {
  readonly question: string;
  readonly answerA: string;
  readonly answerB: string;
}

export function pairwiseCommand(input: PairwiseCase, shape: CallShape = {}): ConverseCommand {
  return new ConverseCommand(converseInput(buildPairwiseCall({ ...input, nonce: 'n0nce42' }), shape));
}

export interface RubricCase {
  readonly question: string;
  readonly reference: string;
  readonly answer: string;
  readonly criteria: readonly string[];
}

export function rubricCommand(input: RubricCase, shape: CallShape = {}): ConverseCommand {
  const criteria = input.criteria.map((name) => ({ name, weight: 1 }));
  return new ConverseCommand(converseInput(buildRubricCall({ ...input, criteria, nonce: 'n0nce42' }), shape));
}

/** The first toolUse block of a reply. */
export function toolUseOf(
  output: ConverseCommandOutput,
): { name?: string; toolUseId?: string; input?: unknown } | undefined {
  return output.output?.message?.content?.find((block) => block.toolUse !== undefined)?.toolUse;
}

/** All the text of a reply. */
export function textOf(output: ConverseCommandOutput): string {
  return (output.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
}

/** The error name and attempts of a rejected SDK call. */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ name: string; attempts: number; status: number }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the call to fail');
  const metadata = (outcome as Error & { $metadata?: { attempts?: number; httpStatusCode?: number } })
    .$metadata;
  return { name: outcome.name, attempts: metadata?.attempts ?? 0, status: metadata?.httpStatusCode ?? 0 };
}

/** Question → reference answer pairs for the emulator's `references`. */
export const CAPITAL_QUESTION = 'What is the capital of Australia, and why was it chosen?';
export const CAPITAL_REFERENCE =
  'The capital of Australia is Canberra. It was chosen in 1908 as a compromise between Sydney and Melbourne, the two largest cities, which both wanted to be the capital.';
export const POOR_ANSWER = 'Sydney is the capital because it is the biggest city.';
