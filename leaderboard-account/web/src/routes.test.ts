import { describe, expect, it } from 'vitest';
import { boardTabs, HOME, nextTabIndex, parseRoute, resolveBoard, routeHash } from './routes.js';

describe('hash routes', () => {
  it('reads the boards and the team page', () => {
    expect(parseRoute('')).toEqual(HOME);
    expect(parseRoute('#/')).toEqual(HOME);
    expect(parseRoute('#/category/math')).toEqual({ kind: 'board', split: 'public', category: 'math' });
    expect(parseRoute('#/final')).toEqual({ kind: 'board', split: 'private', category: null });
    expect(parseRoute('#/final/category/long%20form')).toEqual({
      kind: 'board',
      split: 'private',
      category: 'long form',
    });
    expect(parseRoute('#/team/otters')).toEqual({ kind: 'team', team: 'otters' });
  });

  it('treats anything unknown, or a broken escape, as home', () => {
    expect(parseRoute('#/nowhere/at/all')).toEqual(HOME);
    expect(parseRoute('#main')).toEqual(HOME);
    expect(parseRoute('#/team/%E0%A4%A')).toEqual({ kind: 'team', team: '%E0%A4%A' });
  });

  it('writes hashes that read back as the same route', () => {
    for (const route of [
      HOME,
      { kind: 'board', split: 'private', category: 'maths & logic' },
      { kind: 'team', team: 'blue-heron' },
    ] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });
});

describe('board tabs', () => {
  it('offer Overall then each category, keeping the split', () => {
    const tabs = boardTabs(['coding', 'math'], { kind: 'board', split: 'private', category: 'math' });
    expect(tabs.map((t) => [t.label, t.selected, t.hash])).toEqual([
      ['Overall', false, '#/final/'],
      ['coding', false, '#/final/category/coding'],
      ['math', true, '#/final/category/math'],
    ]);
    expect(new Set(tabs.map((t) => t.id)).size).toBe(3);
  });

  it('select Overall when the route names a category that is not published', () => {
    const tabs = boardTabs(['coding'], { kind: 'board', split: 'public', category: 'poetry' });
    expect(tabs.filter((t) => t.selected).map((t) => t.label)).toEqual(['Overall']);
  });

  it('move with the arrow keys, wrapping, and jump with Home and End', () => {
    expect(nextTabIndex('ArrowRight', 2, 3)).toBe(0);
    expect(nextTabIndex('ArrowLeft', 0, 3)).toBe(2);
    expect(nextTabIndex('Home', 2, 3)).toBe(0);
    expect(nextTabIndex('End', 0, 3)).toBe(2);
    expect(nextTabIndex('Enter', 0, 3)).toBeUndefined();
  });
});

describe('resolving the board to load', () => {
  it('shows the public split while the final standings are hidden', () => {
    expect(
      resolveBoard(
        { kind: 'board', split: 'private', category: 'math' },
        { categories: ['math'], revealed: false },
      ),
    ).toEqual({ split: 'public', category: 'math' });
  });

  it('loads the private split once revealed', () => {
    expect(
      resolveBoard({ kind: 'board', split: 'private', category: null }, { categories: [], revealed: true }),
    ).toEqual({ split: 'private', category: null });
  });
});
