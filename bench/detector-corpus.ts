/**
 * The injection detector on its labelled corpus (leaderboard-account/judging/corpus/): recall per
 * attack class, false-positive rate per benign class and precision per flag code, on the tuning
 * split and on the held-out split side by side, and the detector's speed on the same answers.
 */
import {
  type CorpusScore,
  flagsOf,
  loadCorpus,
  scoreCorpus,
} from '../leaderboard-account/judging/detector-corpus.js';

export const DETECTOR_RECALL_TARGET = 0.98;
export const DETECTOR_FPR_TARGET = 0.01;

export interface DetectorBench {
  readonly train: CorpusScore;
  readonly heldout: CorpusScore;
  readonly fresh: CorpusScore;
  readonly answersPerS: number;
  readonly charsPerS: number;
}

export function measureDetectorCorpus(): DetectorBench {
  const corpus = loadCorpus();
  const train = scoreCorpus(corpus, 'train');
  const heldout = scoreCorpus(corpus, 'heldout');
  const fresh = scoreCorpus(corpus, 'blind');
  // Speed: every answer of the corpus, three times over, after one warm-up pass.
  for (const entry of corpus) flagsOf(entry);
  const started = performance.now();
  let chars = 0;
  for (let round = 0; round < 3; round++) {
    for (const entry of corpus) {
      flagsOf(entry);
      chars += entry.answer.length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { train, heldout, fresh, answersPerS: (3 * corpus.length) / seconds, charsPerS: chars / seconds };
}

const pct = (x: number) => x.toFixed(3);

export function formatDetectorCorpus(
  bench: DetectorBench,
  table: (headers: readonly string[], body: readonly (readonly string[])[]) => string,
): string {
  const { train, heldout, fresh } = bench;
  const rate = (score: CorpusScore, label: 'attack' | 'benign', name: string) => {
    const row = score.classes.find((c) => c.label === label && c.name === name);
    return row ? `${pct(row.flagged / row.entries)} (${row.flagged}/${row.entries})` : '–';
  };
  const classes = [
    ...new Set([...train.classes, ...heldout.classes].map((c) => `${c.label}/${c.name}`)),
  ].sort((a, b) =>
    a.startsWith('attack') === b.startsWith('attack') ? (a < b ? -1 : 1) : a.startsWith('attack') ? -1 : 1,
  );
  const classRows = classes.map((key) => {
    const [label, name] = key.split('/') as ['attack' | 'benign', string];
    const what = label === 'attack' ? 'recall' : 'false-positive rate';
    return [
      label,
      name,
      what,
      rate(train, label, name),
      rate(heldout, label, name),
      rate(fresh, label, name),
    ];
  });
  const codes = [...new Set([...train.codes, ...heldout.codes, ...fresh.codes].map((c) => c.code))].sort();
  const precision = (score: CorpusScore, code: string) => {
    const c = score.codes.find((x) => x.code === code);
    return c ? `${pct(c.onAttacks / c.raised)} (${c.onAttacks}/${c.raised})` : '–';
  };
  const met = (s: CorpusScore) =>
    s.recall >= DETECTOR_RECALL_TARGET && s.falsePositiveRate <= DETECTOR_FPR_TARGET ? 'met' : 'MISSED';
  const total = (s: CorpusScore) => [
    `${pct(s.recall)} (${s.caught}/${s.attacks})`,
    `${pct(s.falsePositiveRate)} (${s.falsePositives}/${s.benign})`,
    `${pct(s.precision)}`,
    met(s),
  ];
  return (
    `\ninjection detector on its labelled corpus (${train.attacks + heldout.attacks + fresh.attacks} attack and ${train.benign + heldout.benign + fresh.benign} benign answers; the held-out third is fixed by a hash of each id; the two written-blind sets came later and were each scored before any rule changed for them, see the README)\n\n` +
    table(['label', 'class', 'measure', 'tuning split', 'held-out split', 'written-blind sets'], classRows) +
    '\n' +
    table(
      ['flag code', 'precision, tuning split', 'precision, held-out split', 'precision, written-blind sets'],
      codes.map((code) => [code, precision(train, code), precision(heldout, code), precision(fresh, code)]),
    ) +
    '\n' +
    table(
      [
        'split',
        'recall',
        'false-positive rate',
        'precision',
        `target: recall ≥ ${DETECTOR_RECALL_TARGET}, FPR ≤ ${DETECTOR_FPR_TARGET}`,
      ],
      [
        ['tuning', ...total(train)],
        ['held-out', ...total(heldout)],
        ['written blind, later', ...total(fresh)],
      ],
    ) +
    `\nDetector speed on the same answers (flags + repeated-answer check, single-threaded): ${bench.answersPerS.toFixed(0)} answers/s, ${(bench.charsPerS / 1e6).toFixed(1)} M characters/s.\n`
  );
}
