import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningEmulator,
  startBedrockEmulator,
} from '../../scripts/emulators/bedrock-converse/index.js';
import { startLocalS3 } from '../../scripts/local/s3/index.js';
import { type LeagueConfig, parseLeagueConfig } from '../../shared/config/league-config.js';
import { EvaluationRequest } from '../../shared/contracts/evaluation.js';
import { Snapshot } from '../../shared/contracts/snapshot.js';
import { Forbidden, Invalid, TooManyRequests } from '../../shared/lambda/errors.js';
import { readJson } from '../../shared/storage/json-object.js';
import { createS3Client, S3ObjectStore } from '../../shared/storage/s3-object-store.js';
import { judgeModelFromSettings } from '../adapters/judge-model-from-config.js';
import type { JudgeModel } from '../judging/judge-model.js';
import {
  organiserView,
  rebuild,
  selectSubmission,
  setFrozen,
  setRevealed,
  setSelectionMode,
} from './board-actions.js';
import { takeDailySnapshot } from './daily-snapshot.js';
import { recordEvaluation } from './record-evaluation.js';
import type { EvaluationMessage } from './records.js';
import { EvaluationRecord, keys, publicKeys } from './records.js';
import { runEvaluation } from './run-evaluation.js';
import { submissionQuota, submitEvaluation } from './submit-evaluation.js';
import { teamOfCaller } from './team-registry.js';

/**
 * The leaderboard account's flow, use case by use case, with the real AWS SDK against the local
 * S3 (with conditional writes) and the Converse emulator: request → queue → judge → record → publish.
 */

const QUESTIONS = readFileSync(new URL('../../scripts/demo/questions.jsonl', import.meta.url), 'utf8');
const TEAM_RESULTS = readFileSync(
  new URL('../../scripts/demo/results-falcons.jsonl', import.meta.url),
  'utf8',
);
const LEADERBOARD_ACCOUNT = '111111111111';
const TEAMS = Array.from({ length: 50 }, (_, k) => `team-${String(k).padStart(2, '0')}`);

let s3: S3Client;
let local: { endpoint: string; close(): Promise<void> };
let emulator: RunningEmulator;
let config: LeagueConfig;
let state: S3ObjectStore;
let site: S3ObjectStore;
let judge: JudgeModel;

beforeAll(async () => {
  local = await startLocalS3({ buckets: [{ name: 'state' }, { name: 'site' }, { name: 'team-results' }] });
  s3 = createS3Client({ region: 'us-east-1', endpoint: local.endpoint });
  const host = new URL(local.endpoint).host;
  config = parseLeagueConfig({
    leaderboard: { account: LEADERBOARD_ACCOUNT, region: 'us-east-1' },
    questionSetId: 'demo-v1',
    teams: TEAMS.map((teamId, k) => ({
      teamId,
      displayName: `Team ${k}`,
      account: String(200000000000 + k),
      region: 'us-east-1',
      externalId: `external-id-for-${teamId}-0123456789`,
      resultsBucket: 'team-results',
    })),
    numBootstrap: 200,
    minEvals: 10,
    dailySubmissionCap: 3,
    localResultsHost: host,
    judge: { provider: 'emulator', modelId: 'emulator/reference-overlap', concurrency: 8 },
  });
  state = new S3ObjectStore(s3, 'state');
  site = new S3ObjectStore(s3, 'site');
  await state.put(keys.questionSet('demo-v1'), QUESTIONS);
  const references = new Map(
    QUESTIONS.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { prompt: string; reference: string })
      .map((q) => [q.prompt, q.reference]),
  );
  emulator = await startBedrockEmulator({ seed: 5, references });
  judge = judgeModelFromSettings(config.judge, { endpoint: emulator.url, retryDelayMs: 2 });
});

afterAll(async () => {
  await emulator?.close();
  await local?.close();
});

const callerArn = (teamId: string) =>
  `arn:aws:sts::${LEADERBOARD_ACCOUNT}:assumed-role/LlmLeagueSubmitterRole/team-${teamId}`;

