import * as z from 'zod';
import { FiniteNumber, RecordId, ScoringMode } from './common.js';

/** Pairwise verdict labels, Arena-Hard style: `A>>B` is a strong preference for A. */
export const Verdict = z.enum(['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A']);
export type Verdict = z.infer<typeof Verdict>;

/**
 * Which answer sat in position A. `candidate-first`: the team's answer is A and the reference B;
 * `reference-first`: positions swapped.
 */
export const JudgeOrder = z.enum(['candidate-first', 'reference-first', 'single']);
export type JudgeOrder = z.infer<typeof JudgeOrder>;

export const Judgment = z.object({
  submissionId: RecordId,
  questionId: RecordId,
  mode: ScoringMode,
  order: JudgeOrder,
  /** Pairwise modes: the verdict; absent when the judgment failed. */
  verdict: Verdict.optional(),
  /** Rubric mode: criterion name → score 1–10; absent when the judgment failed. */
  scores: z.record(z.string(), FiniteNumber).optional(),
  rationale: z.string(),
  judgeModel: z.string().min(1),
  promptVersion: z.string().min(1),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  flags: z.array(z.string()),
  /** Set when the judge's reply could not be used; the raw reply is kept in `rationale`. */
  error: z.string().optional(),
});
export type Judgment = z.infer<typeof Judgment>;
