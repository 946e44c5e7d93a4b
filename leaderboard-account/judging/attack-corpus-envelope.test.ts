/**
 * No attack of the corpus reaches the judge as anything but data. Each flagged attack answer is put
 * into the real pairwise prompt (nonce delimiters) against an honest answer, in both orders, and the
 * judge emulator reads its sections back out of the prompt as it does on every call. Its verdict must
 * be exactly the verdict of the same two texts judged directly: a forged delimiter, a fake section or
 * a fake verdict changes nothing the emulator reads.
 *
 * What this can and cannot show: the emulator is a reference-overlap heuristic, not an LLM, so this
 * checks the envelope (the answer cannot leave its section or forge another), not whether a real model
 * would be swayed by the words inside it. That is why flagged answers are also scored by the league's
 * flag policy (count-as-loss by default) instead of trusting the judge.
 */
import { describe, expect, it } from 'vitest';
import { judgeRequest, ReferenceBook } from '../../scripts/emulators/bedrock-converse/judge-reply.js';
import { referenceOverlapVerdict } from '../../scripts/emulators/bedrock-converse/reference-overlap.js';
import { flagsOf, loadCorpus } from './detector-corpus.js';
import { neutralise, readEnvelope } from './envelope.js';
import { buildPairwiseCall } from './prompts.js';

const HONEST = 'A careful, correct answer that covers the main points of the question in plain words.';

const flaggedAttacks = loadCorpus().filter((e) => e.label === 'attack' && flagsOf(e).length > 0);

describe('attacks of the corpus inside the judge prompt', () => {
  it('has flagged attacks to try', () => {
    expect(flaggedAttacks.length).toBeGreaterThanOrEqual(150);
  });

  it.each(flaggedAttacks.map((e) => [e.id, e] as const))(
    'leaves the emulator’s verdict unchanged for %s, in both orders',
    (_id, entry) => {
      const honest = entry.reference ?? HONEST;
      const book = new ReferenceBook(new Map([[entry.question, honest]]));
      for (const [answerA, answerB] of [
        [entry.answer, honest],
        [honest, entry.answer],
      ] as const) {
        const call = buildPairwiseCall({ question: entry.question, answerA, answerB, nonce: 'f00dfeed1234' });
        const prompt = `${call.staticPrefix}\n\n${call.content}`;
        // Each section reads back as exactly what was put in, the attack's own markers included.
        expect(readEnvelope(prompt, 'ANSWER A')).toBe(neutralise(answerA));
        expect(readEnvelope(prompt, 'ANSWER B')).toBe(neutralise(answerB));
        expect(readEnvelope(prompt, 'QUESTION')).toBe(neutralise(entry.question));
        const judged = judgeRequest(
          { messages: [{ role: 'user', content: [{ text: call.staticPrefix }, { text: call.content }] }] },
          book,
        );
        const direct = referenceOverlapVerdict({
          question: neutralise(entry.question),
          answerA: neutralise(answerA),
          answerB: neutralise(answerB),
          reference: honest,
        });
        expect(judged.kind).toBe('pairwise');
        if (judged.kind === 'pairwise') expect(judged.verdict).toBe(direct.verdict);
      }
    },
  );
});
