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

/** A suspicious-answer flag: a code to filter on and a short quote of what matched. */
export const AnswerFlag = z.object({ code: z.string().min(1), detail: z.string() });
export type AnswerFlag = z.infer<typeof AnswerFlag>;

/**
 * How a flagged answer is treated. `count-as-loss` (the default): a loss, whatever the judge would
 * have said, so cheating can never gain. `exclude`: the whole submission is left off the boards.
 * `judge-and-flag`: judged as usual; the flag is shown. In every case the board shows the flags.
 */
export const FlaggedAnswerPolicy = z.enum(['count-as-loss', 'exclude', 'judge-and-flag']);
export type FlaggedAnswerPolicy = z.infer<typeof FlaggedAnswerPolicy>;

/**
 * How a judge panel's verdicts become one: `median` (default) or `mean` of the judges' candidate
 * scores (see leaderboard-account/judging/panel.ts), rounded to the nearest label, halves toward a tie.
 */
export const PanelRule = z.enum(['median', 'mean']);
export type PanelRule = z.infer<typeof PanelRule>;

/** One panel judge's part in a judgment: its own verdict (or scores) and rationale, or why it failed. */
export const PanelVerdict = z.object({
  /** The judge's name in the panel (its model id unless the config names it). */
  judge: z.string().min(1),
  judgeModel: z.string().min(1),
  verdict: Verdict.optional(),
  scores: z.record(z.string(), FiniteNumber).optional(),
  rationale: z.string(),
  error: z.string().optional(),
  inputTokens: z.number().int().nonnegative().default(0),
  outputTokens: z.number().int().nonnegative().default(0),
  attempts: z.number().int().nonnegative().default(1),
});
export type PanelVerdict = z.infer<typeof PanelVerdict>;

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
  cacheReadTokens: z.number().int().nonnegative().default(0),
  cacheWriteTokens: z.number().int().nonnegative().default(0),
  /** Provider calls made for this judgment, transport retries and a re-ask after an unusable reply included. */
  attempts: z.number().int().nonnegative().default(1),
  /** What the injection detector saw in the candidate's answer; shown to the organiser. */
  flags: z.array(AnswerFlag),
  /** Set when the judge's reply could not be used; the raw reply is kept in `rationale`. */
  error: z.string().optional(),
  /** A panel of two or more judges: each judge's verdict; `verdict`/`scores` above are the combined result. */
  panel: z.array(PanelVerdict).optional(),
  panelRule: PanelRule.optional(),
});
export type Judgment = z.infer<typeof Judgment>;
