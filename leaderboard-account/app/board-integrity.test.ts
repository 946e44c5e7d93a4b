import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLeagueConfig } from '../../shared/config/league-config.js';
import { NotFound, TooManyRequests } from '../../shared/lambda/errors.js';
import { MemoryObjectStore } from '../../shared/storage/memory-object-store.js';
import { organiserView, selectSubmission, setFrozen } from './board-actions.js';
import { takeDailySnapshot } from './daily-snapshot.js';
import { publishBoards } from './publish-boards.js';
import { recordEvaluation } from './record-evaluation.js';
import {
  type BoardState,
  type EvaluationMessage,
  type EvaluationRecord,
  keys,
  publicKeys,
  type StoredSubmission,
} from './records.js';
import { REQUEUE_AFTER_MS, submitEvaluation } from './submit-evaluation.js';

/**
 * The board's integrity guarantees at the use-case level, on an in-memory store: a frozen board
 * publishes nothing, selection takes only a team's own judged submissions and is capped, and a
 * replayed submission's message is sent a bounded number of times.
 */

const QUESTIONS = readFileSync(new URL('../../scripts/demo/questions.jsonl', import.meta.url), 'utf8');
const questionIds = QUESTIONS.trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; split: string })
  .filter((q) => q.split === 'public')
  .map((q) => q.id);

const config = parseLeagueConfig({
  leaderboard: { account: '111111111111', region: 'us-east-1' },
  questionSetId: 'demo-v1',
  numBootstrap: 50,
  minEvals: 1,
  dailySelectionCap: 3,
  teams: ['lynx', 'otters'].map((teamId, k) => ({
    teamId,
    displayName: teamId,
    account: String(200000000000 + k),
    region: 'us-east-1',
    externalId: `external-id-for-${teamId}-0123456789`,
    resultsBucket: 'team-results',
  })),
});
const lynx = config.teams[0] as (typeof config.teams)[number];

function evaluation(
  team: string,
  submissionId: string,
  model: string,
  status = 'completed',
): EvaluationRecord {
  return {
    submissionId,
    team,
    modelName: model,
    questionSetId: 'demo-v1',
    resultsUrl: 'https://results.example.org/r.jsonl',
    resultsSha256: 'a'.repeat(64),
    status: status as EvaluationRecord['status'],
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
  };
}

/** A store with the demo question set and lynx's and otters' judged submissions on the board. */
async function league() {
  const store = new MemoryObjectStore();
  const site = new MemoryObjectStore();
  await store.put(keys.questionSet('demo-v1'), QUESTIONS);
  const submission = (model: string, verdict: 'A>B' | 'B>A'): StoredSubmission => ({
    model,
    submittedAt: '2026-12-01T10:00:00.000Z',
    games: questionIds.flatMap((id): StoredSubmission['games'] & object => [
      [id, 'c', verdict],
      [id, 'r', verdict === 'A>B' ? 'B>A' : 'A>B'],
    ]),
  });
  const state: BoardState = {
    version: 1,
    frozen: false,
    revealed: false,
    teams: {
      lynx: { submissions: { 'lynx-1': submission('lynx/a', 'A>B'), 'lynx-2': submission('lynx/b', 'B>A') } },
      otters: { submissions: { 'otters-1': submission('otters/a', 'B>A') } },
    },
  };
  await store.put(keys.boardState(), JSON.stringify(state));
  const deps = { config, store, site, now: () => new Date('2026-12-02T12:00:00Z') };
  await publishBoards(deps);
  return { store, site, deps };
}

const published = (site: MemoryObjectStore) =>
  new Map([...site.objects].map(([key, object]) => [key, new TextDecoder().decode(object.body)]));

