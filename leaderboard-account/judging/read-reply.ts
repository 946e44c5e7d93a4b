import * as z from 'zod';
import type { Criterion } from '../../shared/contracts/judge-criteria.js';
import { Verdict } from '../../shared/contracts/judgment.js';
import type { JudgeReply } from './judge-model.js';

/**
 * Reading a judge's reply: the forced tool's JSON first, then, for providers without tools, a
 * `[[A>B]]` label or a `{"scores": …}` object at the end of the text. Anything else is unusable and
 * says why; a reply is never guessed into a verdict or defaulted to a score.
 */
export type ReadResult<T> =
  | { readonly ok: true; readonly value: T; readonly rationale: string }
  | { readonly ok: false; readonly reason: string };

const RATIONALE_LIMIT = 2000;

const VerdictInput = z.object({ rationale: z.string(), verdict: Verdict });

export function readVerdict(reply: JudgeReply): ReadResult<Verdict> {
  if (reply.toolInput !== undefined) {
    const parsed = VerdictInput.safeParse(reply.toolInput);
    if (parsed.success)
      return { ok: true, value: parsed.data.verdict, rationale: clip(parsed.data.rationale) };
    return {
      ok: false,
      reason: `tool input is not a verdict: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    };
  }
  if (reply.stopReason === 'max_tokens') return { ok: false, reason: 'the reply was cut off (max_tokens)' };
  // The last bracketed label wins: a judge may quote the labels while reasoning.
  const labels = [...reply.text.matchAll(/\[\[\s*(A>>B|A>B|A=B|B>A|B>>A)\s*\]\]/g)];
  const last = labels[labels.length - 1];
  if (last?.[1]) return { ok: true, value: last[1] as Verdict, rationale: clip(reply.text) };
  return { ok: false, reason: 'no verdict label in the reply' };
}

export function readScores(
  reply: JudgeReply,
  criteria: readonly Criterion[],
): ReadResult<Record<string, number>> {
  const schema = scoresSchema(criteria);
  if (reply.toolInput !== undefined) {
    const parsed = schema.safeParse(reply.toolInput);
    if (parsed.success)
      return { ok: true, value: parsed.data.scores, rationale: clip(parsed.data.rationale ?? '') };
    return { ok: false, reason: `tool input is not a score sheet: ${describe(parsed.error)}` };
  }
  if (reply.stopReason === 'max_tokens') return { ok: false, reason: 'the reply was cut off (max_tokens)' };
  const json = lastJsonObject(reply.text);
  if (json === undefined) return { ok: false, reason: 'no {"scores": …} object in the reply' };
  const parsed = schema.safeParse({ rationale: reply.text, ...json });
  if (parsed.success) return { ok: true, value: parsed.data.scores, rationale: clip(reply.text) };
  return { ok: false, reason: `the scores object is not valid: ${describe(parsed.error)}` };
}

function scoresSchema(criteria: readonly Criterion[]) {
  const shape: Record<string, z.ZodNumber> = {};
  for (const criterion of criteria) shape[criterion.name] = z.number().int().min(1).max(10);
  return z.object({ rationale: z.string().optional(), scores: z.object(shape) });
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid';
}

/** The last balanced `{…}` in the text that parses as a JSON object. */
function lastJsonObject(text: string): Record<string, unknown> | undefined {
  for (let end = text.lastIndexOf('}'); end >= 0; end = text.lastIndexOf('}', end - 1)) {
    let depth = 0;
    for (let start = end; start >= 0; start--) {
      const ch = text[start];
      if (ch === '}') depth += 1;
      else if (ch === '{') depth -= 1;
      if (depth === 0) {
        try {
          const value: unknown = JSON.parse(text.slice(start, end + 1));
          if (typeof value === 'object' && value !== null && !Array.isArray(value))
            return value as Record<string, unknown>;
        } catch {
          // not JSON: keep looking further left
        }
        break;
      }
    }
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > RATIONALE_LIMIT ? `${text.slice(0, RATIONALE_LIMIT)}…` : text;
}
