/**
 * The public leaderboard site in headless Chromium, against the local stack: the built site and the
 * board the stack's real handlers publish after judging the four demo teams. Every page is served
 * under the production Content-Security-Policy, and a test fails on any console error, uncaught
 * exception or CSP violation on its pages.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../scripts/local/stack/stack.js';
import { launchChromium, screenshot } from '../../scripts/test/browser.js';
import { CONTENT_SECURITY_POLICY } from '../infra/public-site.js';
import { type BoardFile, type LeaderboardFile, parseBoard, parseLeaderboard } from './src/data.js';
import { formatScore } from './src/format.js';

const DEMO_ORDER = ['Lynx', 'Otters', 'Moths', 'Tricksters'];
const PHONE = { width: 375, height: 740 };

let stack: Stack;
let dataDir: string;
let browser: Browser;
let context: BrowserContext;
let published: LeaderboardFile;
/** Published files the site may ask for before they exist (the snapshot index, until the first daily snapshot). */
let unpublished: Set<string>;

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the stack to publish the board');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function fetchPublished(path: string): Promise<unknown> {
  const response = await fetch(`${stack.siteUrl}/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** A browser context whose documents carry the CSP CloudFront adds in production, whatever the local gateway sends. */
async function productionContext(
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const created = await browser.newContext({ colorScheme: 'light', ...options });
  await created.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    return route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
  // Init scripts run outside the page's CSP, so this listener is never itself blocked.
  await created.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return created;
}

interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
}

function isUnpublishedFileMiss(message: ConsoleMessage): boolean {
  return (
    message.text().startsWith('Failed to load resource: the server responded with a status of 404') &&
    unpublished.has(message.location().url)
  );
}

/** A page whose console errors, uncaught exceptions and CSP violations are collected. */
async function watchedPage(inContext: BrowserContext): Promise<WatchedPage> {
  const page = await inContext.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isUnpublishedFileMiss(message)) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, problems };
}

let opened: WatchedPage[] = [];
let extraContexts: BrowserContext[] = [];

/** Opens a route of the site and waits until the page has rendered it. */
async function open(hash: string, inContext: BrowserContext = context): Promise<Page> {
  const watched = await watchedPage(inContext);
  opened.push(watched);
  await watched.page.goto(`${stack.siteUrl}/${hash}`);
  // The status line reads "Loading…" until a route has rendered.
  await watched.page.waitForFunction(() => document.getElementById('status')?.textContent === '');
  return watched.page;
}

async function rowTeams(page: Page): Promise<string[]> {
  return page.locator('table.board tbody th.team a').allTextContents();
}

async function renderedCaption(page: Page, text: string): Promise<void> {
  await page.locator('table.board caption', { hasText: text }).waitFor();
}

/** Entries in the order the board ranks them: by rank, a shared rank by score. */
function rankedTeams(board: BoardFile): string[] {
  return [...board.entries].sort((a, b) => a.rank - b.rank || b.score - a.score).map((e) => e.team);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'league-site-browser-'));
  stack = await startStack({ dataDir, gatewayPort: 0, s3Port: 0, cognitoPort: 0 });
  published = await until(async () => {
    const response = await fetch(`${stack.siteUrl}/data/leaderboard.json`);
    if (response.status !== 200) return undefined;
    const file = parseLeaderboard(await response.json());
    return (file.board?.entries.length ?? 0) >= 4 ? file : undefined;
  }, 90_000);
  const snapshotIndex = `${stack.siteUrl}/data/snapshots/index.json`;
  unpublished = new Set((await fetch(snapshotIndex)).status === 404 ? [snapshotIndex] : []);
  browser = await launchChromium();
  context = await productionContext({ viewport: { width: 1280, height: 900 } });
}, 150_000);

afterEach(async () => {
  const pages = opened;
  opened = [];
  const problems = pages.flatMap((p) => p.problems);
  await Promise.all(pages.map((p) => p.page.close()));
  await Promise.all(extraContexts.map((c) => c.close()));
  extraContexts = [];
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the public leaderboard site in Chromium', () => {
  it('ranks the demo teams strongest first, each with its score and a confidence-interval whisker', async () => {
    const page = await open('#/');
    const board = published.board;
    if (!board) throw new Error('the stack published no board');

    expect(await rowTeams(page)).toEqual(DEMO_ORDER);
    const rows = page.locator('table.board tbody tr');
    for (const [k, team] of ['lynx', 'otters', 'moths', 'tricksters'].entries()) {
      const entry = board.entries.find((e) => e.team === team);
      if (!entry) throw new Error(`${team} is not on the published board`);
      const row = rows.nth(k);
      expect(await row.locator('td.score').textContent()).toBe(formatScore(board.method, entry.score));
      const whisker = row.locator('svg.whisker[role="img"]');
      expect(await whisker.getAttribute('aria-label')).toContain(formatScore(board.method, entry.score));
      expect(await whisker.locator('circle.whisker-point').count()).toBe(1);
      expect(await whisker.locator('line.whisker-range').count()).toBe(1);
    }
    await screenshot(page, 'leaderboard-board');
  });

  it('shows the length-controlled win rate beside the raw score, with its heading explained', async () => {
    const page = await open('#/');
    const board = published.board;
    if (!board?.params.control) throw new Error('the published board has no length control');
    expect(board.params.control.method).toBe('length-controlled-win-rate');
    const heading = page.locator('table.board thead th abbr', { hasText: 'Length-controlled' });
    expect(await heading.getAttribute('title')).toContain('as long as the reference');
    const rows = page.locator('table.board tbody tr');
    for (const [k, team] of DEMO_ORDER.map((name) => name.toLowerCase()).entries()) {
      const entry = board.entries.find((e) => e.team === team);
      if (!entry?.controlled) throw new Error(`${team} has no length-controlled score`);
      expect(await rows.nth(k).locator('td.controlled').textContent()).toContain(
        formatScore(board.method, entry.controlled.score),
      );
    }
    expect(await page.locator('p.method-note').textContent()).toContain('length-controlled win rate');
  });

  it('puts the top three teams on the podium, in order', async () => {
    const page = await open('#/');
    const steps = page.locator('ol.podium li');
    expect(await steps.locator('.podium-place').allTextContents()).toEqual(['1st', '2nd', '3rd']);
    expect(await steps.locator('.podium-team').allTextContents()).toEqual(DEMO_ORDER.slice(0, 3));
  });

  it('shows when the board was last updated', async () => {
    const page = await open('#/');
    const updated = page.locator('p.updated');
    expect(await updated.textContent()).toMatch(/^Last updated .+ UTC$/);
    expect(await updated.locator('time').getAttribute('datetime')).toBe(published.board?.generatedAt);
  });

  it('switches the table to a category board when its tab is clicked', async () => {
    const page = await open('#/');
    const category = published.meta.categories[0];
    if (!category) throw new Error('the stack published no category');
    const board = parseBoard(await fetchPublished(`data/boards/public/${category}.json`), category);

    await page.getByRole('tab', { name: category, exact: true }).click();
    await renderedCaption(page, `— ${category}`);

    expect(new URL(page.url()).hash).toBe(`#/category/${category}`);
    const tab = page.getByRole('tab', { name: category, exact: true });
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('tab', { name: 'Overall' }).getAttribute('aria-selected')).toBe('false');
    expect(await page.locator('#board-panel').getAttribute('aria-labelledby')).toBe(
      await tab.getAttribute('id'),
    );
    const names = board.teamNames;
    expect(await rowTeams(page)).toEqual(rankedTeams(board).map((team) => names[team] ?? team));
    expect(await page.locator('table.board tbody td.score').allTextContents()).toEqual(
      rankedTeams(board).map((team) => {
        const entry = board.entries.find((e) => e.team === team);
        return entry ? formatScore(board.method, entry.score) : '';
      }),
    );
    await screenshot(page, 'leaderboard-category');
  });

  it('moves between the tabs with the arrow keys, Home and End, and opens a focused tab with Enter', async () => {
    const page = await open('#/');
    const categories = published.meta.categories;
    const [first, second] = categories;
    const last = categories.at(-1);
    if (!first || !second || !last) throw new Error('the stack published fewer than two categories');
    const focusedTab = () => page.evaluate(() => document.activeElement?.textContent);
    const expectOn = async (label: string, hash: string) => {
      await page.waitForFunction((expected) => window.location.hash === expected, hash);
      await page.locator('.tab[aria-selected="true"]', { hasText: label }).waitFor();
      expect(await focusedTab()).toBe(label);
      // Roving tabindex: only the selected tab is in the Tab order.
      expect(await page.locator('.tab[tabindex="0"]').allTextContents()).toEqual([label]);
    };

    await page.getByRole('tab', { name: 'Overall' }).focus();
    await page.keyboard.press('ArrowRight');
    await expectOn(first, `#/category/${first}`);
    await page.keyboard.press('End');
    await expectOn(last, `#/category/${last}`);
    await page.keyboard.press('ArrowRight');
    await expectOn('Overall', '#/');
    await page.keyboard.press('ArrowLeft');
    await expectOn(last, `#/category/${last}`);
    await page.keyboard.press('Home');
    await expectOn('Overall', '#/');

    await page.getByRole('tab', { name: second, exact: true }).focus();
    await page.keyboard.press('Enter');
    await expectOn(second, `#/category/${second}`);
    await renderedCaption(page, `— ${second}`);
  });

  it('opens a team page from its row, with the team name and its score-history chart', async () => {
    const page = await open('#/');
    await page.locator('table.board tbody th.team a', { hasText: 'Lynx' }).click();
    await page.locator('.team-page').waitFor();

    expect(new URL(page.url()).hash).toBe('#/team/lynx');
    const heading = page.locator('#page-heading');
    expect(await heading.textContent()).toBe('Lynx');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-heading');
    expect(await page.title()).toBe('Lynx — LLM League');
    expect(await page.locator('p.standing').textContent()).toMatch(/^Rank 1 on the live board/);
    const chart = page.locator('section.chart svg.history[role="img"]');
    expect(await chart.count()).toBe(1);
    expect(await chart.locator('circle.point').count()).toBeGreaterThanOrEqual(1);
    expect(await chart.locator('path.line').getAttribute('d')).toMatch(/^M\d/);
    expect(await page.locator('table.submissions tbody tr').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'leaderboard-team');

    await page.getByRole('link', { name: '← Back to the leaderboard' }).click();
    await renderedCaption(page, 'all categories');
  });

  it('marks the flagged team on its board row and its team page, with the flag codes for screen readers', async () => {
    const page = await open('#/');
    const board = published.board;
    const flagged = board?.entries.find((e) => e.team === 'tricksters')?.flagged;
    if (!flagged) throw new Error('the published board does not flag the tricksters');
    const row = page.locator('table.board tbody tr', { hasText: 'Tricksters' });
    const marker = row.locator('th.team .badge-flagged');
    expect(await marker.getAttribute('data-flagged')).toBe(String(flagged.answers));
    expect(await marker.locator('[aria-hidden="true"]').textContent()).toBe(`⚑ ${flagged.answers} flagged`);
    expect(await marker.locator('.visually-hidden').textContent()).toMatch(
      /^\d+ answers flagged by the injection detector: .*instruction-to-grader/,
    );
    // An honest team carries no marker.
    expect(
      await page.locator('table.board tbody tr', { hasText: 'Lynx' }).locator('.badge-flagged').count(),
    ).toBe(0);

    await row.locator('th.team a').click();
    await page.locator('.team-page').waitFor();
    expect(await page.locator('table.submissions tbody tr .badge-flagged').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'leaderboard-flagged-team');
  });

  it('links the battles and ratings downloads, both served', async () => {
    const page = await open('#/');
    const links = page.locator('section.downloads a[download]');
    expect(await links.allTextContents()).toEqual(['battles.jsonl', 'ratings.json']);
    const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs).toEqual([`${stack.siteUrl}/data/battles.jsonl`, `${stack.siteUrl}/data/ratings.json`]);

    const battles = await fetch(hrefs[0] ?? '');
    expect(battles.status).toBe(200);
    const firstBattle = JSON.parse((await battles.text()).split('\n')[0] ?? '') as Record<string, unknown>;
    expect(firstBattle).toMatchObject({ model_b: expect.any(String), winner: expect.any(String) });
    const ratings = await fetch(hrefs[1] ?? '');
    expect(ratings.status).toBe(200);
    expect(await ratings.json()).toMatchObject({ ratings: expect.any(Array) });

    const [download] = await Promise.all([page.waitForEvent('download'), links.first().click()]);
    expect(download.suggestedFilename()).toBe('battles.jsonl');
    expect(await download.failure()).toBeNull();
  });

  it('fits a phone screen: the page does not scroll sideways, the table scrolls in its own region', async () => {
    const phone = await productionContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    extraContexts.push(phone);
    const page = await open('#/', phone);
    expect(await rowTeams(page)).toEqual(DEMO_ORDER);
    // A mobile browser widens its layout viewport to fit wide content, so compare with the phone's width.
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      layoutViewport: window.innerWidth,
    }));
    expect(widths).toEqual({ page: PHONE.width, layoutViewport: PHONE.width });
    const table = page.getByRole('region', { name: 'Leaderboard' });
    expect(await table.evaluate((region) => region.scrollWidth > region.clientWidth)).toBe(true);
    await screenshot(page, 'leaderboard-mobile');
  });

  it('reports a CSP violation when an inline script is injected, so the clean consoles above mean the policy was enforced', async () => {
    const watched = await watchedPage(context);
    try {
      await watched.page.goto(`${stack.siteUrl}/#/`);
      await watched.page.locator('table.board').waitFor();
      const ran = await watched.page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'document.body.dataset.inline = "ran"';
        document.head.append(script);
        return document.body.dataset.inline ?? 'blocked';
      });
      expect(ran).toBe('blocked');
      await expect
        .poll(() => watched.problems.some((p) => p.includes('CSP violation: script-src')))
        .toBe(true);
    } finally {
      await watched.page.close();
    }
  });
});
