/**
 * The public leaderboard page with 1,000 teams on the board, in headless Chromium: the time from
 * navigation start until the 1,000th row is in the DOM (target under 1 s), over fresh pages.
 *
 * The data is what the League publishes for such a board (see {@link publishedBoardFiles}); the
 * site is built from its sources. Both are served by a small static server, the pages under the
 * production Content-Security-Policy. Each run is a new browser context (empty cache), after one
 * discarded warm-up run.
 *
 * Run on its own with `npx tsx bench/site-render.ts`; `npm run bench` prints the same table.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { computeBoards } from '../leaderboard-account/app/board.js';
import { type BoardState, publicKeys } from '../leaderboard-account/app/records.js';
import { CONTENT_SECURITY_POLICY } from '../leaderboard-account/infra/public-site.js';
import { boardKey } from '../leaderboard-account/ranking/leaderboard.js';
import { parseBoard, parseLeaderboard } from '../leaderboard-account/web/src/data.js';
import { launchChromium } from '../scripts/test/browser.js';
import { parseLeagueConfig } from '../shared/config/league-config.js';
import type { Verdict } from '../shared/contracts/judgment.js';
import { Question } from '../shared/contracts/question-set.js';

export const SITE_RENDER_TARGET_MS = 1000;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(REPO, 'leaderboard-account/web');

export interface SiteRenderResult {
  readonly teams: number;
  readonly runs: number;
  /** Size of `leaderboard.json`, the one file the board page needs. */
  readonly leaderboardKb: number;
  /** Per run, ms from navigation start. */
  readonly domContentLoadedMs: readonly number[];
  readonly dataFetchedMs: readonly number[];
  readonly firstRowMs: readonly number[];
  readonly lastRowMs: readonly number[];
  /** Two animation frames after the last row: style, layout and paint of the table are done. */
  readonly paintedMs: readonly number[];
}

/** What the init script records in the page; every time is `performance.now()`, i.e. since navigation start. */
interface PageMarks {
  firstRow?: number;
  lastRow?: number;
  painted?: number;
}

interface PageTimes {
  readonly marks: Required<PageMarks>;
  readonly domContentLoaded: number;
  readonly dataFetched: number;
}

/** A deterministic generator (mulberry32), so every bench run publishes the same board. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The board files of a League of `teams` judged teams, keyed by their path on the site: each team
 * one submission on every question of the local demo set, team k beating the reference with
 * probability about k / teams, so scores and intervals spread across the board as in a real League.
 *
 * The boards are the ranking engine's (`computeBoards`, 1,000 bootstrap rounds), laid out as
 * `publishBoards` writes them and checked with the schemas the page parses them with. Not
 * `publishBoards` itself: its `ratings.json` step fits Bradley-Terry on every team at once, 200
 * times, which at 1,000 teams takes minutes and is not what the page loads.
 */
export function publishedBoardFiles(teams: number, questionsText: string): Map<string, string> {
  const questions = questionsText
    .trim()
    .split('\n')
    .map((line) => Question.parse(JSON.parse(line)));
  const teamIds = Array.from({ length: teams }, (_, k) => `team-${String(k).padStart(4, '0')}`);
  const config = parseLeagueConfig({
    leaderboard: { account: '111111111111', region: 'us-east-1' },
    questionSetId: 'demo-v1',
    teams: teamIds.map((teamId, k) => ({
      teamId,
      displayName: `Team ${k + 1}`,
      account: String(300000000000 + k),
      region: 'us-east-1',
      externalId: `external-id-${teamId}-0123456789`,
      resultsBucket: 'results',
    })),
  });
  const next = random(7);
  const verdict = (strength: number, order: 'c' | 'r'): Verdict => {
    const roll = next();
    if (roll < 0.1) return 'A=B';
    const candidateWins = roll < 0.1 + 0.9 * strength;
    const strong = next() < 0.3;
    if (candidateWins === (order === 'c')) return strong ? 'A>>B' : 'A>B';
    return strong ? 'B>>A' : 'B>A';
  };
  const state: BoardState = { version: teams, frozen: false, revealed: false, teams: {} };
  teamIds.forEach((teamId, k) => {
    const strength = (k + 0.5) / teams;
    state.teams[teamId] = {
      submissions: {
        s1: {
          model: `${teamId}/llama-3.1-8b-lora`,
          submittedAt: new Date(Date.UTC(2026, 10, 20, 0, k)).toISOString(),
          games: questions.flatMap((q) =>
            (['c', 'r'] as const).map((order): [string, 'c' | 'r', Verdict] => [
              q.id,
              order,
              verdict(strength, order),
            ]),
          ),
        },
      },
    };
  });
  const boards = computeBoards(config, state, questions, new Map(), new Date(Date.UTC(2026, 10, 21, 12)));
  const categories = [...new Set(questions.map((q) => q.category))].sort();
  const teamNames = Object.fromEntries(config.teams.map((t) => [t.teamId, t.displayName]));
  const files = new Map<string, string>();
  const overall = boards.get(boardKey({ split: 'public', category: null }));
  const leaderboard = {
    ...overall,
    categories,
    teamNames,
    revealed: state.revealed,
    frozen: state.frozen,
    stateVersion: state.version,
  };
  const ranked = parseLeaderboard(leaderboard).board?.entries.length ?? 0;
  if (ranked !== teams) throw new Error(`expected ${teams} teams on the overall board, found ${ranked}`);
  files.set(publicKeys.leaderboard(), JSON.stringify(leaderboard));
  for (const board of boards.values()) {
    if (board.split === 'private') continue;
    const path = publicKeys.board(board.split, board.params.category);
    const file = { ...board, teamNames, stateVersion: state.version };
    parseBoard(file, path);
    files.set(path, JSON.stringify(file));
  }
  return files;
}