/** Uploads results for a team and returns the evaluation request a participant account would send. */
async function resultsRequest(
  teamId: string,
  submissionId: string,
  body = TEAM_RESULTS,
): Promise<EvaluationRequest> {
  const key = `${teamId}/${submissionId}.jsonl`;
  await s3.send(new PutObjectCommand({ Bucket: 'team-results', Key: key, Body: body }));
  const resultsUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'team-results', Key: key }), {
    expiresIn: 600,
  });
  return {
    submissionId,
    modelName: `${teamId}/llama-ft`,
    questionSetId: 'demo-v1',
    resultsUrl,
    resultsSha256: createHash('sha256').update(body).digest('hex'),
  };
}

function deps(queue: EvaluationMessage[], now = () => new Date('2026-11-22T12:00:00Z')) {
  return { config, store: state, queue: { send: async (m: EvaluationMessage) => void queue.push(m) }, now };
}

async function judgeQueued(queue: EvaluationMessage[], model: JudgeModel = judge) {
  const statuses = [];
  for (const message of queue.splice(0)) {
    statuses.push(
      await runEvaluation(
        { ...message, delivery: 1, maxDeliveries: 3 },
        {
          config,
          store: state,
          judge: model,
          recorder: {
            record: (input) => recordEvaluation(input, { config, store: state, site, now: () => new Date() }),
          },
          now: () => new Date(),
          nonce: () => randomBytes(8).toString('hex'),
        },
      ),
    );
  }
  return statuses;
}

const team = (teamId: string) => teamOfCaller(callerArn(teamId), config);

