import type { Split } from '../../../shared/contracts/common.js';

export type Route =
  | { readonly kind: 'board'; readonly split: Split; readonly category: string | null }
  | { readonly kind: 'team'; readonly team: string };

export const HOME: Route = { kind: 'board', split: 'public', category: null };

/**
 * Hash routes, so the static site needs no rewrite rules:
 * `#/` (public overall), `#/category/<name>`, `#/final`, `#/final/category/<name>`, `#/team/<id>`.
 * Anything else is the home board.
 */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  let split: Split = 'public';
  if (parts[0] === 'team' && parts.length === 2 && parts[1]) return { kind: 'team', team: parts[1] };
  if (parts[0] === 'final') {
    split = 'private';
    parts.shift();
  }
  if (parts.length === 0) return { kind: 'board', split, category: null };
  if (parts[0] === 'category' && parts.length === 2 && parts[1]) {
    return { kind: 'board', split, category: parts[1] };
  }
  return HOME;
}

export function routeHash(route: Route): string {
  if (route.kind === 'team') return `#/team/${encodeURIComponent(route.team)}`;
  const prefix = route.split === 'private' ? '#/final' : '#';
  return route.category === null ? `${prefix}/` : `${prefix}/category/${encodeURIComponent(route.category)}`;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export interface Tab {
  readonly id: string;
  readonly label: string;
  readonly category: string | null;
  readonly selected: boolean;
  readonly hash: string;
}

/**
 * Overall first, then each category in the published order. A category that is not published (an
 * old link) falls back to Overall, so some tab is always selected.
 */
export function boardTabs(categories: readonly string[], route: Route): Tab[] {
  const split = route.kind === 'board' ? route.split : 'public';
  const current =
    route.kind === 'board' && route.category !== null && categories.includes(route.category)
      ? route.category
      : null;
  return [null, ...categories].map((category, index) => ({
    id: `board-tab-${index}`,
    label: category === null ? 'Overall' : category,
    category,
    selected: category === current,
    hash: routeHash({ kind: 'board', split, category }),
  }));
}

/** The board a route shows, after falling back from what is not published (the final split before reveal). */
export function resolveBoard(
  route: Route,
  meta: { categories: readonly string[]; revealed: boolean },
): { split: Split; category: string | null } {
  if (route.kind !== 'board') return { split: 'public', category: null };
  const category =
    route.category !== null && meta.categories.includes(route.category) ? route.category : null;
  const split = route.split === 'private' && meta.revealed ? 'private' : 'public';
  return { split, category };
}

/** The index of the tab that arrow keys, Home and End move focus to (WAI-ARIA tabs pattern). */
export function nextTabIndex(key: string, current: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowRight':
      return (current + 1) % count;
    case 'ArrowLeft':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
