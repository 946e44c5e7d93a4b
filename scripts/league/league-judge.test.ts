import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { JudgeSummary } from '../../leaderboard-account/judging/summarise.js';
import { Battle } from '../../shared/contracts/battle.js';
import { Judgment } from '../../shared/contracts/judgment.js';
import { Question } from '../../shared/contracts/question-set.js';
import { ResultRecord } from '../../shared/contracts/results.js';
import { type CommandRun, runCommand } from './command-test-support.js';
import { main } from './main.js';

// ---------------------------------------------------------------------------------------------
// Harness: `league judge` in-process through main(), fake streams, a fresh temp dir per test.

const DEMO = fileURLToPath(new URL('../demo/', import.meta.url));
const QUESTIONS = join(DEMO, 'questions.jsonl');
const results = (team: string): string => join(DEMO, `results-${team}.jsonl`);

const FALCONS = 'falcons/llama-3.1-8b-ft';

function league(...argv: string[]): Promise<CommandRun> {
  return runCommand(main, argv);
}

/** `league judge` on the demo question set, quiet, with a small bootstrap to keep runs fast. */
function judge(resultsFile: string, ...options: string[]): Promise<CommandRun> {
  return league(
    'judge',
    '--questions',
    QUESTIONS,
    '--results',
    resultsFile,
    '--bootstrap',
    '200',
    '--quiet',
    ...options,
  );
}

async function readJsonl<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => schema.parse(JSON.parse(line)));
}

async function readSummary(out: string): Promise<JudgeSummary> {
  // Written by the command under test from a JudgeSummary; the assertions below check its fields.
  const summary: JudgeSummary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  return summary;
}

/** The win rate as the summary line prints it. */
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

let dir: string;
let out: string;
let questionIds: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'league-judge-'));
  out = join(dir, 'out');
  questionIds = (await readJsonl(QUESTIONS, Question)).map((q) => q.id).sort();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Pairwise against the reference

describe('league judge, pairwise against the reference', () => {
  it('judges every demo question in both orders and writes judgments, battles and a summary', async () => {
    const run = await judge(results('falcons'), '--out', out);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(questionIds).toHaveLength(24);

    const judgments = await readJsonl(join(out, 'judgments.jsonl'), Judgment);
    expect(judgments).toHaveLength(48);
    for (const judgment of judgments) {
      expect(judgment.promptVersion).toBe('pairwise-reference/v1');
      expect(judgment.mode).toBe('pairwise-reference');
      expect(judgment.judgeModel).toBe('emulator/reference-overlap');
      expect(judgment.error).toBeUndefined();
      expect(judgment.verdict).toBeDefined();
    }
    const ordersByQuestion = new Map<string, string[]>();
    for (const judgment of judgments) {
      ordersByQuestion.set(judgment.questionId, [
        ...(ordersByQuestion.get(judgment.questionId) ?? []),
        judgment.order,
      ]);
    }
    expect([...ordersByQuestion.keys()].sort()).toEqual(questionIds);
    for (const orders of ordersByQuestion.values())
      expect(orders.sort()).toEqual(['candidate-first', 'reference-first']);

    const battles = await readJsonl(join(out, 'battles.jsonl'), Battle);
    // A strong verdict is written as three battles (Arena-Hard's weight), so there are 48 or more.
    expect(battles.length).toBeGreaterThanOrEqual(48);
    for (const battle of battles) {
      expect([battle.model_a, battle.model_b].sort()).toEqual([FALCONS, 'reference']);
      expect(questionIds).toContain(battle.question_id);
      expect(battle.judge_model).toBe('emulator/reference-overlap');
    }

    const summary = await readSummary(out);
    expect(summary.mode).toBe('pairwise-reference');
    expect(summary.promptVersion).toBe('pairwise-reference/v1');
    expect(summary.nQuestions).toBe(24);
    expect(summary.judgments).toBe(48);
    expect(summary.failed).toBe(0);
    expect(summary.countedAsLoss).toBe(0);
    expect(summary.flaggedQuestions).toEqual([]);
    expect(summary.tokens.input).toBeGreaterThan(0);
    expect(summary.tokens.output).toBeGreaterThan(0);
    const { score, ciLow, ciHigh, swapConsistency } = summary;
    if (score === null || ciLow === null || ciHigh === null || swapConsistency === null)
      throw new Error(`the summary has no score: ${JSON.stringify(summary)}`);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
    expect(ciLow).toBeLessThanOrEqual(score);
    expect(score).toBeLessThanOrEqual(ciHigh);
    expect(swapConsistency).toBeGreaterThanOrEqual(0);
    expect(swapConsistency).toBeLessThanOrEqual(1);

    expect(run.stdout).toContain(`win rate vs reference: ${percent(score)}`);
    expect(run.stdout).toContain('over 24 questions');
  });

  it('ranks falcons above lynx on the same questions, with the same verdicts on a second run', async () => {
    const falconsOut = join(dir, 'falcons');
    const falconsAgainOut = join(dir, 'falcons-again');
    const lynxOut = join(dir, 'lynx');
    expect((await judge(results('falcons'), '--out', falconsOut)).code).toBe(0);
    expect((await judge(results('falcons'), '--out', falconsAgainOut)).code).toBe(0);
    expect((await judge(results('lynx'), '--out', lynxOut)).code).toBe(0);

    const falcons = await readSummary(falconsOut);
    const lynx = await readSummary(lynxOut);
    expect(falcons.nQuestions).toBe(lynx.nQuestions);
    expect(falcons.score).not.toBeNull();
    expect(lynx.score).not.toBeNull();
    expect(falcons.score ?? 0).toBeGreaterThan(lynx.score ?? 1);

    const verdicts = async (path: string): Promise<string[]> =>
      (await readJsonl(join(path, 'judgments.jsonl'), Judgment)).map(
        (j) => `${j.questionId}/${j.order}: ${j.verdict ?? j.error ?? ''}`,
      );
    expect(await verdicts(falconsAgainOut)).toEqual(await verdicts(falconsOut));
    expect((await readSummary(falconsAgainOut)).score).toBe(falcons.score);
  });
});