describe('the leaderboard account flow', () => {
  it('takes an evaluation from request to a published leaderboard.json', async () => {
    const queue: EvaluationMessage[] = [];
    const request = await resultsRequest('team-00', 'sub-first');
    const { created, evaluation } = await submitEvaluation(team('team-00'), request, deps(queue));
    expect(created).toBe(true);
    expect(evaluation.status).toBe('queued');
    expect(await judgeQueued(queue)).toEqual(['completed']);

    const stored = await readJson(state, keys.evaluation('team-00', 'sub-first'), EvaluationRecord);
    expect(stored?.value.status).toBe('completed');
    expect(stored?.value.summary?.nQuestions).toBe(18); // the public split only
    const board = await readJson(site, publicKeys.leaderboard(), Snapshot);
    expect(board?.value.entries.map((e) => e.team)).toContain('team-00');
    expect(board?.value.split).toBe('public');
    const history = await site.get(publicKeys.team('team-00'));
    expect(JSON.parse(new TextDecoder().decode(history?.body)).submissions[0].submissionId).toBe('sub-first');
  });

  it('loses no entry when 50 evaluations complete at once', async () => {
    // A six-question set keeps 50 judged evaluations quick on the local S3.
    const mini = QUESTIONS.trim().split('\n').slice(0, 6);
    const miniIds = new Set(mini.map((line) => (JSON.parse(line) as { id: string }).id));
    const miniResults = `${TEAM_RESULTS.trim()
      .split('\n')
      .filter((line) => miniIds.has((JSON.parse(line) as { id: string }).id))
      .join('\n')}\n`;
    await state.put(keys.questionSet('mini-v1'), `${mini.join('\n')}\n`);
    const miniConfig = { ...config, questionSetId: 'mini-v1', minEvals: 1 };
    const queue: EvaluationMessage[] = [];
    for (const teamId of TEAMS) {
      const request = {
        ...(await resultsRequest(teamId, 'sub-concurrent', miniResults)),
        questionSetId: 'mini-v1',
      };
      await submitEvaluation(team(teamId), request, { ...deps(queue), config: miniConfig });
    }
    // Judge them all, holding back the recording, then let the 50 recordings race.
    const completed: { team: string; submissionId: string }[] = [];
    const pending = queue.splice(0);
    const judgeOne = async (message: EvaluationMessage) => {
      await runEvaluation(
        { ...message, delivery: 1, maxDeliveries: 3 },
        {
          config: miniConfig,
          store: state,
          judge,
          recorder: { record: async (input) => void completed.push(input) },
          now: () => new Date(),
          nonce: () => randomBytes(8).toString('hex'),
        },
      );
    };
    // Ten evaluations judged at a time.
    for (let k = 0; k < pending.length; k += 10) await Promise.all(pending.slice(k, k + 10).map(judgeOne));
    expect(completed).toHaveLength(50);
    await Promise.all(
      completed.map((input) =>
        recordEvaluation(input, { config: miniConfig, store: state, site, now: () => new Date() }),
      ),
    );
    const board = await readJson(site, publicKeys.leaderboard(), Snapshot);
    expect(new Set(board?.value.entries.map((e) => e.team))).toEqual(new Set(TEAMS));
  });

  it('makes one evaluation of a submissionId sent five times', async () => {
    const queue: EvaluationMessage[] = [];
    const request = await resultsRequest('team-01', 'sub-replayed');
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => submitEvaluation(team('team-01'), request, deps(queue))),
    );
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(queue).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.evaluation.createdAt)).size).toBe(1);
  });

  it('refuses a caller that is not a registered team, and stores nothing', async () => {
    expect(() =>
      teamOfCaller(
        `arn:aws:sts::${LEADERBOARD_ACCOUNT}:assumed-role/LlmLeagueSubmitterRole/team-intruders`,
        config,
      ),
    ).toThrow(Forbidden);
    expect(() =>
      teamOfCaller('arn:aws:sts::999999999999:assumed-role/LlmLeagueSubmitterRole/team-team-00', config),
    ).toThrow(Forbidden);
    expect(() => teamOfCaller('arn:aws:iam::111111111111:user/alice', config)).toThrow(Forbidden);
    expect(await state.list('evaluations/team-intruders')).toEqual([]);
  });

  it('ignores a body that claims another team: the evaluation belongs to the caller', async () => {
    const queue: EvaluationMessage[] = [];
    const body = { ...(await resultsRequest('team-02', 'sub-claims')), team: 'team-03' };
    const request = EvaluationRequest.parse(body);
    await submitEvaluation(team('team-02'), request, deps(queue));
    expect(queue).toEqual([{ team: 'team-02', submissionId: 'sub-claims' }]);
    expect(await state.list('evaluations/team-03/sub-claims')).toEqual([]);
  });

  it('answers 429 with the time of the next allowed submission once the daily cap is reached', async () => {
    const queue: EvaluationMessage[] = [];
    const day = () => new Date('2026-12-01T09:30:00Z');
    const quota = () => submissionQuota(team('team-04'), deps(queue, day));
    expect(await quota()).toEqual({
      day: '2026-12-01',
      cap: 3,
      used: 0,
      remaining: 3,
      resetsAt: '2026-12-02T00:00:00.000Z',
    });
    for (const id of ['cap-1', 'cap-2', 'cap-3'])
      await submitEvaluation(team('team-04'), await resultsRequest('team-04', id), deps(queue, day));
    expect(await quota()).toMatchObject({ used: 3, remaining: 0 });
    const over = submitEvaluation(
      team('team-04'),
      await resultsRequest('team-04', 'cap-4'),
      deps(queue, day),
    );
    await expect(over).rejects.toBeInstanceOf(TooManyRequests);
    await expect(over).rejects.toMatchObject({ retryAt: '2026-12-02T00:00:00.000Z' });
    // A replay of an admitted submission is not a new one (and its message was sent moments ago, so
    // it is not sent again); the next day the cap starts again.
    const replay = await submitEvaluation(
      team('team-04'),
      await resultsRequest('team-04', 'cap-2'),
      deps(queue, day),
    );
    expect(replay.created).toBe(false);
    await submitEvaluation(
      team('team-04'),
      await resultsRequest('team-04', 'cap-5'),
      deps(queue, () => new Date('2026-12-02T08:00:00Z')),
    );
    expect(queue.map((m) => m.submissionId)).toEqual(['cap-1', 'cap-2', 'cap-3', 'cap-5']);
  });

  it('refuses a submission for an unknown question set', async () => {
    const request = { ...(await resultsRequest('team-05', 'sub-wrong-set')), questionSetId: 'other-set' };
    await expect(submitEvaluation(team('team-05'), request, deps([]))).rejects.toBeInstanceOf(Invalid);
  });

  it('rejects a results URL on another host, over plain http, or too large, before any judging', async () => {
    const requestsBefore = emulator.stats().requests;
    const good = await resultsRequest('team-06', 'sub-url');
    const cases: [string, Partial<EvaluationRequest>][] = [
      [
        'other-host',
        { resultsUrl: good.resultsUrl.replace(new URL(local.endpoint).host, 'evil.example.com') },
      ],
      ['plain-http', { resultsUrl: 'http://team-results.s3.us-east-1.amazonaws.com/team-06/sub-url.jsonl' }],
    ];
    for (const [id, change] of cases) {
      const queue: EvaluationMessage[] = [];
      await submitEvaluation(team('team-06'), { ...good, submissionId: `sub-${id}`, ...change }, deps(queue));
      expect(await judgeQueued(queue)).toEqual(['failed']);
      const record = await readJson(state, keys.evaluation('team-06', `sub-${id}`), EvaluationRecord);
      expect(record?.value.reason).toMatch(/results not accepted/);
    }
    const big = `${TEAM_RESULTS}${' '.repeat(1024)}\n`;
    const bigConfig = { ...config, resultsMaxBytes: TEAM_RESULTS.length };
    const queue: EvaluationMessage[] = [];
    await submitEvaluation(team('team-07'), await resultsRequest('team-07', 'sub-big', big), {
      ...deps(queue),
      config: bigConfig,
    });
    const status = await runEvaluation(
      { ...(queue[0] as EvaluationMessage), delivery: 1, maxDeliveries: 3 },
      {
        config: bigConfig,
        store: state,
        judge,
        recorder: { record: async () => {} },
        now: () => new Date(),
        nonce: () => 'n',
      },
    );
    expect(status).toBe('failed');
    expect(
      (await readJson(state, keys.evaluation('team-07', 'sub-big'), EvaluationRecord))?.value.details,
    ).toMatchObject({ code: 'E_TOO_LARGE' });
    expect(emulator.stats().requests).toBe(requestsBefore);
  });

  it('fails results with missing or extra question ids, listing both', async () => {
    const lines = TEAM_RESULTS.trim().split('\n');
    const body = `${[...lines.slice(2), JSON.stringify({ id: 'science-99', prompt: 'x', response: 'y', model: 'm' })].join('\n')}\n`;
    const queue: EvaluationMessage[] = [];
    await submitEvaluation(
      team('team-08'),
      await resultsRequest('team-08', 'sub-coverage', body),
      deps(queue),
    );
    expect(await judgeQueued(queue)).toEqual(['failed']);
    const record = (await readJson(state, keys.evaluation('team-08', 'sub-coverage'), EvaluationRecord))
      ?.value;
    expect(record?.details).toMatchObject({
      missing: ['science-01', 'science-02'],
      unexpected: ['science-99'],
    });
    expect(record?.reason).toMatch(
      /missing answers for 2 question\(s\): science-01, science-02; answers to 1 unknown question id\(s\): science-99/,
    );
  });

  it("judges with a two-judge panel and shows the organiser each judge's swap consistency and their kappa", async () => {
    const queue: EvaluationMessage[] = [];
    await submitEvaluation(team('team-05'), await resultsRequest('team-05', 'sub-panel'), deps(queue));
    // A second judge with the worst position bias there is: it always prefers answer A.
    const alwaysA: JudgeModel = {
      modelId: 'always-a',
      complete: async () => ({
        toolInput: { rationale: 'A, always', verdict: 'A>B' },
        text: '',
        stopReason: 'tool_use',
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
        attempts: 1,
      }),
    };
    const [message] = queue.splice(0);
    if (!message) throw new Error('nothing queued');
    const status = await runEvaluation(
      { ...message, delivery: 1, maxDeliveries: 3 },
      {
        config,
        store: state,
        judge,
        panel: {
          rule: 'median',
          judges: [
            { name: 'overlap', model: judge, concurrency: 4 },
            { name: 'always-a', model: alwaysA, concurrency: 4 },
          ],
        },
        recorder: {
          record: (input) => recordEvaluation(input, { config, store: state, site, now: () => new Date() }),
        },
        now: () => new Date(),
        nonce: () => randomBytes(8).toString('hex'),
      },
    );
    expect(status).toBe('completed');
    const view = await organiserView(
      { config, store: state, site, now: () => new Date() },
      { team: 'team-05' },
    );
    const panel = 'judging' in view ? view.judging.submissions['sub-panel']?.panel : undefined;
    expect(panel?.rule).toBe('median');
    const byName = new Map(panel?.judges.map((j) => [j.judge, j]));
    expect(byName.get('always-a')?.swapConsistency).toBe(0);
    expect(byName.get('overlap')?.swapConsistency).toBeGreaterThan(0.9);
    const [pair] = panel?.agreement ?? [];
    expect(pair?.n).toBe(2 * 18);
    expect(pair?.kappa ?? 1).toBeLessThan(0.5);
  });

  it('resumes an evaluation killed midway without repeating finished judgments', async () => {
    const queue: EvaluationMessage[] = [];
    await submitEvaluation(team('team-09'), await resultsRequest('team-09', 'sub-crash'), deps(queue));
    const message = queue[0] as EvaluationMessage;
    let calls = 0;
    const crashing: JudgeModel = {
      modelId: judge.modelId,
      complete: async (call) => {
        calls += 1;
        if (calls > 20) throw new Error('the container was killed');
        return judge.complete(call);
      },
    };
    await expect(judgeQueued([message], crashing)).rejects.toThrow('the container was killed');
    const checkpointed = (await state.list(keys.judgmentsOf('team-09', 'sub-crash'))).length;
    expect(checkpointed).toBeGreaterThanOrEqual(13);
    expect(checkpointed).toBeLessThanOrEqual(20);

    const before = emulator.stats().requests;
    expect(await judgeQueued([message])).toEqual(['completed']);
    // 24 questions × 2 orders: the redelivery judged only what was not checkpointed.
    expect(emulator.stats().requests - before).toBe(48 - checkpointed);
    expect((await state.list(keys.judgmentsOf('team-09', 'sub-crash'))).length).toBe(48);
  });
});

