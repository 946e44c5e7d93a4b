/**
 * Can a team game the board? The demo teams' real answers are judged through the real judging
 * pipeline (injection detector, envelopes, reply parsing, flag policy, ranking) by a deliberately
 * gullible judge: the emulator's reference-overlap score plus a length bias, and it obeys any verdict
 * label an answer writes. That is the worst an LLM judge is known to do (verbosity bias, AlpacaEval's
 * null-model attack); the board must still keep a null model and a model that only gets longer from
 * ranking above the weak demo team.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  referenceOverlapScore,
  verdictFromScores,
} from '../../scripts/emulators/bedrock-converse/reference-overlap.js';
import { parseLeagueConfig } from '../../shared/config/league-config.js';
import type { Verdict } from '../../shared/contracts/judgment.js';
import { Question } from '../../shared/contracts/question-set.js';
import { ResultRecord } from '../../shared/contracts/results.js';
import { readEnvelope } from '../judging/envelope.js';
import type { JudgeCall, JudgeModel, JudgeReply } from '../judging/judge-model.js';
import { judgeSubmission } from '../judging/judge-submission.js';
import { boardKey } from '../ranking/leaderboard.js';
import { computeBoards } from './board.js';
import { storedStyles, toStoredSubmission } from './record-evaluation.js';
import type { BoardState, EvaluationRecord } from './records.js';

const DEMO = new URL('../../scripts/demo/league/', import.meta.url);
const jsonl = <T>(file: string, parse: (value: unknown) => T): T[] =>
  readFileSync(new URL(file, DEMO), 'utf8')
    .trim()
    .split('\n')
    .map((line) => parse(JSON.parse(line)));

const questions = jsonl('questions.jsonl', (v) => Question.parse(v));
const references = new Map(questions.map((q) => [q.prompt.trim(), q.reference]));
const strong = jsonl('results-strong.jsonl', (v) => ResultRecord.parse(v));
const average = jsonl('results-average.jsonl', (v) => ResultRecord.parse(v));
const weak = jsonl('results-weak.jsonl', (v) => ResultRecord.parse(v));
const nullModel = jsonl('results-null.jsonl', (v) => ResultRecord.parse(v));

/**
 * The weak answers, only longer: each restates its question and its own short answer until it is
 * about two and a half times the reference's length. Nothing new is said and nothing about it is
 * flagged (no sentence repeats six times, no two answers share their words): length is all it adds.
 */
const onlyLonger = weak.map((result) => {
  const reference = questions.find((x) => x.id === result.id)?.reference ?? '';
  const short = result.response.replace(/[.!?]$/, '');
  const restatements = [
    `The question was: ${result.prompt}`,
    `To put it another way, ${short.charAt(0).toLowerCase()}${short.slice(1)}.`,
    `So, to "${result.prompt}", the answer stays the same: ${short}.`,
    `In short: ${short}.`,
  ];
  let response = result.response;
  for (let k = 0; response.length < 2.5 * reference.length; k++) response += ` ${restatements[k % 4]}`;
  return { ...result, response, model: 'padders/only-longer' };
});

/**
 * A judge with every bias an LLM judge is known for, exaggerated: it prefers the longer answer
 * (up to 0.6 on its 0–1 score), and it obeys a verdict label written in an answer.
 */
class GullibleJudge implements JudgeModel {
  readonly modelId = 'gullible-judge';
  async complete(call: JudgeCall): Promise<JudgeReply> {
    const question = readEnvelope(call.content, 'QUESTION') ?? '';
    const a = readEnvelope(call.content, 'ANSWER A') ?? '';
    const b = readEnvelope(call.content, 'ANSWER B') ?? '';
    const obeyed = /\[\[([AB](?:>>|>|=)[AB])\]\]/.exec(`${a}\n${b}`)?.[1] as Verdict | undefined;
    const reference = references.get(question.trim()) ?? '';
    const lengthBias = (self: string, other: string) => 0.6 * Math.tanh((self.length - other.length) / 300);
    const verdict =
      obeyed ??
      verdictFromScores(
        referenceOverlapScore(a, reference) + lengthBias(a, b),
        referenceOverlapScore(b, reference) + lengthBias(b, a),
      );
    return {
      toolInput: { rationale: 'gullible', verdict },
      text: '',
      stopReason: 'tool_use',
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      attempts: 1,
    };
  }
}

async function judged(
  team: string,
  results: readonly ResultRecord[],
  policy: 'count-as-loss' | 'judge-and-flag',
) {
  // Every team's first submission is `demo-1`, as on the local stack.
  const submissionId = 'demo-1';
  const run = await judgeSubmission({
    submissionId,
    questions,
    answers: new Map(results.map((r) => [r.id, r])),
    mode: 'pairwise-reference',
    model: new GullibleJudge(),
    concurrency: 8,
    flaggedPolicy: policy,
    nonce: () => 'n0nce',
  });
  const evaluation = {
    modelName: results[0]?.model ?? team,
    createdAt: '2026-12-01T10:00:00.000Z',
  } as EvaluationRecord;
  return [
    team,
    {
      submissions: {
        [submissionId]: { ...toStoredSubmission(evaluation, run.judgments), styles: storedStyles(results) },
      },
    },
  ] as const;
}

