import { describe, expect, it } from 'vitest';
import { LeaderboardFile, type LeaderboardResult } from '../../shared/contracts/leaderboard-file.js';
import { leaderboardKey, sortedResults, upsertLeaderboard } from './leaderboard-file.js';

function result(
  team: string,
  model: string,
  overrides: {
    score?: number;
    ciLow?: number;
    submittedAt?: string;
    submissionId?: string;
  } = {},
): LeaderboardResult {
  const score = overrides.score ?? 0.5;
  return {
    metadata: {
      team,
      model,
      submissionId: overrides.submissionId ?? `sub-${team}`,
      submittedAt: overrides.submittedAt ?? '2025-06-01T12:00:00.000Z',
    },
    summary: {
      score,
      ciLow: overrides.ciLow ?? score - 0.05,
      ciHigh: score + 0.05,
      nEvals: 200,
      method: 'win-rate',
    },
  };
}

const now = new Date('2025-06-10T08:00:00.000Z');

describe('leaderboardKey', () => {
  it('joins team and model with a dash', () => {
    expect(leaderboardKey('team-a', 'qwen-ft')).toBe('team-a-qwen-ft');
  });
});

describe('upsertLeaderboard', () => {
  it('creates a file with the result when there is no file yet', () => {
    const file = upsertLeaderboard(undefined, result('team-a', 'm1'), now);
    expect(file).toEqual({
      lastUpdated: '2025-06-10T08:00:00.000Z',
      results: { 'team-a-m1': result('team-a', 'm1') },
    });
  });

  it('replaces the stored result of the same team and model with a newer submission', () => {
    const first = upsertLeaderboard(undefined, result('team-a', 'm1', { score: 0.4 }), now);
    const newer = result('team-a', 'm1', {
      score: 0.7,
      submissionId: 'sub-2',
      submittedAt: '2025-06-05T00:00:00.000Z',
    });
    const file = upsertLeaderboard(first, newer, now);
    expect(Object.keys(file.results)).toEqual(['team-a-m1']);
    expect(file.results['team-a-m1']).toEqual(newer);
  });

  it('replaces the stored result on a re-evaluation submitted at the same instant', () => {
    const first = upsertLeaderboard(undefined, result('team-a', 'm1', { score: 0.4 }), now);
    const rerun = result('team-a', 'm1', { score: 0.45 });
    expect(upsertLeaderboard(first, rerun, now).results['team-a-m1']).toEqual(rerun);
  });

  it('ignores a result submitted before the stored one for the same key', () => {
    const stored = result('team-a', 'm1', { score: 0.7, submittedAt: '2025-06-05T00:00:00.000Z' });
    const older = result('team-a', 'm1', { score: 0.9, submittedAt: '2025-06-04T23:59:59.000Z' });
    const file = upsertLeaderboard(upsertLeaderboard(undefined, stored, now), older, now);
    expect(file.results['team-a-m1']).toEqual(stored);
  });

  it('compares submission times as instants, not as strings with different offsets', () => {
    // 10:00+02:00 is 08:00Z: earlier than the stored 09:00Z although it sorts later as text.
    const stored = result('team-a', 'm1', { score: 0.7, submittedAt: '2025-06-05T09:00:00Z' });
    const older = result('team-a', 'm1', { score: 0.9, submittedAt: '2025-06-05T10:00:00+02:00' });
    const file = upsertLeaderboard(upsertLeaderboard(undefined, stored, now), older, now);
    expect(file.results['team-a-m1']).toEqual(stored);
  });

  it('sets lastUpdated to now even when the incoming result is ignored', () => {
    const stored = result('team-a', 'm1', { submittedAt: '2025-06-05T00:00:00.000Z' });
    const first = upsertLeaderboard(undefined, stored, new Date('2025-06-06T00:00:00.000Z'));
    const older = result('team-a', 'm1', { submittedAt: '2025-06-01T00:00:00.000Z' });
    expect(upsertLeaderboard(first, older, now).lastUpdated).toBe('2025-06-10T08:00:00.000Z');
  });

  it('keeps results of other teams and models', () => {
    let file = upsertLeaderboard(undefined, result('team-a', 'm1'), now);
    file = upsertLeaderboard(file, result('team-a', 'm2'), now);
    file = upsertLeaderboard(file, result('team-b', 'm1'), now);
    expect(Object.keys(file.results)).toEqual(['team-a-m1', 'team-a-m2', 'team-b-m1']);
  });

  it('does not mutate the file or the result it is given', () => {
    const input = upsertLeaderboard(undefined, result('team-b', 'm1'), new Date('2025-06-01T00:00:00.000Z'));
    const incoming = result('team-a', 'm1');
    const inputCopy = structuredClone(input);
    const incomingCopy = structuredClone(incoming);
    const output = upsertLeaderboard(input, incoming, now);
    expect(input).toEqual(inputCopy);
    expect(incoming).toEqual(incomingCopy);
    expect(output).not.toBe(input);
    expect(output.results).not.toBe(input.results);
  });

  it('writes keys in sorted order whatever the insertion order, so the serialised file is stable', () => {
    const results = [
      result('team-c', 'm1'),
      result('team-a', 'm2'),
      result('team-b', 'm1'),
      result('team-a', 'm1'),
    ];
    const forwards = results.reduce<LeaderboardFile | undefined>(
      (f, r) => upsertLeaderboard(f, r, now),
      undefined,
    );
    const backwards = [...results]
      .reverse()
      .reduce<LeaderboardFile | undefined>((f, r) => upsertLeaderboard(f, r, now), undefined);
    expect(Object.keys(forwards?.results ?? {})).toEqual([
      'team-a-m1',
      'team-a-m2',
      'team-b-m1',
      'team-c-m1',
    ]);
    expect(JSON.stringify(forwards)).toBe(JSON.stringify(backwards));
  });

  it('sorts keys by code unit, so uppercase model names sort before lowercase ones on every machine', () => {
    let file = upsertLeaderboard(undefined, result('team-a', 'b-model'), now);
    file = upsertLeaderboard(file, result('team-a', 'Z-model'), now);
    expect(Object.keys(file.results)).toEqual(['team-a-Z-model', 'team-a-b-model']);
  });
});

