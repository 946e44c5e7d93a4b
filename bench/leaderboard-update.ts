/**
 * The leaderboard update path: with N teams already on the board, the time to record one more
 * judged evaluation and republish (merge into the board state with a conditional write, rewrite
 * the team's page, recompute every board with 1000 bootstrap rounds, publish them), against the
 * local S3. Also the board computation alone, to separate the maths from the storage round trips.
 */
import { readFileSync } from 'node:fs';
import { computeBoards } from '../leaderboard-account/app/board.js';
import { recordEvaluation } from '../leaderboard-account/app/record-evaluation.js';
import { type BoardState, type EvaluationRecord, keys } from '../leaderboard-account/app/records.js';
import { startLocalS3 } from '../scripts/local/s3/index.js';
import { parseLeagueConfig } from '../shared/config/league-config.js';
import type { Judgment, Verdict } from '../shared/contracts/judgment.js';
import type { Question } from '../shared/contracts/question-set.js';
import { createS3Client, S3ObjectStore } from '../shared/storage/s3-object-store.js';

const VERDICTS: Verdict[] = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'];

export interface UpdateResult {
  readonly teams: number;
  readonly recordMs: number;
  readonly computeBoardsMs: number;
  readonly boards: number;
}

export async function measureLeaderboardUpdate(teams = 500, repeats = 5): Promise<UpdateResult> {
  const questionsText = readFileSync(new URL('../scripts/demo/questions.jsonl', import.meta.url), 'utf8');
  const questions = questionsText
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Question);
  const teamIds = Array.from({ length: teams + repeats }, (_, k) => `team-${String(k).padStart(4, '0')}`);
  const config = parseLeagueConfig({
    leaderboard: { account: '111111111111', region: 'us-east-1' },
    questionSetId: 'demo-v1',
    teams: teamIds.map((teamId, k) => ({
      teamId,
      displayName: `Team ${k}`,
      account: String(300000000000 + k),
      region: 'us-east-1',
      externalId: `external-id-${teamId}-0123456789`,
      resultsBucket: 'results',
    })),
  });
  // Deterministic, varied verdicts per team and question.
  const verdict = (team: number, question: number, order: number): Verdict =>
    VERDICTS[(team * 7 + question * 3 + order * 2) % 5] as Verdict;
  const state: BoardState = { version: 1, frozen: false, revealed: false, teams: {} };
  teamIds.slice(0, teams).forEach((teamId, t) => {
    state.teams[teamId] = {
      submissions: {
        s1: {
          model: `${teamId}/model`,
          submittedAt: new Date(Date.UTC(2026, 10, 20, 0, t)).toISOString(),
          games: questions.flatMap((q, i) => [
            [q.id, 'c', verdict(t, i, 0)] as [string, 'c', Verdict],
            [q.id, 'r', verdict(t, i, 1)] as [string, 'r', Verdict],
          ]),
        },
      },
    };
  });

  const computeStart = performance.now();
  const boards = computeBoards(config, state, questions, new Map(), new Date());
  const computeBoardsMs = performance.now() - computeStart;

  const local = await startLocalS3({ buckets: [{ name: 'state' }, { name: 'site' }] });
  try {
    const s3 = createS3Client({ region: 'us-east-1', endpoint: local.endpoint });
    const store = new S3ObjectStore(s3, 'state');
    const site = new S3ObjectStore(s3, 'site');
    await store.put(keys.questionSet('demo-v1'), questionsText);
    await store.put(keys.boardState(), JSON.stringify(state));
    const deps = { config, store, site, now: () => new Date() };
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const teamId = teamIds[teams + r] as string;
      const evaluation: EvaluationRecord = {
        submissionId: 'new',
        team: teamId,
        modelName: `${teamId}/model`,
        questionSetId: 'demo-v1',
        resultsUrl: 'https://results.s3.us-east-1.amazonaws.com/x',
        resultsSha256: '0'.repeat(64),
        status: 'completed',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
      await store.put(keys.evaluation(teamId, 'new'), JSON.stringify(evaluation));
      await Promise.all(
        questions.flatMap((q, i) =>
          (['candidate-first', 'reference-first'] as const).map((order, o) => {
            const judgment: Judgment = {
              submissionId: 'new',
              questionId: q.id,
              mode: 'pairwise-reference',
              order,
              verdict: verdict(teams + r, i, o),
              rationale: '',
              judgeModel: 'bench',
              promptVersion: 'pairwise-reference/v1',
              inputTokens: 0,
              outputTokens: 0,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              attempts: 1,
              flags: [],
            };
            return store.put(keys.judgment(teamId, 'new', `${q.id}/${order}`), JSON.stringify(judgment));
          }),
        ),
      );
      const started = performance.now();
      await recordEvaluation({ team: teamId, submissionId: 'new' }, deps);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      teams,
      recordMs: times[Math.floor(times.length / 2)] as number,
      computeBoardsMs,
      boards: boards.size,
    };
  } finally {
    await local.close();
  }
}
