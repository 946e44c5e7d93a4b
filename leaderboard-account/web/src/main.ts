// First: the schemas below must be built with Zod's eval-free parsers (see the module).
import '../../../shared/web/zod-without-eval.js';
import type { FlaggedAnswers, Snapshot } from '../../../shared/contracts/snapshot.js';
import { type Child, h, svg } from '../../../shared/web/dom.js';
import { type BoardRow, type BoardView, boardView, criterionHeading, displayName } from './board-view.js';
import {
  type BoardFile,
  DataError,
  dataPaths,
  isTeamId,
  type LeaderboardFile,
  type LeaderboardMeta,
  parseBoard,
  parseLeaderboard,
  parseSnapshotIndex,
  parseTeamHistory,
  type TeamHistory,
  type TeamScore,
} from './data.js';
import {
  flaggedLabel,
  formatCount,
  formatDateTime,
  formatInterval,
  formatScore,
  methodLabel,
} from './format.js';
import { formatTeamScore, formatTick, historyChart } from './history-chart.js';
import { boardTabs, nextTabIndex, parseRoute, type Route, resolveBoard, routeHash } from './routes.js';
import { scoreDomain, whiskerGeometry } from './whisker.js';

function requireElement(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html must have #${id}`);
  return element;
}

const app = requireElement('app');
const status = requireElement('status');

// The skip link must not change the hash: every hash is a route here.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  requireElement('main').focus();
});

let leaderboard: LeaderboardFile | undefined;
let lastSnapshotDay: string | undefined;
/** Set when a tab or the split toggle changed the route, so focus returns to it after re-rendering. */
let refocus: string | undefined;
let renderCount = 0;

async function fetchJson(path: string): Promise<unknown> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (response.status === 404 || response.status === 403) throw new DataError(`${path} is not published yet`);
  if (!response.ok) throw new DataError(`${path} could not be loaded (HTTP ${response.status})`);
  return response.json();
}

async function loadBoard(
  split: 'public' | 'private',
  category: string | null,
): Promise<BoardFile | undefined> {
  if (split === 'public' && category === null) return leaderboard?.board;
  const path = dataPaths.board(split, category);
  return parseBoard(await fetchJson(path), path);
}

async function start(): Promise<void> {
  try {
    leaderboard = parseLeaderboard(await fetchJson(dataPaths.leaderboard()));
  } catch (error) {
    showError(error);
    return;
  }
  // The index only labels the rank-change column: the board still renders without it.
  fetchJson(dataPaths.snapshotIndex())
    .then((value) => {
      lastSnapshotDay = parseSnapshotIndex(value).days.at(-1);
      const label = document.getElementById('change-since');
      if (label && lastSnapshotDay) label.textContent = `since ${lastSnapshotDay}`;
    })
    .catch(() => undefined);
  window.addEventListener('hashchange', () => void render(parseRoute(window.location.hash)));
  await render(parseRoute(window.location.hash));
}

async function render(route: Route): Promise<void> {
  if (!leaderboard) return;
  const ticket = ++renderCount;
  const meta = leaderboard.meta;
  status.textContent = 'Loading…';
  let content: Node;
  try {
    content =
      route.kind === 'team'
        ? await teamPage(route.team, meta)
        : await boardPage(meta, resolveBoard(route, meta));
  } catch (error) {
    content = errorMessage(error);
  }
  // A slower, older navigation must not overwrite a newer one.
  if (ticket !== renderCount) return;
  app.replaceChildren(content);
  status.textContent = '';
  const focusTarget = refocus ? document.getElementById(refocus) : null;
  refocus = undefined;
  if (focusTarget) focusTarget.focus();
  else if (route.kind === 'team') document.getElementById('page-heading')?.focus();
}

function showError(error: unknown): void {
  status.textContent = '';
  app.replaceChildren(errorMessage(error));
}

function errorMessage(error: unknown): HTMLElement {
  const message =
    error instanceof DataError ? error.message : 'The leaderboard could not be loaded. Try again shortly.';
  return h('p', { class: 'notice notice-error', role: 'alert' }, message);
}

// ── Board page ──────────────────────────────────────────────────────────────────────────────────

