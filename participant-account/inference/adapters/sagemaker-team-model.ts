import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import {
  elapsedMs,
  type GenerateOptions,
  type Generation,
  type TeamModel,
  TeamModelError,
} from '../team-model.js';
import { callSignal, DEFAULT_CALL_TIMEOUT_MS, teamModelErrorFromSdk } from './call-errors.js';

export interface SageMakerTeamModelOptions {
  readonly endpointName: string;
  /** A client built once per container; `maxAttempts: 1`, since `runInference` owns the retries. */
  readonly client: SageMakerRuntimeClient;
  /** `max_new_tokens` when a call names none. */
  readonly maxNewTokens?: number;
  readonly temperature?: number;
  readonly timeoutMs?: number;
}

/**
 * A team model on a SageMaker real-time endpoint with a JumpStart text-generation payload (the
 * Hugging Face TGI and LMI containers JumpStart deploys): `{inputs, parameters: {max_new_tokens,
 * temperature, return_full_text: false}}`. The model name is the endpoint's.
 */
export class SageMakerTeamModel implements TeamModel {
  readonly modelName: string;

  constructor(private readonly options: SageMakerTeamModelOptions) {
    this.modelName = options.endpointName;
  }

  async generate(prompt: string, options: GenerateOptions = {}): Promise<Generation> {
    const payload = {
      inputs: prompt,
      parameters: {
        max_new_tokens: options.maxTokens ?? this.options.maxNewTokens ?? 512,
        temperature: this.options.temperature ?? 0.2,
        return_full_text: false,
      },
    };
    const start = performance.now();
    let body: string;
    try {
      const response = await this.options.client.send(
        new InvokeEndpointCommand({
          EndpointName: this.options.endpointName,
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: new TextEncoder().encode(JSON.stringify(payload)),
        }),
        { abortSignal: callSignal(this.options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, options.signal) },
      );
      body = new TextDecoder().decode(response.Body);
    } catch (error) {
      throw teamModelErrorFromSdk(error, 'SageMaker', options.signal);
    }
    return { text: generatedText(body), latencyMs: elapsedMs(start) };
  }
}

/**
 * The generated text in a JumpStart text-generation response. The containers JumpStart deploys answer
 * in one of these shapes, tried in order:
 *
 * - `[{"generated_text": "…"}]`: Hugging Face TGI (Mistral, Falcon, Llama 3, most JumpStart LLMs);
 * - `{"generated_text": "…"}`: LMI / DJL serving;
 * - `[{"generation": "…"}]`, `{"generation": "…"}`, or with `{"content": "…"}` in place of the string:
 *   Meta's Llama 2 JumpStart models (text and chat variants);
 * - `{"generated_texts": ["…"]}`: older JumpStart text-generation containers;
 * - `{"outputs": "…"}`, `{"outputs": ["…"]}` or `{"outputs": [{"text": "…"}]}`: other serving stacks, as
 *   a last resort.
 *
 * Anything else is a non-retryable `bad-response`: the endpoint runs a container this adapter does
 * not speak, and asking again will not change that.
 */
export function generatedText(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw badResponse('is not JSON', body);
  }
  const first = Array.isArray(value) ? value[0] : value;
  const text =
    textOf(field(first, 'generated_text')) ??
    textOf(field(first, 'generation')) ??
    textOf(field(first, 'generated_texts')) ??
    textOf(field(first, 'outputs'));
  if (text === undefined) throw badResponse('has no generated text in a known shape', body);
  return text;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** A string, the first of a list of strings, or the `content`/`text` of an object (or the first of a list). */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const item = Array.isArray(value) ? value[0] : value;
  if (typeof item === 'string') return item;
  const inner = field(item, 'content') ?? field(item, 'text') ?? field(item, 'generated_text');
  return typeof inner === 'string' ? inner : undefined;
}

function badResponse(problem: string, body: string): TeamModelError {
  return new TeamModelError('bad-response', `SageMaker response ${problem}: ${body.slice(0, 200)}`, {
    providerCode: 'UnknownResponseShape',
  });
}