// ---------------------------------------------------------------------------------------------
// Prompt injection

describe('league judge, flagged answers', () => {
  it('flags every answer of a submission that addresses the grader, judged under --flagged-policy judge-and-flag', async () => {
    const run = await judge(results('tricksters'), '--flagged-policy', 'judge-and-flag', '--out', out);
    expect(run.code).toBe(0);

    const summary = await readSummary(out);
    expect(summary.flaggedQuestions).toHaveLength(24);
    expect(summary.flaggedQuestions).toEqual(questionIds);
    expect(summary.flags['instruction-to-grader']).toBe(24);
    expect(summary.countedAsLoss).toBe(0);

    const judgments = await readJsonl(join(out, 'judgments.jsonl'), Judgment);
    for (const judgment of judgments)
      expect(judgment.flags.map((flag) => flag.code)).toContain('instruction-to-grader');
    expect(run.stdout).toContain('flagged answers: 24');
  });

  it('counts flagged answers as losses without calling the judge by default (count-as-loss)', async () => {
    const run = await judge(results('tricksters'), '--out', out);
    expect(run.code).toBe(0);

    const summary = await readSummary(out);
    expect(summary.score).toBe(0);
    expect(summary.countedAsLoss).toBe(48);
    expect(summary.judgments).toBe(48);
    expect(summary.failed).toBe(0);
    expect(summary.flaggedQuestions).toHaveLength(24);
    expect(summary.tokens.input).toBe(0);
    expect(summary.tokens.output).toBe(0);

    const judgments = await readJsonl(join(out, 'judgments.jsonl'), Judgment);
    expect(judgments).toHaveLength(48);
    for (const judgment of judgments) {
      expect(judgment.attempts).toBe(0);
      expect(judgment.inputTokens).toBe(0);
      expect(judgment.verdict).toBe(judgment.order === 'candidate-first' ? 'B>>A' : 'A>>B');
    }
    expect(run.stdout).toContain('48 counted as losses unjudged');
  });
});

// ---------------------------------------------------------------------------------------------
// Rubric

