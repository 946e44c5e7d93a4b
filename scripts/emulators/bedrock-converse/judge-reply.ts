import * as z from 'zod';
import { neutralise, readEnvelope } from '../../../leaderboard-account/judging/envelope.js';
import type { Verdict } from '../../../shared/contracts/judgment.js';
import { type ConverseRequest, type RequestedTool, requestedTool, userText } from './converse-request.js';
import { referenceOverlapScores, referenceOverlapVerdict } from './reference-overlap.js';
import { estimateTokens } from './token-accounting.js';

/** Criteria graded when neither the tool schema nor the prompt names any. */
export const DEFAULT_CRITERIA: readonly string[] = ['accuracy', 'relevance', 'coherence'];

/** The reference answers the emulator knows, looked up by question text as it appears in a prompt. */
export class ReferenceBook {
  private readonly byQuestion = new Map<string, string>();

  constructor(references: ReadonlyMap<string, string> = new Map()) {
    for (const [question, reference] of references) this.byQuestion.set(questionKey(question), reference);
  }

  lookup(questionInPrompt: string): string | undefined {
    return this.byQuestion.get(questionKey(questionInPrompt));
  }
}

/** Prompts carry neutralised text (`<<<` → `< < <`), so keys are neutralised, and whitespace-normalised. */
function questionKey(question: string): string {
  return neutralise(question).trim().replace(/\s+/g, ' ');
}

export type Judgement =
  | { readonly kind: 'pairwise'; readonly verdict: Verdict; readonly rationale: string }
  | { readonly kind: 'rubric'; readonly scores: Record<string, number>; readonly rationale: string }
  | { readonly kind: 'unrecognised'; readonly rationale: string };

/** Reads the League's enveloped sections out of the request and judges them. */
export function judgeRequest(request: ConverseRequest, references: ReferenceBook): Judgement {
  const prompt = userText(request);
  const question = readEnvelope(prompt, 'QUESTION') ?? '';
  const answerA = readEnvelope(prompt, 'ANSWER A');
  const answerB = readEnvelope(prompt, 'ANSWER B');
  if (answerA !== undefined && answerB !== undefined) {
    const reference = references.lookup(question);
    const { verdict, rationale } = referenceOverlapVerdict({
      question,
      answerA,
      answerB,
      ...(reference === undefined ? {} : { reference }),
    });
    return { kind: 'pairwise', verdict, rationale };
  }
  const reference = readEnvelope(prompt, 'REFERENCE');
  const answer = readEnvelope(prompt, 'ANSWER');
  if (reference !== undefined && answer !== undefined) {
    const criteria =
      criteriaFromTool(requestedTool(request)) ?? criteriaFromPrompt(prompt) ?? DEFAULT_CRITERIA;
    return { kind: 'rubric', ...referenceOverlapScores({ question, reference, answer, criteria }) };
  }
  return {
    kind: 'unrecognised',
    rationale:
      'This is the LLM League judge emulator, a reference-overlap heuristic and not an LLM. It only judges prompts with QUESTION and ANSWER A/ANSWER B, or QUESTION, REFERENCE and ANSWER sections.',
  };
}

const ScoresToolSchema = z.object({
  properties: z.object({ scores: z.object({ properties: z.record(z.string(), z.unknown()) }) }),
});

/** The criteria a `record_scores`-style tool asks for: the keys of `properties.scores.properties`. */
export function criteriaFromTool(tool: RequestedTool | undefined): readonly string[] | undefined {
  const parsed = ScoresToolSchema.safeParse(tool?.inputSchema);
  return parsed.success ? Object.keys(parsed.data.properties.scores.properties) : undefined;
}

/**
 * Text mode: the criteria named in the instructions' example `{"scores": {"accuracy": 7, …}}`,
 * looked for outside the enveloped data so that an answer cannot add criteria of its own.
 */
export function criteriaFromPrompt(prompt: string): readonly string[] | undefined {
  const instructions = prompt.replace(/<<<([A-Z ]+) ([A-Za-z0-9]+)>>>\n[\s\S]*?\n<<<END \1 \2>>>/g, '');
  const example = /\{\s*"scores"\s*:\s*\{([^{}]*)\}\s*\}/.exec(instructions)?.[1];
  if (example === undefined) return undefined;
  const names = [...example.matchAll(/"([^"]+)"\s*:/g)].flatMap((match) => (match[1] ? [match[1]] : []));
  return names.length > 0 ? names : undefined;
}