async function boardPage(
  meta: LeaderboardMeta,
  shown: { split: 'public' | 'private'; category: string | null },
): Promise<Node> {
  document.title = shown.split === 'private' ? 'Final standings — LLM League' : 'LLM League — Leaderboard';
  const board = await loadBoard(shown.split, shown.category);
  const tabs = boardTabs(meta.categories, { kind: 'board', ...shown });
  const selectedTab = tabs.find((t) => t.selected);
  const page = h('div', { class: 'board-page' });
  page.append(boardHeader(meta, board, shown.split));
  if (meta.revealed) page.append(splitToggle(shown));
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Board' });
  tabs.forEach((tab, index) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'tab',
        role: 'tab',
        id: tab.id,
        'aria-selected': tab.selected ? 'true' : 'false',
        'aria-controls': 'board-panel',
        tabindex: tab.selected ? 0 : -1,
      },
      tab.label,
    );
    button.addEventListener('click', () => navigate(tab.hash, tab.id));
    button.addEventListener('keydown', (event) => {
      const next = nextTabIndex(event.key, index, tabs.length);
      const target = next === undefined ? undefined : tabs[next];
      if (!target) return;
      event.preventDefault();
      navigate(target.hash, target.id);
    });
    tablist.append(button);
  });
  page.append(tablist);
  const view = board ? boardView(board, { ...meta.teamNames, ...board.teamNames }) : undefined;
  const ranked = board && view && view.rows.length > 0;
  const panel = h(
    'section',
    { class: 'panel', id: 'board-panel', role: 'tabpanel', 'aria-labelledby': selectedTab?.id },
    ranked ? podium(view) : h('p', { class: 'notice' }, 'No team is ranked on this board yet.'),
    ranked ? boardTable(board, view) : null,
    view ? excludedList(view) : null,
    board ? methodNote(board) : null,
  );
  page.append(panel, downloads());
  return page;
}

function navigate(hash: string, focusId: string): void {
  refocus = focusId;
  if (window.location.hash === hash) void render(parseRoute(hash));
  else window.location.hash = hash;
}

function boardHeader(meta: LeaderboardMeta, board: Snapshot | undefined, split: 'public' | 'private'): Node {
  const final = split === 'private';
  const badges = h(
    'div',
    { class: 'badges' },
    h(
      'span',
      { class: final ? 'badge badge-final' : 'badge badge-public' },
      final ? 'Final standings (private split)' : 'Live standings (public split)',
    ),
    meta.frozen === true ? h('span', { class: 'badge badge-frozen' }, 'Board frozen') : null,
  );
  const updated = board
    ? h(
        'p',
        { class: 'updated' },
        'Last updated ',
        h('time', { datetime: board.generatedAt }, formatDateTime(board.generatedAt)),
      )
    : null;
  const explainer = final
    ? 'Ranked on the hidden private questions: these are the results that decide the League.'
    : meta.revealed
      ? 'Ranked on the public questions. The final standings are now revealed.'
      : 'Ranked on the public questions. Final standings use a hidden private split, revealed at the end.';
  return h(
    'div',
    { class: 'board-header' },
    badges,
    updated,
    h('p', { class: 'explainer' }, explainer),
    meta.frozen === true
      ? h('p', { class: 'notice notice-frozen' }, 'The board is frozen: new evaluations no longer change it.')
      : null,
  );
}

function splitToggle(shown: { split: 'public' | 'private'; category: string | null }): Node {
  const group = h('div', { class: 'split-toggle', role: 'group', 'aria-label': 'Standings' });
  for (const split of ['public', 'private'] as const) {
    const id = `split-${split}`;
    const button = h(
      'button',
      { type: 'button', id, class: 'toggle', 'aria-pressed': split === shown.split ? 'true' : 'false' },
      split === 'public' ? 'Live (public)' : 'Final standings',
    );
    button.addEventListener('click', () =>
      navigate(routeHash({ kind: 'board', split, category: shown.category }), id),
    );
    group.append(button);
  }
  return group;
}

function teamLink(team: string, name: string): HTMLElement {
  return h('a', { href: routeHash({ kind: 'team', team }) }, name);
}

function podium(view: BoardView): Node {
  const places = ['1st', '2nd', '3rd'];
  return h(
    'ol',
    { class: 'podium', 'aria-label': 'Top three' },
    ...view.podium.map((row, k) =>
      h(
        'li',
        { class: `podium-step podium-${k + 1}` },
        h('span', { class: 'podium-place' }, places[k] ?? `${row.rank}`),
        h('span', { class: 'podium-team' }, teamLink(row.entry.team, row.teamName)),
        h('span', { class: 'podium-model' }, row.entry.model),
        h('span', { class: 'podium-score' }, row.score),
      ),
    ),
  );
}

