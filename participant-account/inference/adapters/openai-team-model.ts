import {
  elapsedMs,
  type GenerateOptions,
  type Generation,
  type TeamModel,
  TeamModelError,
} from '../team-model.js';
import { abortedOrTimedOut, callSignal, DEFAULT_CALL_TIMEOUT_MS } from './call-errors.js';

export interface OpenAiTeamModelOptions {
  /** The server's root (`http://127.0.0.1:11434` for Ollama, `http://127.0.0.1:8000` for vLLM); `/v1` may be included. */
  readonly baseUrl: string;
  readonly modelId: string;
  readonly apiKey?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly timeoutMs?: number;
  /** Injected for tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

interface ChatCompletion {
  readonly choices?: readonly { readonly message?: { readonly content?: string | null } }[];
}

/**
 * A team model on any OpenAI-compatible `/v1/chat/completions` server (vLLM, Ollama, TGI, LM Studio,
 * ...): one user message, no system prompt. Status codes map to {@link TeamModelError}s: 429 and 408
 * retryable (with the server's Retry-After), 5xx retryable, other 4xx not.
 */
export class OpenAiTeamModel implements TeamModel {
  readonly modelName: string;
  private readonly url: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OpenAiTeamModelOptions) {
    this.modelName = options.modelId;
    const root = options.baseUrl.replace(/\/+$/, '');
    this.url = `${root.endsWith('/v1') ? root : `${root}/v1`}/chat/completions`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async generate(prompt: string, options: GenerateOptions = {}): Promise<Generation> {
    const start = performance.now();
    let response: Response;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.options.modelId,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: options.maxTokens ?? this.options.maxTokens ?? 512,
          temperature: this.options.temperature ?? 0.2,
        }),
        signal: callSignal(this.options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, options.signal),
      });
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name === 'AbortError' || name === 'TimeoutError')
        throw abortedOrTimedOut(options.signal, 'OpenAI', error);
      throw new TeamModelError('network', `OpenAI: ${(error as Error).message}`, {
        providerCode: 'NetworkError',
        cause: error,
      });
    }
    if (!response.ok) throw await httpError(response);
    let completion: ChatCompletion;
    try {
      completion = (await response.json()) as ChatCompletion;
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name === 'AbortError' || name === 'TimeoutError')
        throw abortedOrTimedOut(options.signal, 'OpenAI', error);
      throw new TeamModelError('bad-response', 'OpenAI: the response is not JSON', {
        providerCode: 'InvalidJson',
        cause: error,
      });
    }
    const message = completion.choices?.[0]?.message;
    if (!message) {
      throw new TeamModelError('bad-response', 'OpenAI: the response has no choices[0].message', {
        providerCode: 'NoChoice',
      });
    }
    return { text: message.content ?? '', latencyMs: elapsedMs(start) };
  }
}

async function httpError(response: Response): Promise<TeamModelError> {
  const status = response.status;
  const detail = (await response.text().catch(() => '')).slice(0, 300);
  const message = `OpenAI: HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const providerCode = `HTTP ${status}`;
  if (status === 429 || status === 408) {
    const retryAfterMs = retryAfter(response.headers.get('retry-after'));
    return new TeamModelError(status === 429 ? 'throttled' : 'timeout', message, {
      providerCode,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) return new TeamModelError('unavailable', message, { providerCode });
  if (status === 401 || status === 403) return new TeamModelError('access-denied', message, { providerCode });
  if (status === 404) return new TeamModelError('not-found', message, { providerCode });
  return new TeamModelError('invalid-request', message, { providerCode });
}

/** Retry-After in seconds or as an HTTP date; capped at a minute so a confused server cannot stall a run. */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60_000) : undefined;
}
