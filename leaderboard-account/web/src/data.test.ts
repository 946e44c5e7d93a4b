import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  dataPaths,
  isTeamId,
  parseBoard,
  parseLeaderboard,
  parseSnapshotIndex,
  parseTeamHistory,
} from './data.js';

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/data/${path}`, import.meta.url), 'utf8'));

describe('published data parsing', () => {
  it('reads the overall board and the site metadata from leaderboard.json', () => {
    const { meta, board } = parseLeaderboard(fixture('leaderboard.json'));
    expect(meta.categories).toEqual(['coding', 'math', 'reasoning', 'writing']);
    expect(meta.teamNames.otters).toBe('The Otters');
    expect(meta.revealed).toBe(true);
    expect(meta.frozen).toBeUndefined();
    expect(board?.split).toBe('public');
    expect(board?.entries).toHaveLength(11);
  });

  it('reads a leaderboard.json published before any team was ranked as metadata only', () => {
    const { meta, board } = parseLeaderboard({
      categories: ['math'],
      teamNames: {},
      revealed: false,
      stateVersion: 0,
    });
    expect(board).toBeUndefined();
    expect(meta.categories).toEqual(['math']);
  });

  it('picks up a frozen flag when the publisher sends one', () => {
    const value = { ...(fixture('leaderboard.json') as object), frozen: true };
    expect(parseLeaderboard(value).meta.frozen).toBe(true);
  });

  it('names the file and the field of a board that breaks the Snapshot contract', () => {
    const board = fixture('boards/public/math.json') as { entries: { rankChange: unknown }[] };
    const first = board.entries[0];
    if (first) first.rankChange = 'up';
    expect(() => parseBoard(board, 'data/boards/public/math.json')).toThrowError(
      new DataError('data/boards/public/math.json is not valid: entries.0.rankChange: Invalid input'),
    );
  });

  it('accepts every fixture board, the team history and the snapshot index', () => {
    for (const split of ['public', 'private']) {
      for (const name of ['overall', 'coding', 'math', 'reasoning', 'writing']) {
        const path = `boards/${split}/${name}.json`;
        expect(parseBoard(fixture(path), path).split).toBe(split);
      }
    }
    expect(parseTeamHistory(fixture('teams/otters.json'), 'otters').submissions).toHaveLength(6);
    expect(parseSnapshotIndex(fixture('snapshots/index.json')).days.at(-1)).toBe('2026-11-22');
  });

  it('rejects a snapshot index with a day that is not a date', () => {
    expect(() => parseSnapshotIndex({ days: ['yesterday'] })).toThrow(DataError);
  });
});

describe('data paths', () => {
  it('mirrors the publisher keys, relative to the page', () => {
    expect(dataPaths.board('private', null)).toBe('data/boards/private/overall.json');
    expect(dataPaths.board('public', 'maths & logic')).toBe('data/boards/public/maths%20%26%20logic.json');
    expect(dataPaths.team('otters')).toBe('data/teams/otters.json');
  });

  it('only takes team ids from a URL that follow the shared id rule', () => {
    expect(isTeamId('blue-heron')).toBe(true);
    expect(isTeamId('../leaderboard')).toBe(false);
    expect(isTeamId('Otters')).toBe(false);
  });
});