function boardTable(board: Snapshot, view: BoardView): Node {
  const domain = scoreDomain(board.method, board.entries);
  const headers: Child[] = [
    h('th', { scope: 'col' }, 'Rank'),
    h('th', { scope: 'col' }, h('abbr', { title: 'The ranks its confidence interval allows' }, 'Spread')),
    h('th', { scope: 'col' }, 'Team'),
    h('th', { scope: 'col' }, 'Model'),
    h('th', { scope: 'col', class: 'num' }, 'Score'),
    h('th', { scope: 'col' }, '95% CI'),
    ...(view.controlHeading
      ? [
          h(
            'th',
            { scope: 'col', class: 'num' },
            h(
              'abbr',
              {
                title:
                  board.params.control?.method === 'length-controlled-win-rate'
                    ? 'Win rate as if every answer were as long as the reference (AlpacaEval 2 length control)'
                    : 'Rating with answer length and Markdown held equal (LMArena style control)',
              },
              view.controlHeading,
            ),
          ),
        ]
      : []),
    ...view.criteria.map((name) => h('th', { scope: 'col', class: 'num' }, criterionHeading(name))),
    h('th', { scope: 'col', class: 'num' }, board.method === 'bradley-terry' ? 'Battles' : 'Evaluations'),
    h(
      'th',
      { scope: 'col' },
      'Change ',
      h(
        'span',
        { class: 'muted change-since', id: 'change-since' },
        lastSnapshotDay ? `since ${lastSnapshotDay}` : '',
      ),
    ),
    h('th', { scope: 'col' }, 'Submitted'),
  ];
  const rows = view.rows.map((row) => tableRow(board, row, domain));
  const table = h(
    'table',
    { class: 'board' },
    h('caption', {}, `${methodLabel(board.method)} — ${board.params.category ?? 'all categories'}`),
    h('thead', {}, h('tr', {}, ...headers)),
    h('tbody', {}, ...rows),
  );
  // A focusable, labelled scroll region lets keyboard users scroll the table on a narrow screen.
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Leaderboard' }, table);
}

function tableRow(board: Snapshot, row: BoardRow, domain: ReturnType<typeof scoreDomain>): Node {
  const e = row.entry;
  return h(
    'tr',
    { class: row.rank <= 3 ? `top top-${row.rank}` : undefined },
    h('td', { class: 'rank' }, row.rank),
    h('td', { class: 'spread', title: row.spread.description }, row.spread.text),
    h('th', { scope: 'row', class: 'team' }, teamLink(e.team, row.teamName), flaggedMarker(e.flagged)),
    h('td', { class: 'model' }, e.model),
    h('td', { class: 'num score' }, row.score),
    h(
      'td',
      { class: 'whisker-cell' },
      h(
        'span',
        { class: 'whisker-wrap' },
        whisker(board, e, domain),
        h('span', { class: 'ci-text' }, row.interval),
      ),
    ),
    ...(row.controlled
      ? [
          h(
            'td',
            { class: 'num controlled' },
            row.controlled.score,
            row.controlled.interval ? h('span', { class: 'ci-text' }, ` ${row.controlled.interval}`) : null,
          ),
        ]
      : []),
    ...row.criteria.map((value) => h('td', { class: 'num' }, value)),
    h('td', { class: 'num' }, formatCount(e.nEvals)),
    h(
      'td',
      { class: `change change-${row.change.tone}` },
      h('span', { 'aria-hidden': 'true' }, row.change.text),
      h('span', { class: 'visually-hidden' }, row.change.description),
    ),
    h('td', { class: 'submitted' }, h('time', { datetime: e.submittedAt }, row.submittedAt)),
  );
}

/** The marker of an entry or submission with flagged answers: a short badge, the codes in full. */
function flaggedMarker(flagged: FlaggedAnswers | undefined): Node | null {
  if (!flagged) return null;
  const label = flaggedLabel(flagged);
  return h(
    'span',
    { class: 'badge badge-flagged', title: label.description, 'data-flagged': flagged.answers },
    h('span', { 'aria-hidden': 'true' }, label.text),
    h('span', { class: 'visually-hidden' }, label.description),
  );
}