/** Builds the site from its sources into a fresh folder (never the shared `dist/` other runs may be serving). */
async function buildSite(outDir: string): Promise<void> {
  await build({
    root: WEB,
    configFile: join(WEB, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The built site at `/` and the site bucket's `data/` at `/data/`, as CloudFront serves them. */
async function serveSite(
  webRoot: string,
  data: ReadonlyMap<string, string>,
): Promise<{ url: string; close(): void }> {
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const published = path.startsWith('/data/') ? data.get(path.slice(1)) : undefined;
    if (published !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(published);
      return;
    }
    const file = normalize(join(webRoot, path === '/' ? 'index.html' : path));
    if (path.startsWith('/data/') || !file.startsWith(webRoot + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** One fresh page: a new context (empty cache), timed from navigation start by the page's own clock. */
async function loadOnce(browser: Browser, url: string, rows: number): Promise<PageTimes> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await context.addInitScript((expected: number) => {
      const marks: PageMarks = {};
      (window as unknown as { siteRender: PageMarks }).siteRender = marks;
      const observer = new MutationObserver(() => {
        const count = document.querySelectorAll('table.board tbody tr').length;
        if (count > 0 && marks.firstRow === undefined) marks.firstRow = performance.now();
        if (count >= expected && marks.lastRow === undefined) {
          marks.lastRow = performance.now();
          observer.disconnect();
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              marks.painted = performance.now();
            }),
          );
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, rows);
    const page = await context.newPage();
    await page.goto(`${url}/#/`);
    await page.waitForFunction(
      () => (window as unknown as { siteRender: PageMarks }).siteRender.painted !== undefined,
      undefined,
      { timeout: 60_000 },
    );
    return await page.evaluate(() => {
      const marks = (window as unknown as { siteRender: Required<PageMarks> }).siteRender;
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const data = performance.getEntriesByName(
        new URL('data/leaderboard.json', window.location.href).href,
      )[0] as PerformanceResourceTiming | undefined;
      return {
        marks,
        domContentLoaded: navigation.domContentLoadedEventEnd,
        dataFetched: data ? data.responseEnd : Number.NaN,
      };
    });
  } finally {
    await context.close();
  }
}

export async function measureSiteRender(
  options: { teams?: number; runs?: number } = {},
): Promise<SiteRenderResult> {
  const teams = options.teams ?? 1000;
  const runs = options.runs ?? 5;
  const work = await mkdtemp(join(tmpdir(), 'league-site-render-'));
  let browser: Browser | undefined;
  let server: { url: string; close(): void } | undefined;
  try {
    const webRoot = join(work, 'site');
    await buildSite(webRoot);
    const questions = await readFile(join(REPO, 'scripts/demo/league/questions.jsonl'), 'utf8');
    const data = publishedBoardFiles(teams, questions);
    const leaderboard = data.get(publicKeys.leaderboard()) ?? '';
    server = await serveSite(webRoot, data);
    browser = await launchChromium();
    await loadOnce(browser, server.url, teams); // warm-up: Chromium's first page, the server's first files
    const times: PageTimes[] = [];
    for (let r = 0; r < runs; r++) times.push(await loadOnce(browser, server.url, teams));
    return {
      teams,
      runs,
      leaderboardKb: Buffer.byteLength(leaderboard) / 1024,
      domContentLoadedMs: times.map((t) => t.domContentLoaded),
      dataFetchedMs: times.map((t) => t.dataFetched),
      firstRowMs: times.map((t) => t.marks.firstRow),
      lastRowMs: times.map((t) => t.marks.lastRow),
      paintedMs: times.map((t) => t.marks.painted),
    };
  } finally {
    await browser?.close();
    server?.close();
    await rm(work, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The result as the bench prints it: a heading line and a Markdown table, like `bench/run.ts`'s others. */
export function formatSiteRender(result: SiteRenderResult): string {
  const ms = (values: readonly number[]) => `${median(values).toFixed(0)}`;
  const worst = Math.max(...result.lastRowMs);
  const met = worst < SITE_RENDER_TARGET_MS;
  return (
    `\nleaderboard page with ${result.teams.toLocaleString('en-GB')} teams (headless Chromium, built site, ` +
    `leaderboard.json ${result.leaderboardKb.toFixed(0)} KB; ms from navigation start, fresh page each run after 1 warm-up)\n\n` +
    '| runs | DOMContentLoaded (median) | leaderboard.json fetched (median) | first row (median) | last row in DOM (median) | last row in DOM (max) | painted (median) | target |\n' +
    '| ---- | ------------------------- | --------------------------------- | ------------------ | ------------------------ | --------------------- | ---------------- | ------ |\n' +
    `| ${result.runs} | ${ms(result.domContentLoadedMs)} | ${ms(result.dataFetchedMs)} | ${ms(result.firstRowMs)} | ${ms(result.lastRowMs)} | ${worst.toFixed(0)} | ${ms(result.paintedMs)} | every run < ${SITE_RENDER_TARGET_MS} ms: ${met ? 'met' : 'MISSED'} |\n`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stderr.write('measuring the leaderboard page with 1,000 teams in headless Chromium\n');
  process.stdout.write(formatSiteRender(await measureSiteRender()));
}
