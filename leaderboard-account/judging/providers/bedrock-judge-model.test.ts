import { BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { JudgeModelError } from '../judge-model.js';
import { buildPairwiseCall } from '../prompts.js';
import { BedrockJudgeModel } from './bedrock-judge-model.js';

const bedrock = mockClient(BedrockRuntimeClient);
const call = buildPairwiseCall({ question: 'What is 2+2?', answerA: '4', answerB: 'five', nonce: 'abc' });

describe('the Bedrock Converse judge', () => {
  beforeEach(() => bedrock.reset());

  it('forces the verdict tool, sets temperature 0 and reads the tool input and usage', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: {
        message: {
          role: 'assistant',
          content: [
            {
              toolUse: {
                toolUseId: 't1',
                name: 'record_verdict',
                input: { rationale: 'A is right', verdict: 'A>>B' },
              },
            },
          ],
        },
      },
      stopReason: 'tool_use',
      usage: {
        inputTokens: 500,
        outputTokens: 40,
        totalTokens: 540,
        cacheReadInputTokens: 300,
        cacheWriteInputTokens: 0,
      },
      metrics: { latencyMs: 10 },
      $metadata: { attempts: 2 },
    });
    const model = new BedrockJudgeModel({
      modelId: 'judge-model',
      client: new BedrockRuntimeClient({ region: 'us-east-1' }),
      promptCaching: false,
      structuredOutput: 'tool',
    });
    const reply = await model.complete(call);
    expect(reply).toEqual({
      toolInput: { rationale: 'A is right', verdict: 'A>>B' },
      text: '',
      stopReason: 'tool_use',
      usage: { inputTokens: 500, outputTokens: 40, cacheReadTokens: 300, cacheWriteTokens: 0 },
      attempts: 2,
    });
    expect(bedrock).toHaveReceivedCommandWith(ConverseCommand, {
      modelId: 'judge-model',
      inferenceConfig: { maxTokens: call.maxTokens, temperature: 0 },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'record_verdict',
              description: call.tool.description,
              inputSchema: { json: call.tool.inputSchema as never },
            },
          },
        ],
        toolChoice: { tool: { name: 'record_verdict' } },
      },
    });
  });

  it('puts a cache point after the static system prompt and instructions when prompt caching is on', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ text: '[[A=B]]' }] } },
      stopReason: 'end_turn',
      $metadata: {},
    });
    const model = new BedrockJudgeModel({
      modelId: 'judge-model',
      client: new BedrockRuntimeClient({ region: 'us-east-1' }),
      promptCaching: true,
      structuredOutput: 'text',
    });
    const reply = await model.complete(call);
    expect(reply.text).toBe('[[A=B]]');
    const input = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
    expect(input?.toolConfig).toBeUndefined();
    expect(input?.system).toEqual([{ text: call.system }, { cachePoint: { type: 'default' } }]);
    expect(input?.messages?.[0]?.content).toEqual([
      { text: call.staticPrefix },
      { cachePoint: { type: 'default' } },
      { text: call.content },
    ]);
  });

  it('turns an SDK error into a JudgeModelError that keeps the error name and the attempts made', async () => {
    bedrock
      .on(ConverseCommand)
      .rejects(new ThrottlingException({ message: 'Too many requests', $metadata: { attempts: 8 } }));
    const model = new BedrockJudgeModel({
      modelId: 'judge-model',
      client: new BedrockRuntimeClient({ region: 'us-east-1' }),
      promptCaching: false,
      structuredOutput: 'tool',
    });
    const error = await model.complete(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeModelError);
    expect(error).toMatchObject({ code: 'ThrottlingException', attempts: 8, message: 'Too many requests' });
  });
});