function whisker(
  board: Snapshot,
  e: Snapshot['entries'][number],
  domain: ReturnType<typeof scoreDomain>,
): Node {
  const g = whiskerGeometry(e, domain, { width: 120, height: 18 });
  return svg(
    'svg',
    {
      class: 'whisker',
      viewBox: `0 0 ${g.width} ${g.height}`,
      width: g.width,
      height: g.height,
      role: 'img',
      'aria-label': `${formatScore(board.method, e.score)}, 95% interval ${formatInterval(board.method, e.ciLow, e.ciHigh)}`,
    },
    svg('line', { class: 'whisker-axis', x1: 4, x2: g.width - 4, y1: g.mid, y2: g.mid }),
    g.parity === undefined
      ? null
      : svg('line', { class: 'whisker-parity', x1: g.parity, x2: g.parity, y1: 2, y2: g.height - 2 }),
    svg('line', { class: 'whisker-range', x1: g.low, x2: g.high, y1: g.mid, y2: g.mid }),
    svg('line', { class: 'whisker-cap', x1: g.low, x2: g.low, y1: g.mid - 4, y2: g.mid + 4 }),
    svg('line', { class: 'whisker-cap', x1: g.high, x2: g.high, y1: g.mid - 4, y2: g.mid + 4 }),
    svg('circle', { class: 'whisker-point', cx: g.point, cy: g.mid, r: 3.5 }),
  );
}

function excludedList(view: BoardView): Node | null {
  if (view.excluded.length === 0) return null;
  return h(
    'section',
    { class: 'excluded', 'aria-labelledby': 'excluded-heading' },
    h('h2', { id: 'excluded-heading' }, 'Not ranked'),
    h(
      'ul',
      {},
      ...view.excluded.map((e) =>
        h('li', {}, h('strong', {}, e.teamName), ` (${e.model}): `, h('span', { class: 'reason' }, e.reason)),
      ),
    ),
  );
}

function methodNote(board: Snapshot): Node {
  const parts = [
    `Scores are ${methodLabel(board.method).toLowerCase()}`,
    `with ${formatCount(board.params.numBootstrap)}-round bootstrap 95% intervals`,
    `at least ${board.params.minEvals} evaluations to be ranked`,
    board.params.rankedBy === 'rank-upper-bound'
      ? 'ranked by rank upper bound (teams whose intervals overlap share a rank)'
      : 'ranked by score',
  ];
  const control = board.params.control;
  if (control) {
    const what =
      control.method === 'length-controlled-win-rate'
        ? 'length-controlled win rate (AlpacaEval 2)'
        : 'style-controlled rating (LMArena)';
    parts.push(control.ranked ? `ranks use the ${what}` : `the ${what} is shown beside the raw score`);
  }
  return h('p', { class: 'method-note' }, `${parts.join('; ')}.`);
}

function downloads(): Node {
  return h(
    'section',
    { class: 'downloads', 'aria-labelledby': 'downloads-heading' },
    h('h2', { id: 'downloads-heading' }, 'Data'),
    h(
      'ul',
      {},
      h(
        'li',
        {},
        h('a', { href: dataPaths.battles(), download: 'battles.jsonl' }, 'battles.jsonl'),
        ' — every battle against the reference, judgearena format',
      ),
      h(
        'li',
        {},
        h('a', { href: dataPaths.ratings(), download: 'ratings.json' }, 'ratings.json'),
        ' — Bradley-Terry ratings with bootstrap intervals',
      ),
    ),
  );
}

// ── Team page ───────────────────────────────────────────────────────────────────────────────────

async function teamPage(team: string, meta: LeaderboardMeta): Promise<Node> {
  if (!isTeamId(team)) throw new DataError(`"${team}" is not a team id`);
  const path = dataPaths.team(team);
  const history = parseTeamHistory(await fetchJson(path), path);
  const name = history.displayName || displayName(meta.teamNames, team);
  document.title = `${name} — LLM League`;
  const standing = leaderboard?.board?.entries.find((e) => e.team === team);
  const method = leaderboard?.board?.method;
  const showPrivate = meta.revealed && history.submissions.some((s) => s.private);
  return h(
    'div',
    { class: 'team-page' },
    h('p', {}, h('a', { href: '#/', class: 'back' }, '← Back to the leaderboard')),
    h('h2', { id: 'page-heading', tabindex: -1 }, name),
    standing && method
      ? h(
          'p',
          { class: 'standing' },
          `Rank ${standing.rank} on the live board with ${standing.model}: ${formatScore(method, standing.score)}.`,
        )
      : h('p', { class: 'standing muted' }, 'Not on the live board yet.'),
    chartSection(history, 'public', 'Score history (public questions)'),
    showPrivate ? chartSection(history, 'private', 'Score history (private questions)') : null,
    submissionsTable(history, showPrivate),
  );
}

