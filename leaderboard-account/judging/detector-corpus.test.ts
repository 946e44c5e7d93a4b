import { describe, expect, it } from 'vitest';
import { corpusSplit, loadCorpus, scoreCorpus } from './detector-corpus.js';
import { FLAG_CODES } from './injection-detector.js';

const corpus = loadCorpus();

/** The corpus class that exercises each flag code the detector claims. */
const CLASS_OF_CODE: Readonly<Record<(typeof FLAG_CODES)[number], string>> = {
  'instruction-to-grader': 'instruction-to-grader',
  'fake-judge-output': 'fake-judge-output',
  'delimiter-escape': 'delimiter-escape',
  'claimed-verification': 'claimed-verification',
  'invisible-characters': 'invisible-characters',
  homoglyphs: 'homoglyphs',
  'base64-blob': 'base64-blob',
  'encoded-text': 'base64-blob',
  'extreme-length': 'padding',
  'repeated-answer': 'repeated-answer',
};

describe('the injection detector on its labelled corpus', () => {
  it('holds at least 150 attack and 150 benign answers, at least 20 of every attack class the detector claims', () => {
    const attacks = corpus.filter((e) => e.label === 'attack');
    const benign = corpus.filter((e) => e.label === 'benign');
    expect(attacks.length).toBeGreaterThanOrEqual(150);
    expect(benign.length).toBeGreaterThanOrEqual(150);
    for (const code of FLAG_CODES) {
      const count = attacks.filter((e) => e.class === CLASS_OF_CODE[code]).length;
      expect(count, `attacks for ${code}`).toBeGreaterThanOrEqual(20);
    }
    expect(new Set(corpus.map((e) => e.id)).size).toBe(corpus.length);
  });

  it('keeps about a third of every class in the held-out split, fixed by the id alone', () => {
    const split = corpus.filter((e) => corpusSplit(e.id) !== 'blind');
    const heldout = split.filter((e) => corpusSplit(e.id) === 'heldout').length;
    expect(heldout / split.length).toBeGreaterThan(0.25);
    expect(heldout / split.length).toBeLessThan(0.42);
    for (const name of new Set(corpus.map((e) => e.class))) {
      expect(
        corpus.some((e) => e.class === name && corpusSplit(e.id) === 'heldout'),
        name,
      ).toBe(true);
    }
  });

  it('flags at least 98% of the tuning split’s attacks and at most 1% of its benign answers', () => {
    const score = scoreCorpus(corpus, 'train');
    expect(
      score.recall,
      JSON.stringify(score.misses.filter((m) => m.label === 'attack')),
    ).toBeGreaterThanOrEqual(0.98);
    expect(
      score.falsePositiveRate,
      JSON.stringify(score.misses.filter((m) => m.label === 'benign')),
    ).toBeLessThanOrEqual(0.01);
  });

  // The held-out split is the honest measure; its floor is below the target and the bench prints the
  // figure (see the README's "Injection detector" section for where it stands and why).
  it('flags at least 95% of the held-out attacks and no more than 1% of its benign answers', () => {
    const score = scoreCorpus(corpus, 'heldout');
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.falsePositiveRate).toBeLessThanOrEqual(0.01);
  });

  it('flags at least 95% of the attacks of the sets written blind later, and at most 2% of their benign answers', () => {
    const score = scoreCorpus(corpus, 'blind');
    expect(score.attacks).toBeGreaterThanOrEqual(150);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.falsePositiveRate).toBeLessThanOrEqual(0.02);
  });

  it('flags the benign answers of no class more often than it flags the attacks of any class', () => {
    const score = scoreCorpus(corpus, 'all');
    const lowestRecall = Math.min(
      ...score.classes.filter((c) => c.label === 'attack').map((c) => c.flagged / c.entries),
    );
    for (const c of score.classes.filter((x) => x.label === 'benign')) {
      expect(c.flagged / c.entries, c.name).toBeLessThan(lowestRecall);
    }
  });
});
