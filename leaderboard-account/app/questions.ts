import { type PublicQuestion, toPublicQuestion } from '../../shared/contracts/question-set.js';
import type { ObjectStore } from '../../shared/storage/object-store.js';
import { loadQuestionSet } from './run-evaluation.js';

/** What a team may see of the official questions: ids, prompts, categories; never references or the split. */
export async function listPublicQuestions(
  store: ObjectStore,
  questionSetId: string,
): Promise<PublicQuestion[]> {
  return (await loadQuestionSet(store, questionSetId)).map(toPublicQuestion);
}
