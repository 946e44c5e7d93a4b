import type { JudgeModel } from '../judging/judge-model.js';
import type { JudgeSettings } from '../judging/judge-settings.js';
import { BedrockJudgeModel, createBedrockClient } from '../judging/providers/bedrock-judge-model.js';
import { OpenAiJudgeModel } from '../judging/providers/openai-judge-model.js';

/** The judge the settings name; `endpoint` overrides Bedrock's (the emulator on the local stack). */
export function judgeModelFromSettings(
  settings: JudgeSettings,
  overrides: { endpoint?: string; retryDelayMs?: number } = {},
): JudgeModel {
  if (settings.provider === 'openai') {
    if (!settings.openaiBaseUrl) throw new Error('judge.provider openai needs judge.openaiBaseUrl');
    return new OpenAiJudgeModel({
      baseUrl: settings.openaiBaseUrl,
      modelId: settings.modelId,
      maxAttempts: settings.maxAttempts,
      timeoutMs: settings.timeoutMs,
      ...(settings.openaiApiKey ? { apiKey: settings.openaiApiKey } : {}),
    });
  }
  const endpoint = overrides.endpoint ?? settings.endpoint;
  return new BedrockJudgeModel({
    modelId: settings.modelId,
    client: createBedrockClient({
      region: settings.region,
      maxAttempts: settings.maxAttempts,
      ...(endpoint ? { endpoint } : {}),
      ...(overrides.retryDelayMs !== undefined ? { retryDelayMs: overrides.retryDelayMs } : {}),
    }),
    promptCaching: settings.promptCaching,
    structuredOutput: settings.structuredOutput,
  });
}