describe('a frozen board', () => {
  it('publishes nothing while frozen (team pages, boards, battles, ratings, snapshots), all of it once unfrozen', async () => {
    const { store, site, deps } = await league();
    await setFrozen(deps, true);
    const atFreeze = published(site);

    // A new judged submission is recorded, a team selects, and the day's snapshot is taken.
    await store.put(
      keys.evaluation('otters', 'otters-2'),
      JSON.stringify(evaluation('otters', 'otters-2', 'otters/secret-model')),
    );
    await store.put(
      keys.judgment('otters', 'otters-2', `${questionIds[0]}/candidate-first`),
      JSON.stringify({
        submissionId: 'otters-2',
        questionId: questionIds[0],
        mode: 'pairwise-reference',
        order: 'candidate-first',
        verdict: 'A>>B',
        rationale: 'better',
        judgeModel: 'emulator',
        promptVersion: 'v1',
        inputTokens: 1,
        outputTokens: 1,
        flags: [],
      }),
    );
    await recordEvaluation({ team: 'otters', submissionId: 'otters-2' }, deps);
    await selectSubmission(deps, lynx, 'lynx-2');
    await publishBoards(deps);
    await takeDailySnapshot(deps);

    expect(published(site)).toEqual(atFreeze);
    expect(JSON.stringify([...published(site).values()])).not.toContain('otters/secret-model');

    // The organiser sees it all meanwhile.
    const view = await organiserView(deps);
    expect(view.frozen).toBe(true);
    expect(view.teams.otters?.submissions.map((s) => s.model)).toContain('otters/secret-model');

    await setFrozen(deps, false);
    const after = published(site);
    expect(after.get(publicKeys.team('otters'))).toContain('otters/secret-model');
    expect(after.get(publicKeys.snapshot('2026-12-02'))).toBeDefined();
    expect(JSON.parse(after.get(publicKeys.snapshotIndex()) ?? '{}')).toEqual({ days: ['2026-12-02'] });
  });
});

describe('selecting a submission', () => {
  it('answers 404 for an id the team has no judged submission for, prototype names included, and stores nothing', async () => {
    const { store, deps } = await league();
    const before = published(store);
    for (const id of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'otters-1',
      'nope',
    ])
      await expect(selectSubmission(deps, lynx, id), id).rejects.toBeInstanceOf(NotFound);
    expect(published(store)).toEqual(before);
  });

  it('caps the changes of selection a day, with the time of the next allowed one', async () => {
    const { deps } = await league();
    for (const id of ['lynx-2', 'lynx-1', 'lynx-2']) await selectSubmission(deps, lynx, id);
    // Picking the one already selected changes nothing and costs nothing.
    await expect(selectSubmission(deps, lynx, 'lynx-2')).resolves.toEqual({
      selected: 'lynx-2',
      changed: false,
    });
    const over = selectSubmission(deps, lynx, 'lynx-1');
    await expect(over).rejects.toBeInstanceOf(TooManyRequests);
    await expect(over).rejects.toMatchObject({ retryAt: '2026-12-03T00:00:00.000Z' });
  });
});

describe('replaying a submission that is still queued', () => {
  it('sends its message again at most once per re-queue window, however often it is replayed', async () => {
    const store = new MemoryObjectStore();
    const sent: EvaluationMessage[] = [];
    let now = new Date('2026-12-02T12:00:00Z');
    const deps = {
      config,
      store,
      queue: { send: async (m: EvaluationMessage) => void sent.push(m) },
      now: () => now,
    };
    const request = {
      submissionId: 'lynx-9',
      modelName: 'lynx/a',
      questionSetId: 'demo-v1',
      resultsUrl: 'https://results.example.org/r.jsonl',
      resultsSha256: 'a'.repeat(64),
    };
    await submitEvaluation(lynx, request, deps);
    for (let k = 0; k < 50; k++) await submitEvaluation(lynx, request, deps);
    expect(sent).toHaveLength(1);
    now = new Date(now.getTime() + REQUEUE_AFTER_MS + 1);
    for (let k = 0; k < 50; k++) await submitEvaluation(lynx, request, deps);
    expect(sent).toHaveLength(2);
  });

  it('sends it again on a replay when the first send failed', async () => {
    const store = new MemoryObjectStore();
    const sent: EvaluationMessage[] = [];
    let failing = true;
    let now = new Date('2026-12-02T12:00:00Z');
    const queue = {
      send: async (m: EvaluationMessage) => {
        if (failing) throw new Error('SQS is unavailable');
        sent.push(m);
      },
    };
    const deps = { config, store, queue, now: () => now };
    const request = {
      submissionId: 'lynx-8',
      modelName: 'lynx/a',
      questionSetId: 'demo-v1',
      resultsUrl: 'https://results.example.org/r.jsonl',
      resultsSha256: 'a'.repeat(64),
    };
    await expect(submitEvaluation(lynx, request, deps)).rejects.toThrow('SQS is unavailable');
    failing = false;
    now = new Date(now.getTime() + 60_000);
    await submitEvaluation(lynx, request, deps);
    await submitEvaluation(lynx, request, deps);
    expect(sent).toHaveLength(1);
  });
});
