/**
 * The port every judge provider implements (Bedrock Converse, OpenAI-compatible servers, the local
 * emulator through the Bedrock adapter). Judging code builds a {@link JudgeCall} and reads a
 * {@link JudgeReply}; it never sees a provider's wire format.
 */

/** A forced tool: the judge must answer by "calling" it with JSON that matches `inputSchema`. */
export interface JudgeTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

export interface JudgeCall {
  /** The system prompt: static for a prompt version. */
  readonly system: string;
  /** The static head of the user message (instructions, rubric). A prompt-cache point goes after it. */
  readonly staticPrefix: string;
  /** The per-call tail of the user message: the enveloped question and answers. */
  readonly content: string;
  readonly tool: JudgeTool;
  readonly maxTokens: number;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

export interface JudgeReply {
  /** The forced tool's input, when the provider used the tool. */
  readonly toolInput?: unknown;
  /** Any text the model wrote (the whole reply for providers without tools). */
  readonly text: string;
  readonly stopReason: string;
  readonly usage: TokenUsage;
  /** Transport attempts the provider's client made (1 = no retry). */
  readonly attempts: number;
}

export interface JudgeModel {
  readonly modelId: string;
  complete(call: JudgeCall): Promise<JudgeReply>;
}

/** A provider call that failed after the client's own retries. */
export class JudgeModelError extends Error {
  override readonly name = 'JudgeModelError';
  constructor(
    message: string,
    readonly code: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export const NO_USAGE: TokenUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
};

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}