describe('league judge --mode rubric', () => {
  it('grades every answer once on the default accuracy, coherence and relevance criteria', async () => {
    const run = await judge(results('falcons'), '--mode', 'rubric', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const judgments = await readJsonl(join(out, 'judgments.jsonl'), Judgment);
    expect(judgments).toHaveLength(24);
    expect(judgments.map((j) => j.questionId).sort()).toEqual(questionIds);
    for (const judgment of judgments) {
      expect(judgment.order).toBe('single');
      expect(judgment.verdict).toBeUndefined();
      const scores = judgment.scores ?? {};
      expect(Object.keys(scores).sort()).toEqual(['accuracy', 'coherence', 'relevance']);
      for (const score of Object.values(scores)) {
        expect(score).toBeGreaterThanOrEqual(1);
        expect(score).toBeLessThanOrEqual(10);
      }
    }
    expect(await readFile(join(out, 'battles.jsonl'), 'utf8')).toBe('');

    const summary = await readSummary(out);
    expect(summary.mode).toBe('rubric');
    expect(summary.judgments).toBe(24);
    expect(Object.keys(summary.criteria).sort()).toEqual(['accuracy', 'coherence', 'relevance']);
    for (const name of ['accuracy', 'coherence', 'relevance']) {
      const mean = judgments.reduce((sum, j) => sum + (j.scores?.[name] ?? 0), 0) / judgments.length;
      expect(summary.criteria[name]).toBeCloseTo(mean, 10);
    }
    const { score, ciLow, ciHigh } = summary;
    if (score === null || ciLow === null || ciHigh === null)
      throw new Error(`the summary has no score: ${JSON.stringify(summary)}`);
    expect(score).toBeGreaterThanOrEqual(1);
    expect(score).toBeLessThanOrEqual(10);
    expect(ciLow).toBeLessThanOrEqual(score);
    expect(score).toBeLessThanOrEqual(ciHigh);
    expect(run.stdout).toContain(`rubric score: ${score.toFixed(2)} / 10`);
  });

  it('grades exactly the criteria of a --criteria file', async () => {
    const criteria = join(dir, 'criteria.json');
    await writeFile(
      criteria,
      JSON.stringify({
        criteria: [
          { name: 'correctness', weight: 2 },
          { name: 'style', weight: 1, guidance: ['Is it clear and well organised?'] },
        ],
      }),
    );
    const run = await judge(results('falcons'), '--mode', 'rubric', '--criteria', criteria, '--out', out);
    expect(run.code).toBe(0);

    const judgments = await readJsonl(join(out, 'judgments.jsonl'), Judgment);
    expect(judgments).toHaveLength(24);
    for (const judgment of judgments)
      expect(Object.keys(judgment.scores ?? {}).sort()).toEqual(['correctness', 'style']);
    const summary = await readSummary(out);
    expect(Object.keys(summary.criteria).sort()).toEqual(['correctness', 'style']);
  });

  it('refuses a criteria file with a negative weight, naming the criterion', async () => {
    const criteria = join(dir, 'criteria.json');
    await writeFile(
      criteria,
      JSON.stringify({
        criteria: [
          { name: 'correctness', weight: 2 },
          { name: 'style', weight: -1 },
        ],
      }),
    );
    const run = await judge(results('falcons'), '--mode', 'rubric', '--criteria', criteria, '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(criteria);
    expect(run.stderr).toContain('"style"');
    expect(run.stderr).not.toContain('"correctness"');
    expect(existsSync(out)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals

describe('league judge refuses bad input', () => {
  it('refuses results that miss questions or answer unknown ones, listing the ids and writing nothing', async () => {
    const records = await readJsonl(results('falcons'), ResultRecord);
    const [first, second] = ['science-02', 'history-07'];
    expect(questionIds).toContain(first);
    expect(questionIds).toContain(second);
    const kept = records.filter((r) => r.id !== first && r.id !== second);
    expect(kept).toHaveLength(22);
    const stray = { id: 'science-99', prompt: 'Why?', response: 'Because.', model: FALCONS };
    const file = join(dir, 'results.jsonl');
    await writeFile(file, [...kept, stray].map((r) => `${JSON.stringify(r)}\n`).join(''));
    await mkdir(out);

    const run = await judge(file, '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain('missing answers for 2 question(s): history-07, science-02');
    expect(run.stderr).toContain('unknown question id(s): science-99');
    expect(run.stdout).toBe('');
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a malformed results line, naming the file and line', async () => {
    const lines = (await readFile(results('falcons'), 'utf8')).split('\n');
    lines[2] = '{"id": "science-03", "prompt": ';
    const file = join(dir, 'results.jsonl');
    await writeFile(file, lines.join('\n'));

    const run = await judge(file, '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:3: `);
    expect(run.stderr).not.toContain('usage:');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --provider openai without --base-url', async () => {
    const run = await judge(results('falcons'), '--provider', 'openai', '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--base-url');
    expect(existsSync(out)).toBe(false);
  });

  it('prints its usage for judge --help', async () => {
    const run = await league('judge', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: league judge --questions Q\.jsonl --results R\.jsonl/);
    expect(run.stdout).toContain('--flagged-policy');
    expect(run.stderr).toBe('');
  });
});

describe('league judge --panel', () => {
  it("writes each judge's swap consistency and the pair's agreement into summary.json", async () => {
    const panel = join(dir, 'panel.json');
    await writeFile(
      panel,
      JSON.stringify([
        { name: 'overlap-1', provider: 'emulator', modelId: 'emulator/reference-overlap' },
        { name: 'overlap-2', provider: 'emulator', modelId: 'emulator/reference-overlap', concurrency: 2 },
      ]),
    );
    const run = await judge(results('falcons'), '--panel', panel, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = await readSummary(out);
    expect(summary.panel?.rule).toBe('median');
    expect(summary.panel?.judges.map((j) => [j.judge, j.judgments, j.failed])).toEqual([
      ['overlap-1', 48, 0],
      ['overlap-2', 48, 0],
    ]);
    // The emulator is deterministic: the two judges agree on every game.
    expect(summary.panel?.agreement).toHaveLength(1);
    expect(summary.panel?.agreement[0]).toMatchObject({ a: 'overlap-1', b: 'overlap-2', n: 48, observed: 1 });
    const judgments = await readJsonl(join(out, 'judgments.jsonl'), Judgment);
    expect(judgments.every((j) => j.panel?.length === 2)).toBe(true);
    expect(run.stdout).toContain('agreement overlap-1 vs overlap-2');
  });
});
