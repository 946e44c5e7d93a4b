import type { JudgeCall, JudgeModel, JudgeReply } from '../judge-model.js';
import { JudgeModelError } from '../judge-model.js';

export interface OpenAiJudgeOptions {
  /** e.g. http://127.0.0.1:11434 for Ollama, http://127.0.0.1:8000 for vLLM. */
  readonly baseUrl: string;
  readonly modelId: string;
  readonly apiKey?: string;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** Injected for tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface ChatCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
}

/**
 * A judge on any OpenAI-compatible `/v1/chat/completions` server (Ollama, vLLM, …), with the tool's
 * schema as a JSON-schema response format. 429 and 5xx are retried with exponential back-off.
 */
export class OpenAiJudgeModel implements JudgeModel {
  readonly modelId: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: OpenAiJudgeOptions) {
    this.modelId = options.modelId;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async complete(call: JudgeCall): Promise<JudgeReply> {
    const body = JSON.stringify({
      model: this.modelId,
      temperature: 0,
      max_tokens: call.maxTokens,
      messages: [
        { role: 'system', content: call.system },
        { role: 'user', content: `${call.staticPrefix}\n\n${call.content}` },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: call.tool.name, schema: call.tool.inputSchema, strict: true },
      },
    });
    // The server's root, with or without the `/v1` the OpenAI SDKs' base URLs carry.
    const url = `${this.options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
    let lastError = '';
    let lastCode = 'Error';
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        lastError = (error as Error).message;
        lastCode = (error as Error).name === 'TimeoutError' ? 'Timeout' : 'NetworkError';
        await this.backoff(attempt);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        lastError = `HTTP ${response.status}`;
        lastCode = response.status === 429 ? 'ThrottlingException' : 'ServerError';
        await response.body?.cancel();
        await this.backoff(attempt);
        continue;
      }
      if (!response.ok) {
        throw new JudgeModelError(
          `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`,
          'ClientError',
          attempt,
        );
      }
      const completion = (await response.json()) as ChatCompletion;
      const choice = completion.choices?.[0];
      const text = choice?.message?.content ?? '';
      let toolInput: unknown;
      try {
        toolInput = JSON.parse(text);
      } catch {
        toolInput = undefined; // not JSON: the text fallback ([[A>B]]) is tried on it
      }
      const cached = completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      return {
        ...(toolInput !== undefined && typeof toolInput === 'object' ? { toolInput } : {}),
        text,
        stopReason: choice?.finish_reason === 'length' ? 'max_tokens' : (choice?.finish_reason ?? 'unknown'),
        usage: {
          inputTokens: Math.max(0, (completion.usage?.prompt_tokens ?? 0) - cached),
          outputTokens: completion.usage?.completion_tokens ?? 0,
          cacheReadTokens: cached,
          cacheWriteTokens: 0,
        },
        attempts: attempt,
      };
    }
    throw new JudgeModelError(lastError, lastCode, this.options.maxAttempts);
  }

  private async backoff(attempt: number): Promise<void> {
    if (attempt >= this.options.maxAttempts) return;
    await this.sleep(Math.min(20_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
  }
}
