import { describe, expect, it } from 'vitest';
import type { JudgeReply } from './judge-model.js';
import { NO_USAGE } from './judge-model.js';
import { readScores, readVerdict } from './read-reply.js';

const reply = (fields: Partial<JudgeReply>): JudgeReply => ({
  text: '',
  stopReason: 'end_turn',
  usage: NO_USAGE,
  attempts: 1,
  ...fields,
});
const criteria = [
  { name: 'accuracy', weight: 0.4 },
  { name: 'coherence', weight: 0.3 },
  { name: 'relevance', weight: 0.3 },
];

describe('reading a verdict', () => {
  it('takes the verdict from the forced tool', () => {
    const read = readVerdict(
      reply({ toolInput: { rationale: 'B is right', verdict: 'B>A' }, stopReason: 'tool_use' }),
    );
    expect(read).toEqual({ ok: true, value: 'B>A', rationale: 'B is right' });
  });

  it('refuses a tool input with a label outside the scale', () => {
    const read = readVerdict(reply({ toolInput: { rationale: 'x', verdict: 'A>>>B' } }));
    expect(read.ok).toBe(false);
  });

  it('falls back to the last [[label]] in text, for providers without tools', () => {
    const read = readVerdict(
      reply({ text: 'Labels are [[A>>B]] to [[B>>A]]. Having compared them: [[B>A]]' }),
    );
    expect(read.ok && read.value).toBe('B>A');
  });

  it('says a reply cut off at max_tokens is unusable instead of guessing', () => {
    const read = readVerdict(reply({ text: 'A is clearly', stopReason: 'max_tokens' }));
    expect(read).toEqual({ ok: false, reason: 'the reply was cut off (max_tokens)' });
  });

  it('says a reply without any label is unusable', () => {
    expect(readVerdict(reply({ text: 'Both are fine.' })).ok).toBe(false);
  });
});

describe('reading rubric scores', () => {
  it('takes every criterion from the tool input', () => {
    const read = readScores(
      reply({ toolInput: { rationale: 'ok', scores: { accuracy: 8, coherence: 7, relevance: 9 } } }),
      criteria,
    );
    expect(read).toEqual({ ok: true, value: { accuracy: 8, coherence: 7, relevance: 9 }, rationale: 'ok' });
  });

  it('refuses a score sheet with a missing criterion or a score out of 1–10', () => {
    expect(
      readScores(reply({ toolInput: { rationale: '', scores: { accuracy: 8, coherence: 7 } } }), criteria).ok,
    ).toBe(false);
    expect(
      readScores(
        reply({ toolInput: { rationale: '', scores: { accuracy: 11, coherence: 7, relevance: 9 } } }),
        criteria,
      ).ok,
    ).toBe(false);
    expect(
      readScores(
        reply({ toolInput: { rationale: '', scores: { accuracy: 7.5, coherence: 7, relevance: 9 } } }),
        criteria,
      ).ok,
    ).toBe(false);
  });

  it('falls back to the last JSON object with scores in text', () => {
    const text = 'Reasoning {not json}. Final: {"scores": {"accuracy": 6, "coherence": 5, "relevance": 7}}';
    const read = readScores(reply({ text }), criteria);
    expect(read.ok && read.value).toEqual({ accuracy: 6, coherence: 5, relevance: 7 });
  });
});
