import * as z from 'zod';
import { QuestionCategory, RecordId, Split } from './common.js';

/** One official question, as the organiser stores it (private to the leaderboard account). */
export const Question = z.object({
  id: RecordId,
  prompt: z.string().min(1),
  category: QuestionCategory,
  /** The reference model's answer: teams are judged against it. Never shown to participants. */
  reference: z.string().min(1),
  split: Split,
});
export type Question = z.infer<typeof Question>;

/** What a participant may see of a question. */
export const PublicQuestion = Question.pick({ id: true, prompt: true, category: true });
export type PublicQuestion = z.infer<typeof PublicQuestion>;

export function toPublicQuestion(question: Question): PublicQuestion {
  return { id: question.id, prompt: question.prompt, category: question.category };
}