function chartSection(history: TeamHistory, split: 'public' | 'private', title: string): Node {
  const chart = historyChart(history.submissions, split, { width: 640, height: 220 });
  const id = `chart-${split}`;
  if (!chart) {
    return h(
      'section',
      { class: 'chart' },
      h('h3', {}, title),
      h('p', { class: 'muted' }, 'No scored submission yet.'),
    );
  }
  const first = chart.points[0];
  const last = chart.points.at(-1);
  const summary =
    first && last
      ? `${chart.points.length} scored submissions, from ${formatTeamScore(first.score)} to ${formatTeamScore(last.score)}.`
      : '';
  return h(
    'section',
    { class: 'chart', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    svg(
      'svg',
      {
        class: 'history',
        viewBox: `0 0 ${chart.width} ${chart.height}`,
        role: 'img',
        'aria-label': `${title}: ${summary}`,
        preserveAspectRatio: 'xMidYMid meet',
      },
      ...chart.ticks.flatMap((tick) => [
        svg('line', { class: 'grid', x1: chart.plot.left, x2: chart.plot.right, y1: tick.y, y2: tick.y }),
        svg(
          'text',
          {
            class: 'tick',
            x: chart.plot.left - 6,
            y: tick.y,
            'text-anchor': 'end',
            'dominant-baseline': 'middle',
          },
          formatTick(chart.metric, tick.value),
        ),
      ]),
      chart.parityY === undefined
        ? null
        : svg('line', {
            class: 'parity',
            x1: chart.plot.left,
            x2: chart.plot.right,
            y1: chart.parityY,
            y2: chart.parityY,
          }),
      chart.points.length > 1 ? svg('polygon', { class: 'band', points: chart.band }) : null,
      svg('path', { class: 'line', d: chart.line }),
      ...chart.points.map((p) =>
        svg(
          'g',
          {},
          svg('line', { class: 'point-ci', x1: p.x, x2: p.x, y1: p.yLow, y2: p.yHigh }),
          svg(
            'circle',
            { class: 'point', cx: p.x, cy: p.y, r: 4 },
            svg('title', {}, `${p.model}, ${formatDateTime(p.submittedAt)}: ${formatTeamScore(p.score)}`),
          ),
        ),
      ),
      svg('text', { class: 'axis-label', x: chart.plot.left, y: chart.height - 8 }, 'oldest'),
      svg(
        'text',
        { class: 'axis-label', x: chart.plot.right, y: chart.height - 8, 'text-anchor': 'end' },
        'newest',
      ),
    ),
    h('p', { class: 'visually-hidden' }, summary),
  );
}

function teamScoreCell(score: TeamScore | null | undefined): Node {
  if (!score) return h('td', { class: 'muted' }, '–');
  const interval =
    score.metric === 'win-rate'
      ? formatInterval('win-rate', score.ciLow, score.ciHigh)
      : formatInterval('rubric', score.ciLow, score.ciHigh);
  return h(
    'td',
    { class: 'num' },
    formatTeamScore(score),
    h('span', { class: 'ci-text' }, ` (${interval}, ${score.nQuestions} q)`),
  );
}

function submissionsTable(history: TeamHistory, showPrivate: boolean): Node {
  if (history.submissions.length === 0) return h('p', { class: 'muted' }, 'No judged submission yet.');
  return h(
    'section',
    { 'aria-labelledby': 'submissions-heading' },
    h('h3', { id: 'submissions-heading' }, 'Submissions'),
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Submissions' },
      h(
        'table',
        { class: 'submissions' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Submitted'),
            h('th', { scope: 'col' }, 'Model'),
            h('th', { scope: 'col' }, 'Submission'),
            h('th', { scope: 'col', class: 'num' }, 'Public score'),
            showPrivate ? h('th', { scope: 'col', class: 'num' }, 'Private score') : null,
          ),
        ),
        h(
          'tbody',
          {},
          ...history.submissions.map((s) =>
            h(
              'tr',
              { class: s.selected ? 'selected' : undefined },
              h('td', {}, h('time', { datetime: s.submittedAt }, formatDateTime(s.submittedAt))),
              h(
                'td',
                {},
                s.model,
                s.selected ? h('span', { class: 'badge badge-selected' }, 'selected') : null,
                flaggedMarker(s.flagged),
                s.excluded
                  ? h('span', { class: 'badge badge-excluded', title: s.excluded }, 'excluded')
                  : null,
              ),
              h('td', { class: 'mono' }, s.submissionId),
              teamScoreCell(s.public),
              showPrivate ? teamScoreCell(s.private) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

void start();