describe('organiser actions and the daily snapshot', () => {
  const publishDeps = (now = () => new Date()) => ({ config, store: state, site, now });
  const board = async () => (await readJson(site, publicKeys.leaderboard(), Snapshot))?.value;

  async function judged(teamId: string, submissionId: string, body = TEAM_RESULTS) {
    const queue: EvaluationMessage[] = [];
    await submitEvaluation(
      team(teamId),
      await resultsRequest(teamId, submissionId, body),
      deps(queue, () => new Date('2026-11-25T10:00:00Z')),
    );
    expect(await judgeQueued(queue)).toEqual(['completed']);
  }

  it('keeps the published board as it was while frozen, and catches up when unfrozen', async () => {
    await judged('team-10', 'before-freeze');
    await setFrozen(publishDeps(), true);
    const frozen = await board();
    const published = JSON.parse(
      new TextDecoder().decode((await site.get(publicKeys.leaderboard()))?.body),
    ) as { frozen: boolean };
    expect(published.frozen).toBe(true);
    await judged('team-11', 'during-freeze');
    expect((await board())?.entries.map((e) => e.team)).toEqual(frozen?.entries.map((e) => e.team));
    expect((await board())?.entries.map((e) => e.team)).not.toContain('team-11');
    await setFrozen(publishDeps(), false);
    expect((await board())?.entries.map((e) => e.team)).toContain('team-11');
  });

  it('publishes the private split only once revealed', async () => {
    expect(await site.get(publicKeys.board('private', null))).toBeUndefined();
    const before = JSON.parse(new TextDecoder().decode((await site.get(publicKeys.team('team-10')))?.body));
    expect(before.submissions[0].private).toBeUndefined();
    await setRevealed(publishDeps(), true);
    const privateBoard = await readJson(site, publicKeys.board('private', null), Snapshot);
    expect(privateBoard?.value.split).toBe('private');
    expect(privateBoard?.value.entries.length).toBeGreaterThan(0);
    await setRevealed(publishDeps(), false);
  });

  it("uses a team's selected submission when the organiser allows selection", async () => {
    const weak = TEAM_RESULTS.trim()
      .split('\n')
      .map((line) => JSON.stringify({ ...JSON.parse(line), response: 'I do not know.' }))
      .join('\n');
    await judged('team-12', 'strong');
    await judged('team-12', 'weak', `${weak}\n`);
    const entry = async () => (await board())?.entries.find((e) => e.team === 'team-12');
    expect((await entry())?.submissionId).toBe('strong');
    await selectSubmission(publishDeps(), team('team-12'), 'weak');
    expect((await entry())?.submissionId).toBe('strong'); // selection is off: best counts
    await setSelectionMode(publishDeps(), 'selected');
    expect((await entry())?.submissionId).toBe('weak');
    await setSelectionMode(publishDeps(), 'best');
    await expect(selectSubmission(publishDeps(), team('team-12'), 'no-such')).rejects.toThrow(
      /no judged submission/,
    );
  });

  it('writes a dated snapshot with rank changes against the previous day', async () => {
    const first = await takeDailySnapshot(publishDeps(() => new Date('2026-11-26T10:00:00Z')));
    expect(first.day).toBe('2026-11-26');
    const day1 = JSON.parse(
      new TextDecoder().decode((await site.get(publicKeys.snapshot('2026-11-26')))?.body),
    );
    const overall1 = Snapshot.parse(day1.boards['public/overall']);
    expect(overall1.entries.every((e) => e.rankChange === 'new' || typeof e.rankChange === 'number')).toBe(
      true,
    );
    await judged('team-13', 'newcomer');
    await takeDailySnapshot(publishDeps(() => new Date('2026-11-27T10:00:00Z')));
    const day2 = JSON.parse(
      new TextDecoder().decode((await site.get(publicKeys.snapshot('2026-11-27')))?.body),
    );
    const overall2 = Snapshot.parse(day2.boards['public/overall']);
    expect(overall2.entries.find((e) => e.team === 'team-13')?.rankChange).toBe('new');
    const old = overall2.entries.find((e) => e.team === 'team-10');
    const was = overall1.entries.find((e) => e.team === 'team-10');
    expect(old?.rankChange).toBe((was?.rank ?? 0) - (old?.rank ?? 0));
    const index = JSON.parse(new TextDecoder().decode((await site.get(publicKeys.snapshotIndex()))?.body));
    expect(index.days).toEqual(expect.arrayContaining(['2026-11-26', '2026-11-27']));
    // No private board leaks into a public snapshot before the reveal.
    expect(Object.keys(day2.boards).some((key) => key.startsWith('private/'))).toBe(false);
  });

  it('rebuilds the board state from stored evaluations and judgments', async () => {
    const before = await board();
    await state.delete(keys.boardState());
    const { submissions } = await rebuild(publishDeps());
    expect(submissions).toBeGreaterThanOrEqual(50);
    const after = await board();
    expect(after?.entries.map((e) => [e.team, e.submissionId])).toEqual(
      before?.entries.map((e) => [e.team, e.submissionId]),
    );
    // The answers' styles come back too, so the length-controlled scores are the same.
    expect(after?.params.control).toEqual(before?.params.control);
    expect(after?.entries.map((e) => e.controlled)).toEqual(before?.entries.map((e) => e.controlled));
    expect(after?.entries.every((e) => e.controlled !== undefined)).toBe(true);
  });
});
