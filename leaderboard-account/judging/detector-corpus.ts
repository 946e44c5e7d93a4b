/**
 * The injection detector measured on a labelled corpus (`corpus/attacks.jsonl`, `corpus/benign.jsonl`):
 * answers written to game a judge, each labelled with the class of trick it uses, and honest answers
 * that a naive filter would flag (code, answers about prompts and judges, Markdown, quotes, other
 * languages). The corpus was written apart from the detector's rules, and a fixed part of it, chosen by
 * a hash of each entry's id (so no one picks it), is held out: the rules are tuned on `train` only,
 * and `heldout` says whether they generalise.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { type AnswerFlag, detectSuspiciousAnswer, findRepeatedAnswers } from './injection-detector.js';

export const CorpusEntry = z.object({
  id: z.string().min(1),
  label: z.enum(['attack', 'benign']),
  class: z.string().min(1),
  question: z.string(),
  answer: z.string(),
  reference: z.string().optional(),
  /** The same team's answers to other questions of the submission (for repeated answers). */
  otherAnswers: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type CorpusEntry = z.infer<typeof CorpusEntry>;

export type CorpusSplit = 'train' | 'heldout' | 'blind';

/**
 * About a third of `attacks.jsonl` and `benign.jsonl`, fixed by the SHA-256 of each id, is held out.
 * `fresh.jsonl`, `fresh2.jsonl` and `fresh3.jsonl` (ids `fresh…`) were each written later, blind to the rules and to
 * the other files, and measured before any rule was changed for them (the README gives those first
 * figures).
 */
export function corpusSplit(id: string): CorpusSplit {
  if (id.startsWith('fresh')) return 'blind';
  return (createHash('sha256').update(id).digest()[0] ?? 0) < 86 ? 'heldout' : 'train';
}

const CORPUS_DIR = new URL('./corpus/', import.meta.url);

export function loadCorpus(): CorpusEntry[] {
  return ['attacks.jsonl', 'benign.jsonl', 'fresh.jsonl', 'fresh2.jsonl', 'fresh3.jsonl'].flatMap((file) =>
    readFileSync(new URL(file, CORPUS_DIR), 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        if (line.trim() === '') return [];
        const parsed = CorpusEntry.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file} line ${index + 1}: ${parsed.error.issues[0]?.message}`);
        return [parsed.data];
      }),
  );
}

/** Every flag the League raises on the entry's answer, as judging a submission would. */
export function flagsOf(entry: CorpusEntry): AnswerFlag[] {
  const flags = detectSuspiciousAnswer(entry.answer, {
    question: entry.question,
    ...(entry.reference ? { reference: entry.reference } : {}),
  });
  const answers = new Map<string, string>([['self', entry.answer]]);
  (entry.otherAnswers ?? []).forEach((answer, k) => {
    answers.set(`other-${k}`, answer);
  });
  const repeated = findRepeatedAnswers(answers).get('self');
  return repeated ? [...flags, repeated] : flags;
}

export interface ClassScore {
  readonly label: 'attack' | 'benign';
  readonly name: string;
  readonly entries: number;
  /** Attack classes: answers flagged. Benign classes: answers wrongly flagged. */
  readonly flagged: number;
}

export interface CodeScore {
  readonly code: string;
  /** Answers this flag code was raised on, and how many of them were attacks. */
  readonly raised: number;
  readonly onAttacks: number;
}

export interface CorpusScore {
  readonly split: CorpusSplit | 'all';
  readonly classes: readonly ClassScore[];
  readonly codes: readonly CodeScore[];
  readonly attacks: number;
  readonly caught: number;
  readonly benign: number;
  readonly falsePositives: number;
  readonly recall: number;
  readonly falsePositiveRate: number;
  /** Of all flagged answers, the share that were attacks. */
  readonly precision: number;
  readonly misses: readonly { id: string; label: string; flags: string }[];
}

export function scoreCorpus(entries: readonly CorpusEntry[], split: CorpusSplit | 'all'): CorpusScore {
  const classes = new Map<string, { label: 'attack' | 'benign'; entries: number; flagged: number }>();
  const codes = new Map<string, { raised: number; onAttacks: number }>();
  const misses: { id: string; label: string; flags: string }[] = [];
  let attacks = 0;
  let caught = 0;
  let benign = 0;
  let falsePositives = 0;
  for (const entry of entries) {
    if (split !== 'all' && corpusSplit(entry.id) !== split) continue;
    const flags = flagsOf(entry);
    const flagged = flags.length > 0;
    const key = `${entry.label}/${entry.class}`;
    const row = classes.get(key) ?? { label: entry.label, entries: 0, flagged: 0 };
    row.entries += 1;
    if (flagged) row.flagged += 1;
    classes.set(key, row);
    for (const code of new Set(flags.map((f) => f.code))) {
      const c = codes.get(code) ?? { raised: 0, onAttacks: 0 };
      c.raised += 1;
      if (entry.label === 'attack') c.onAttacks += 1;
      codes.set(code, c);
    }
    if (entry.label === 'attack') {
      attacks += 1;
      if (flagged) caught += 1;
    } else {
      benign += 1;
      if (flagged) falsePositives += 1;
    }
    if (flagged !== (entry.label === 'attack')) {
      misses.push({
        id: entry.id,
        label: entry.label,
        flags: flags.map((f) => `${f.code}: ${f.detail}`).join(' | '),
      });
    }
  }
  const flaggedTotal = caught + falsePositives;
  return {
    split,
    classes: [...classes]
      .map(([key, row]) => ({ ...row, name: key.slice(key.indexOf('/') + 1) }))
      .sort((a, b) => (a.label === b.label ? (a.name < b.name ? -1 : 1) : a.label === 'attack' ? -1 : 1)),
    codes: [...codes].map(([code, c]) => ({ code, ...c })).sort((a, b) => (a.code < b.code ? -1 : 1)),
    attacks,
    caught,
    benign,
    falsePositives,
    recall: attacks > 0 ? caught / attacks : 1,
    falsePositiveRate: benign > 0 ? falsePositives / benign : 0,
    precision: flaggedTotal > 0 ? caught / flaggedTotal : 1,
    misses,
  };
}
