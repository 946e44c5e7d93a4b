import type { JudgeModel } from '../judging/judge-model.js';
import { type JudgeSettings, resolvePanel } from '../judging/judge-settings.js';
import type { JudgePanel } from '../judging/judge-submission.js';
import { BedrockJudgeModel, createBedrockClient } from '../judging/providers/bedrock-judge-model.js';
import { OpenAiJudgeModel } from '../judging/providers/openai-judge-model.js';
import { RateLimiter } from '../judging/rate-limiter.js';

/** The judge the settings name; `endpoint` overrides Bedrock's (the emulator on the local stack). */
export function judgeModelFromSettings(
  settings: Omit<JudgeSettings, 'panel' | 'panelRule'>,
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

/**
 * The judge panel the settings name (one judge without `judge.panel`), each judge with its own model
 * client and its own quota pacing; `quotaShare` scales every quota (a container's share of it).
 */
export function judgePanelFromSettings(
  settings: JudgeSettings,
  overrides: { endpoint?: string; retryDelayMs?: number; quotaShare?: number } = {},
): JudgePanel {
  const share = overrides.quotaShare ?? 1;
  const { quotaShare: _share, ...modelOverrides } = overrides;
  return {
    rule: settings.panelRule,
    judges: resolvePanel(settings).map((judge) => {
      const limits = {
        ...(judge.requestsPerMinute ? { requestsPerMinute: judge.requestsPerMinute * share } : {}),
        ...(judge.tokensPerMinute ? { tokensPerMinute: judge.tokensPerMinute * share } : {}),
      };
      return {
        name: judge.name,
        model: judgeModelFromSettings(judge, modelOverrides),
        concurrency: judge.concurrency,
        ...(limits.requestsPerMinute || limits.tokensPerMinute
          ? { rateLimiter: new RateLimiter(limits) }
          : {}),
      };
    }),
  };
}
