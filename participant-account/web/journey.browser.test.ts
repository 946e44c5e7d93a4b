import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../scripts/league/command-test-support.js';
import { main } from '../../scripts/league/main.js';
import { type Stack, startStack } from '../../scripts/local/stack/stack.js';
import { launchChromium, screenshot } from '../../scripts/test/browser.js';

// The participant's whole journey in a real browser, against the local stack: the same handlers,
// Cognito (cognito-local), S3 uploads and judge as `npm start`.

let stack: Stack;
let dataDir: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'league-journey-'));
  stack = await startStack({ dataDir, gatewayPort: 0, participantPort: 0, s3Port: 0, cognitoPort: 0 });
  browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A 4xx the app answers on screen (the wrong password, the refused file) is logged by Chromium
    // as a failed resource; anything else (a CSP violation, an uncaught error) is a problem.
    const text = message.text();
    if (message.type() === 'error' && !/status of 4\d\d/.test(text)) problems.push(`console: ${text}`);
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 30_000);

/** Three faults a participant might make, each on a known line. */
const BAD_FILE = [
  '{"id":"q1","prompt":"What is the capital of France?"}',
  '{"id":"q2","prompt":"Name a prime number." ',
  '{"id":"q1","prompt":"A repeated id"}',
  '{"id":"q4"}',
].join('\n');

async function dropFile(target: Page, selector: string, name: string, content: string) {
  const dataTransfer = await target.evaluateHandle(
    ({ name, content }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], name, { type: '' }));
      return transfer;
    },
    { name, content },
  );
  await target.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await target.dispatchEvent(selector, 'drop', { dataTransfer });
}

describe('the participant web app', () => {
  it('refuses a wrong password with a clear message, then signs in', async () => {
    await page.goto(`${stack.participantAppUrl}/`);
    await page.getByLabel('E-mail address').fill(stack.demoUser.email);
    await page.getByLabel('Password').fill('not-the-password-1A!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('#sign-in-error').textContent())
      .toBe('Incorrect e-mail address or password.');
    await screenshot(page, 'participant-sign-in');

    await page.getByLabel('Password').fill(stack.demoUser.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#questions-heading').waitFor();
    expect(await page.locator('#signed-in-as').textContent()).toBe(stack.demoUser.email);
    await expect.poll(() => page.locator('#quota').textContent()).toBe('5 of 5 submissions left today.');
  });

  it('shows a dropped bad file’s errors line by line', async () => {
    await dropFile(page, '#drop-zone', 'bad.jsonl', BAD_FILE);
    await page.locator('#report-table').waitFor();
    expect(await page.locator('#upload-status').textContent()).toMatch(/Not valid: 3 errors/);
    const rows = await page
      .locator('#report-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '').slice(0, 2)),
      );
    expect(rows).toEqual([
      ['line 2', 'E_JSON'],
      ['line 3', 'E_DUPLICATE_ID'],
      ['line 4', 'E_SCHEMA'],
    ]);
    expect(await page.locator('#start-run').isDisabled()).toBe(true);
    await screenshot(page, 'participant-validation-errors');
  });

  it('downloads the official questions and uploads them as valid testing data', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the questions (.jsonl)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('questions-demo-v1.jsonl');
    const path = join(dataDir, 'questions.jsonl');
    await download.saveAs(path);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(50);
    // Prompts and categories only: the references never reach a participant.
    expect(Object.keys(JSON.parse(lines[0] ?? '{}')).sort()).toEqual(['category', 'id', 'prompt']);

    await page.locator('#testing-data-file').setInputFiles(path);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), { timeout: 20_000 })
      .toMatch(/Valid: 50 records/);
    expect(await page.locator('#start-run').isEnabled()).toBe(true);
  });

  it('runs inference with visible progress and submits the run', async () => {
    await page.getByRole('button', { name: 'Start an inference run' }).click();
    await expect
      .poll(() => page.locator('#run-status').textContent(), { timeout: 30_000 })
      .toMatch(/Completed: 50 of 50 answered/);
    expect(await page.locator('#run-progress').getAttribute('value')).toBe('50');

    await page.getByLabel('Model name on the leaderboard (optional)').fill('your-team/qwen2.5-7b-sft');
    await page.getByRole('button', { name: 'Submit this run' }).click();
    await expect.poll(() => page.locator('#submit-status').textContent()).toMatch(/^Submitted\./);
    await expect.poll(() => page.locator('#quota').textContent()).toBe('4 of 5 submissions left today.');

    // The history follows the judge until the submission is scored.
    const row = page.locator('#submissions-body tr').first();
    await expect.poll(() => row.locator('.pill').textContent(), { timeout: 60_000 }).toBe('completed');
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('your-team/qwen2.5-7b-sft');
    expect(cells[3]).toMatch(/^\d+\.\d%$/);
    expect(Number.parseFloat(cells[3] ?? '')).toBeGreaterThan(0);
    expect(cells[4]).toMatch(/^\d+\.\d–\d+\.\d%$/);
    await screenshot(page, 'participant-journey');

    // Submitting the same run again is a replay, not a second submission.
    await page.getByRole('button', { name: 'Submit this run' }).click();
    await expect.poll(() => page.locator('#submit-status').textContent()).toMatch(/already submitted/);
    await expect.poll(() => page.locator('#quota').textContent()).toBe('4 of 5 submissions left today.');
    expect(await page.locator('#submissions-body tr').count()).toBe(1);
  }, 120_000);

  it('puts the team on the public leaderboard with its score', async () => {
    const board = await browser.newPage();
    await expect
      .poll(
        async () => {
          await board.goto(`${stack.siteUrl}/`);
          await board.locator('table').first().waitFor();
          return board.locator('tr', { hasText: 'Your team' }).count();
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    const text = (await board.locator('tr', { hasText: 'Your team' }).first().textContent()) ?? '';
    expect(text).toContain('your-team/qwen2.5-7b-sft');
    expect(text).toMatch(/\d+\.\d/);
    await screenshot(board, 'leaderboard-with-your-team');
    await board.close();
  }, 60_000);

  it('fits a phone’s width', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.locator('#submissions-body tr').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await screenshot(page, 'participant-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out, and a reload then asks to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.reload();
    await page.getByLabel('E-mail address').waitFor();
    expect(await page.locator('#sign-out').isHidden()).toBe(true);
  });

  it('takes an invited member through choosing their own password at first sign-in', async () => {
    // The organiser's path: `league invite` against the team's pool (locally it prints the temporary password).
    const invited = await runCommand(main, [
      'invite',
      '--email',
      'new.member@example.org',
      '--team',
      'your-team',
      '--user-pool-id',
      stack.pool.userPoolId,
      '--endpoint',
      stack.cognitoEndpoint,
    ]);
    expect(invited.code, invited.stderr).toBe(0);
    const temporary = /temporary password: (\S+)/.exec(invited.stdout)?.[1] ?? '';
    expect(temporary).not.toBe('');

    await page.getByLabel('E-mail address').fill('new.member@example.org');
    await page.getByLabel('Password').fill(temporary);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password', { exact: true }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('Chosen-Password-2026');
    await page.getByLabel('Repeat the new password').fill('Chosen-Password-2027');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toBe('The two passwords differ.');
    await page.getByLabel('Repeat the new password').fill('Chosen-Password-2026');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.locator('#questions-heading').waitFor();
    expect(await page.locator('#signed-in-as').textContent()).toBe('new.member@example.org');
    // The team's history is shared by its members.
    await expect.poll(() => page.locator('#submissions-body tr').count()).toBe(1);
  });

  it('raised no page errors, console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