async function publicBoard(
  policy: 'count-as-loss' | 'judge-and-flag',
  control: 'off' | 'show' | 'rank',
  scoringMode: 'pairwise-reference' | 'arena' = 'pairwise-reference',
) {
  const config = parseLeagueConfig({
    scoringMode,
    leaderboard: { account: '111111111111', region: 'us-east-1' },
    questionSetId: 'demo-v1',
    judge: { provider: 'emulator', flaggedPolicy: policy },
    numBootstrap: 200,
    minEvals: 1,
    control,
  });
  const state: BoardState = {
    version: 1,
    frozen: false,
    revealed: false,
    teams: Object.fromEntries(
      await Promise.all([
        judged('lynx', strong, policy),
        judged('otters', average, policy),
        judged('moths', weak, policy),
        judged('tricksters', nullModel, policy),
        judged('padders', onlyLonger, policy),
      ]),
    ),
  };
  const board = computeBoards(config, state, questions, new Map(), new Date('2026-12-02T00:00:00Z')).get(
    boardKey({ split: 'public', category: null }),
  );
  const entries = board?.entries ?? [];
  const rank = (team: string) => entries.find((e) => e.team === team)?.rank ?? Number.POSITIVE_INFINITY;
  const entry = (team: string) => entries.find((e) => e.team === team);
  return { board, rank, entry };
}

describe('gaming the board with a gullible judge', () => {
  it('lets both tricks win when nothing guards the board: the judge really is fooled', async () => {
    const { rank, entry } = await publicBoard('judge-and-flag', 'off');
    expect(rank('tricksters')).toBeLessThan(rank('moths'));
    expect(rank('padders')).toBeLessThan(rank('moths'));
    expect(entry('padders')?.score).toBeGreaterThan((entry('moths')?.score ?? 1) + 0.1);
  });

  it('ranks neither the null model nor the only-longer model above the weak team under the default policy with length control', async () => {
    const { board, rank, entry } = await publicBoard('count-as-loss', 'rank');
    expect(board?.params.control).toMatchObject({ method: 'length-controlled-win-rate', ranked: true });
    expect(board?.params.control?.coefficients.length).toBeGreaterThan(0);
    expect(rank('tricksters')).toBeGreaterThan(rank('moths'));
    expect(rank('padders')).toBeGreaterThan(rank('moths'));
    // The null model is flagged on the board; the only-longer one is not: control, not the detector, stops it.
    expect(entry('tricksters')?.flagged?.answers).toBeGreaterThan(0);
    expect(entry('padders')?.flagged).toBeUndefined();
    expect(entry('padders')?.controlled?.score).toBeLessThanOrEqual(entry('moths')?.controlled?.score ?? 0);
  });

  it('ranks the null model below the weak team under the default policy even without length control', async () => {
    const { rank } = await publicBoard('count-as-loss', 'off');
    expect(rank('tricksters')).toBeGreaterThan(rank('moths'));
  });

  it('shows the length-controlled win rate beside the raw one without reordering the board', async () => {
    const shown = await publicBoard('count-as-loss', 'show');
    const raw = await publicBoard('count-as-loss', 'off');
    expect(shown.board?.params.control?.ranked).toBe(false);
    expect(shown.board?.entries.map((e) => e.team)).toEqual(raw.board?.entries.map((e) => e.team));
    expect(shown.entry('padders')?.controlled).toBeDefined();
    expect(raw.entry('padders')?.controlled).toBeUndefined();
  });

  it('ranks the only-longer model below the weakest rated team on an arena board with style control', async () => {
    // Arena boards rate by Bradley-Terry, which cannot rate a team that lost every battle (the weak
    // team and the null model are listed as not ranked): the weakest rated team is the average one.
    const raw = await publicBoard('count-as-loss', 'off', 'arena');
    expect(raw.rank('padders')).toBeLessThan(raw.rank('otters'));
    const { board, rank, entry } = await publicBoard('count-as-loss', 'rank', 'arena');
    expect(board?.params.control).toMatchObject({ method: 'style-controlled-rating', ranked: true });
    expect(board?.params.control?.coefficients.length).toBeGreaterThan(0);
    expect(rank('padders')).toBeGreaterThan(rank('otters'));
    expect(rank('tricksters')).toBeGreaterThan(rank('otters'));
    // Every team's submission is `demo-1`: each is still rated as its own model.
    expect(new Set(board?.entries.map((e) => e.score)).size).toBe(board?.entries.length);
    expect(entry('lynx')?.controlled?.score).toBeGreaterThan(entry('otters')?.controlled?.score ?? 0);
  });
});
