import type { Verdict } from '../../../shared/contracts/judgment.js';

/**
 * The emulator's judge: a deterministic reference-overlap heuristic. It is NOT an LLM and does not
 * understand anything; it counts shared content words. It exists so that the whole judging pipeline
 * (prompts, transport, retries, parsing, ranking) can run and be tested on a laptop with stable,
 * explainable outcomes: an answer that says what the reference says beats one that does not.
 */

/** Words too common to say anything about whether an answer covers the reference. */
const STOPWORDS = new Set(
  `a an the and or but if then else of to in on at by for with from as into onto about over under
   is are was were be been being am it its it's this that these those there here their theirs they them
   he she his her hers him we us our ours you your yours i me my mine not no nor do does did doing done
   so than such can could would should will shall may might must have has had having what which who
   whom whose when where why how also just only very too more most some any each other all both few
   s t up down out off again further once own same`.split(/\s+/),
);

/** Lower-cased word tokens (letters and digits, any script). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct content words of a text: word tokens minus stopwords. */
export function contentWords(text: string): Set<string> {
  return new Set(wordTokens(text).filter((word) => !STOPWORDS.has(word)));
}

/** Share of `expected`'s content words that appear in `text`; 1 when there is nothing to cover. */
export function recall(expected: ReadonlySet<string>, text: string): number {
  if (expected.size === 0) return 1;
  const present = contentWords(text);
  let hits = 0;
  for (const word of expected) if (present.has(word)) hits += 1;
  return hits / expected.size;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * How well an answer covers a reference answer: recall of the reference's content words, minus a
 * verbosity penalty of 0.1 for every reference-length beyond twice the reference, clamped to [0, 1].
 * An empty answer scores 0.
 */
export function referenceOverlapScore(answer: string, reference: string): number {
  if (answer.trim() === '') return 0;
  const overshoot = reference.length > 0 ? Math.max(0, answer.length / reference.length - 2) : 0;
  return clamp01(recall(contentWords(reference), answer) - 0.1 * overshoot);
}

/**
 * How well an answer covers the question when no reference is known: recall of the question's
 * content words. No verbosity penalty: a question is no yardstick for an answer's length.
 */
export function questionCoverageScore(answer: string, question: string): number {
  if (answer.trim() === '') return 0;
  return clamp01(recall(contentWords(question), answer));
}

export const TIE_BELOW = 0.08;
export const STRONG_ABOVE = 0.3;

/**
 * The verdict from two scores: |d| < 0.08 a tie, up to 0.3 a slight preference, beyond a strong one.
 * Swapping the scores mirrors the verdict exactly (IEEE subtraction is antisymmetric).
 */
export function verdictFromScores(scoreA: number, scoreB: number): Verdict {
  const difference = scoreA - scoreB;
  const size = Math.abs(difference);
  if (size < TIE_BELOW) return 'A=B';
  if (difference > 0) return size > STRONG_ABOVE ? 'A>>B' : 'A>B';
  return size > STRONG_ABOVE ? 'B>>A' : 'B>A';
}

export interface PairwiseInput {
  readonly question: string;
  readonly answerA: string;
  readonly answerB: string;
  /** The reference answer, when the emulator knows the question; the prompt itself is blind. */
  readonly reference?: string;
}

export interface OverlapVerdict {
  readonly verdict: Verdict;
  readonly scoreA: number;
  readonly scoreB: number;
  readonly basis: 'reference' | 'question';
  readonly rationale: string;
}

/** The pairwise judgment: both answers scored on their own, then compared. */
export function referenceOverlapVerdict(input: PairwiseInput): OverlapVerdict {
  const basis = input.reference === undefined ? 'question' : 'reference';
  const score = (answer: string): number =>
    input.reference === undefined
      ? questionCoverageScore(answer, input.question)
      : referenceOverlapScore(answer, input.reference);
  const scoreA = score(input.answerA);
  const scoreB = score(input.answerB);
  const verdict = verdictFromScores(scoreA, scoreB);
  const measure =
    basis === 'reference'
      ? "recall of the reference answer's content words, less a verbosity penalty"
      : "coverage of the question's content words (question not among the emulator's references)";
  const rationale = `Reference-overlap heuristic, not an LLM. Score = ${measure}. A ${scoreA.toFixed(2)}, B ${scoreB.toFixed(2)}, difference ${(scoreA - scoreB).toFixed(2)}: ${verdict}.`;
  return { verdict, scoreA, scoreB, basis, rationale };
}

/**
 * How sane an answer's shape is, in [0, 1]: the mean of (1) sentence length (3–35 words a sentence
 * is normal), (2) repetition (distinct content words over all content words, 0.4 or more is normal)
 * and (3) a finished last sentence. An empty answer scores 0.
 */
export function coherenceScore(answer: string): number {
  const text = answer.trim();
  const words = wordTokens(text);
  if (words.length === 0) return 0;
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).filter((s) => wordTokens(s).length > 0).length;
  const wordsPerSentence = words.length / Math.max(1, sentences);
  const sentenceLength =
    wordsPerSentence < 3 ? wordsPerSentence / 3 : wordsPerSentence > 35 ? 35 / wordsPerSentence : 1;
  const content = words.filter((word) => !STOPWORDS.has(word));
  const distinct = content.length === 0 ? 0 : new Set(content).size / content.length;
  const repetition = Math.min(1, distinct / 0.4);
  const finished = /[.!?:;)"'`*\]]$/.test(text) ? 1 : 0.6;
  return (sentenceLength + repetition + finished) / 3;
}

/** A [0, 1] feature as a 1–10 grade. */
export function toGrade(score: number): number {
  return 1 + Math.round(9 * clamp01(score));
}

export interface RubricInput {
  readonly question: string;
  readonly reference: string;
  readonly answer: string;
  readonly criteria: readonly string[];
}

export interface OverlapScoreSheet {
  readonly scores: Record<string, number>;
  readonly rationale: string;
}

/**
 * The rubric judgment, one integer 1–10 per criterion (names matched case-insensitively):
 * accuracy = reference overlap, relevance = question coverage, coherence = answer shape, and any
 * other criterion = the rounded mean of those three grades.
 */
export function referenceOverlapScores(input: RubricInput): OverlapScoreSheet {
  const accuracy = toGrade(referenceOverlapScore(input.answer, input.reference));
  const relevance = toGrade(questionCoverageScore(input.answer, input.question));
  const coherence = toGrade(coherenceScore(input.answer));
  const mean = Math.round((accuracy + relevance + coherence) / 3);
  const scores: Record<string, number> = {};
  for (const criterion of input.criteria) {
    const key = criterion.toLowerCase();
    scores[criterion] =
      key === 'accuracy'
        ? accuracy
        : key === 'relevance'
          ? relevance
          : key === 'coherence'
            ? coherence
            : mean;
  }
  const rationale = `Reference-overlap heuristic, not an LLM. Reference overlap ${accuracy}/10, question coverage ${relevance}/10, answer shape ${coherence}/10; other criteria take the mean, ${mean}/10.`;
  return { scores, rationale };
}