describe('sortedResults', () => {
  it('orders by descending score, then descending lower CI bound, then earliest submission, then team', () => {
    let file: LeaderboardFile | undefined;
    for (const r of [
      result('team-e', 'm', { score: 0.6, ciLow: 0.5, submittedAt: '2025-06-02T00:00:00Z' }),
      result('team-d', 'm', { score: 0.6, ciLow: 0.5, submittedAt: '2025-06-02T00:00:00Z' }),
      result('team-c', 'm', { score: 0.6, ciLow: 0.5, submittedAt: '2025-06-01T00:00:00Z' }),
      result('team-b', 'm', { score: 0.6, ciLow: 0.55 }),
      result('team-a', 'm', { score: 0.4 }),
      result('team-f', 'm', { score: 0.8 }),
    ]) {
      file = upsertLeaderboard(file, r, now);
    }
    expect(
      sortedResults(file ?? { lastUpdated: now.toISOString(), results: {} }).map((r) => r.metadata.team),
    ).toEqual(['team-f', 'team-b', 'team-c', 'team-d', 'team-e', 'team-a']);
  });

  it('breaks a full tie between two models of one team by model name', () => {
    let file = upsertLeaderboard(undefined, result('team-a', 'm2'), now);
    file = upsertLeaderboard(file, result('team-a', 'm1'), now);
    expect(sortedResults(file).map((r) => r.metadata.model)).toEqual(['m1', 'm2']);
  });

  it('does not reorder the file it is given', () => {
    let file = upsertLeaderboard(undefined, result('team-a', 'm', { score: 0.1 }), now);
    file = upsertLeaderboard(file, result('team-b', 'm', { score: 0.9 }), now);
    sortedResults(file);
    expect(Object.keys(file.results)).toEqual(['team-a-m', 'team-b-m']);
  });
});

describe('LeaderboardFile schema', () => {
  it('round-trips an upserted file through JSON', () => {
    let file = upsertLeaderboard(undefined, result('team-a', 'm1'), now);
    const rubric: LeaderboardResult = {
      metadata: {
        team: 'team-b',
        model: 'm1',
        submissionId: 'sub-9',
        submittedAt: '2025-06-03T10:00:00+02:00',
        judgeModel: 'anthropic.claude-3-5-sonnet',
        runUrl: 'https://github.com/org/repo/actions/runs/123456',
        questionSetId: 'qs-2025',
      },
      summary: {
        score: 7.25,
        ciLow: 6.9,
        ciHigh: 7.6,
        nEvals: 120,
        method: 'rubric',
        criteria: { accuracy: 7.5, coherence: 7, relevance: 7.2 },
      },
    };
    file = upsertLeaderboard(file, rubric, now);
    expect(LeaderboardFile.parse(JSON.parse(JSON.stringify(file)))).toEqual(file);
  });

  it('ignores unknown keys at every level on read', () => {
    const raw = {
      lastUpdated: '2025-06-10T08:00:00.000Z',
      schemaVersion: 2,
      results: {
        'team-a-m1': {
          metadata: { ...result('team-a', 'm1').metadata, provider: 'bedrock' },
          summary: { ...result('team-a', 'm1').summary, totalDuration: 1234 },
          results: [],
        },
      },
    };
    expect(LeaderboardFile.parse(raw)).toEqual({
      lastUpdated: '2025-06-10T08:00:00.000Z',
      results: { 'team-a-m1': result('team-a', 'm1') },
    });
  });

  it('rejects a result filed under a key that is not its team-model', () => {
    const parsed = LeaderboardFile.safeParse({
      lastUpdated: '2025-06-10T08:00:00.000Z',
      results: { 'team-b-m1': result('team-a', 'm1') },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['results.team-b-m1']);
  });

  it.each([
    ['a non-finite score', { score: Number.NaN }, 'results.team-a-m1.summary.score'],
    ['an unknown method', { method: 'elo' }, 'results.team-a-m1.summary.method'],
    ['a fractional evaluation count', { nEvals: 1.5 }, 'results.team-a-m1.summary.nEvals'],
  ])('rejects %s', (_name, summary, path) => {
    const entry = result('team-a', 'm1');
    const parsed = LeaderboardFile.safeParse({
      lastUpdated: '2025-06-10T08:00:00.000Z',
      results: { 'team-a-m1': { ...entry, summary: { ...entry.summary, ...summary } } },
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
  });

  it('rejects a run URL that is not http(s)', () => {
    const entry = result('team-a', 'm1');
    const parsed = LeaderboardFile.safeParse({
      lastUpdated: '2025-06-10T08:00:00.000Z',
      results: { 'team-a-m1': { ...entry, metadata: { ...entry.metadata, runUrl: 'javascript:alert(1)' } } },
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['results.team-a-m1.metadata.runUrl']);
  });

  it('rejects a lastUpdated that is not an ISO date-time', () => {
    const parsed = LeaderboardFile.safeParse({ lastUpdated: 'yesterday', results: {} });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['lastUpdated']);
  });
});