export type OutputBlock =
  | { readonly text: string }
  | { readonly toolUse: { toolUseId: string; name: string; input: unknown } };

export interface RenderedReply {
  readonly content: OutputBlock[];
  readonly stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  readonly outputTokens: number;
  readonly malformed: boolean;
  readonly truncated: boolean;
}

export interface RenderOptions {
  /** The tool to call; undefined = answer in text. */
  readonly tool: RequestedTool | undefined;
  readonly toolUseId: string;
  readonly fault: 'malformed' | 'truncated' | undefined;
  /** Picks the kind of malformed reply, in [0, 1). */
  readonly malformedVariant: number;
  readonly maxTokens: number | undefined;
}

/**
 * Turns a judgement into Converse output content: a tool call, or text ending in `[[A>B]]` or a
 * `{"scores": …}` object; or, when a fault is injected, a reply that a careful reader must reject.
 * A reply longer than the request's `maxTokens` is cut off as the real service would (`max_tokens`).
 */
export function renderReply(judgement: Judgement, options: RenderOptions): RenderedReply {
  const malformed = options.fault === 'malformed' && judgement.kind !== 'unrecognised';
  const text = replyText(judgement, malformed ? options.malformedVariant : undefined);
  const useTool = options.tool !== undefined && judgement.kind !== 'unrecognised';
  const fullTokens = estimateTokens(
    useTool
      ? JSON.stringify(toolInput(judgement, malformed ? options.malformedVariant : undefined)).length
      : text.length,
  );
  const overLimit = options.maxTokens !== undefined && fullTokens > options.maxTokens;
  if (options.fault === 'truncated' || overLimit) {
    const limit = overLimit && options.maxTokens !== undefined ? options.maxTokens * 4 : text.length;
    const cut = text.slice(0, Math.max(1, Math.min(limit, Math.floor(text.length / 2))));
    return {
      content: [{ text: cut }],
      stopReason: 'max_tokens',
      outputTokens: estimateTokens(cut.length),
      malformed: false,
      truncated: true,
    };
  }
  if (useTool && options.tool) {
    const input = toolInput(judgement, malformed ? options.malformedVariant : undefined);
    return {
      content: [{ toolUse: { toolUseId: options.toolUseId, name: options.tool.name, input } }],
      stopReason: 'tool_use',
      outputTokens: fullTokens,
      malformed,
      truncated: false,
    };
  }
  return {
    content: [{ text }],
    stopReason: 'end_turn',
    outputTokens: fullTokens,
    malformed,
    truncated: false,
  };
}

/** The tool input; with a malformed variant, one that fails the tool's schema. */
function toolInput(judgement: Judgement, malformedVariant: number | undefined): Record<string, unknown> {
  const { rationale } = judgement;
  if (judgement.kind === 'pairwise') {
    if (malformedVariant === undefined) return { rationale, verdict: judgement.verdict };
    return malformedVariant < 0.5 ? { rationale } : { rationale, verdict: 'A>>>B' };
  }
  if (judgement.kind === 'rubric') {
    if (malformedVariant === undefined) return { rationale, scores: judgement.scores };
    const first = Object.keys(judgement.scores)[0];
    if (malformedVariant < 1 / 3 && first !== undefined)
      return { rationale, scores: { ...judgement.scores, [first]: 11 } };
    if (malformedVariant < 2 / 3 && first !== undefined)
      return { rationale, scores: { ...judgement.scores, [first]: 0 } };
    return { rationale };
  }
  return { rationale };
}

/** The text-mode reply; with a malformed variant, one without a usable label or score object. */
function replyText(judgement: Judgement, malformedVariant: number | undefined): string {
  if (judgement.kind === 'pairwise') {
    if (malformedVariant === undefined) return `${judgement.rationale}\n\n[[${judgement.verdict}]]`;
    return malformedVariant < 0.5 ? judgement.rationale : `${judgement.rationale}\n\n[[A>>>B]]`;
  }
  if (judgement.kind === 'rubric') {
    if (malformedVariant === undefined)
      return `${judgement.rationale}\n\n${JSON.stringify({ scores: judgement.scores })}`;
    if (malformedVariant < 0.5) return judgement.rationale;
    const first = Object.keys(judgement.scores)[0];
    const scores = first === undefined ? {} : { ...judgement.scores, [first]: 11 };
    return `${judgement.rationale}\n\n${JSON.stringify({ scores })}`;
  }
  return judgement.rationale;
}
