/**
 * `npm start` as a user runs it: `node --import tsx scripts/local/stack/start.ts` in its own process, on free
 * ports, read through what it prints, stopped with Ctrl-C.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../cognito/index.js';
import { EndpointsFile, endpointsFilePath } from './endpoints-file.js';
import { LocalLeagueProcess, ON_FREE_PORTS, type PrintedStack } from './local-league-process.js';
import { DEMO_TEAMS } from './stack.js';
import { freePort } from './stack-test-support.js';

// Generous: a loaded 2-core machine running other test files at the same time.
const STARTED_WITHIN_MS = 60_000;
const JUDGED_WITHIN_MS = 60_000;
const STOPPED_WITHIN_MS = 30_000;
const LIMITS = { printedWithinMs: STARTED_WITHIN_MS, stoppedWithinMs: STOPPED_WITHIN_MS };

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, withinMs: number, what: string) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `ECONNREFUSED` when nothing listens on `port` any more, `connected` when something does. */

function connectionOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** `/` of a web app, waited for: a concurrent test run may be rebuilding `web/dist` for a moment. */
async function fetchPage(url: string): Promise<Response> {
  return until(
    async () => {
      const response = await fetch(url);
      if (response.status === 200) return response;
      await response.body?.cancel();
      return undefined;
    },
    20_000,
    `200 from ${url}`,
  );
}

interface Board {
  readonly generatedAt: string;
  readonly entries: readonly { readonly team: string }[];
}

async function fetchBoard(siteUrl: string): Promise<{ status: number; board?: Board }> {
  const response = await fetch(`${siteUrl}/data/leaderboard.json`);
  if (response.status !== 200) {
    await response.body?.cancel();
    return { status: response.status };
  }
  return { status: 200, board: (await response.json()) as Board };
}

describe('npm start (the local League in its own process)', () => {
  let dataDir: string;
  const started: LocalLeagueProcess[] = [];
  const start = (args: readonly string[]) => {
    const league = new LocalLeagueProcess([...args, '--data-dir', dataDir], LIMITS);
    started.push(league);
    return league;
  };
  // What the first run left, for the restart.
  let firstRun: { stack: PrintedStack; board: Board } | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'league-start-'));
  });

  afterAll(async () => {
    for (const league of started) await league.kill();
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('starts on free ports, serves both apps, judges the demo teams, and stops on Ctrl-C, closing every port', async () => {
    const league = start(['--reset', ...ON_FREE_PORTS]);
    const stack = await league.printedStack();

    const site = await fetchPage(`${stack.siteUrl}/`);
    expect(site.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await site.text()).toMatch(/<html/i);
    const app = await fetchPage(`${stack.participantAppUrl}/`);
    expect(app.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await app.text()).toMatch(/<html/i);
    const config = await fetch(`${stack.participantAppUrl}/config.json`);
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await config.json()).toMatchObject({
      userPoolId: stack.userPoolId,
      userPoolClientId: stack.clientId,
      cognitoEndpoint: stack.cognitoEndpoint,
      leaderboardUrl: `${stack.siteUrl}/`,
    });

    await league.printed(/^ready in \d+(\.\d+)? s/m);
    // Where `league snapshot --local` finds the running stack.
    const endpoints = EndpointsFile.parse(JSON.parse(readFileSync(endpointsFilePath(dataDir), 'utf8')));
    expect(endpoints.s3).toBe(`http://127.0.0.1:${stack.s3Port}`);

    const board = await until(
      async () => {
        const { board } = await fetchBoard(stack.siteUrl);
        return board && board.entries.length >= DEMO_TEAMS.length ? board : undefined;
      },
      JUDGED_WITHIN_MS,
      'the four demo teams on the board',
    );
    expect(board.entries.map((entry) => entry.team).sort()).toEqual(
      DEMO_TEAMS.map((team) => team.teamId).sort(),
    );
    firstRun = { stack, board };

    league.interrupt();
    expect(await league.stopped(), league.output).toEqual({ code: 0, signal: null });
    expect(league.stdout).toMatch(/^stopped\.$/m);
    expect(league.stderr).not.toMatch(/failed/i);
    const ports = [
      new URL(stack.siteUrl).port,
      new URL(stack.participantAppUrl).port,
      stack.s3Port,
      stack.cognitoPort,
    ].map(Number);
    expect(await Promise.all(ports.map(connectionOutcome))).toEqual(ports.map(() => 'ECONNREFUSED'));
    expect(existsSync(endpointsFilePath(dataDir))).toBe(false);
  }, 180_000);

  it('keeps its state when started again without --reset: same pool and user, the board served at once', async () => {
    if (!firstRun) throw new Error('needs the first run of this file to have published the board');
    const before = firstRun;
    const league = start(ON_FREE_PORTS);
    const stack = await league.printedStack();

    // The first request, not a poll: the published board is already in the site bucket.
    const { status, board } = await fetchBoard(stack.siteUrl);
    expect(status).toBe(200);
    expect(board?.entries.map((entry) => entry.team)).toEqual(
      before.board.entries.map((entry) => entry.team),
    );
    expect(board?.generatedAt).toBe(before.board.generatedAt);

    expect(stack.userPoolId).toBe(before.stack.userPoolId);
    expect(stack.clientId).toBe(before.stack.clientId);
    const cognito = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: stack.cognitoEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const tokens = await signIn(cognito, stack, stack.demoEmail, stack.demoPassword);
      const submissions = await fetch(`${stack.participantAppUrl}/api/submissions`, {
        headers: { authorization: `Bearer ${tokens.idToken}` },
      });
      expect(submissions.status, league.output).toBe(200);
      await submissions.body?.cancel();
    } finally {
      cognito.destroy();
    }

    await league.printed(/^ready in /m);
    // The Judge API already holds every demo submission: none is queued (or judged) again.
    for (const team of DEMO_TEAMS) {
      expect(league.stdout).toContain(`demo team ${team.teamId}: submission already there`);
    }

    league.interrupt();
    expect(await league.stopped(), league.output).toEqual({ code: 0, signal: null });
    expect(league.stdout).toMatch(/^stopped\.$/m);
    expect(existsSync(endpointsFilePath(dataDir))).toBe(false);
  }, 120_000);

  it('finishes, after a restart, the judging a Ctrl-C interrupted', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'league-start-interrupted-'));
    // The same S3 port both times: the queued evaluations' presigned results URLs name it.
    const s3Port = String(await freePort());
    const ports = ['--port', '0', '--participant-port', '0', '--s3-port', s3Port, '--cognito-port', '0'];
    try {
      const first = new LocalLeagueProcess(['--reset', '--data-dir', elsewhere, ...ports], LIMITS);
      started.push(first);
      // Ctrl-C as soon as the demo submissions are accepted: their judging is under way.
      await first.printed(/^ready in /m);
      first.interrupt();
      expect(await first.stopped(), first.output).toEqual({ code: 0, signal: null });

      const second = new LocalLeagueProcess(['--data-dir', elsewhere, ...ports], LIMITS);
      started.push(second);
      const stack = await second.printedStack();
      // The stop did interrupt judging: the restart queues what was left.
      expect(second.stdout).toMatch(/^ {2}\d+ unfinished evaluation\(s\) queued again$/m);
      const board = await until(
        async () => {
          const { board } = await fetchBoard(stack.siteUrl);
          return board && board.entries.length >= DEMO_TEAMS.length ? board : undefined;
        },
        JUDGED_WITHIN_MS,
        'the four demo teams on the board after the restart',
      );
      expect(board.entries.map((entry) => entry.team).sort()).toEqual(DEMO_TEAMS.map((t) => t.teamId).sort());
      second.interrupt();
      expect(await second.stopped(), second.output).toEqual({ code: 0, signal: null });
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  }, 150_000);

  it('refuses --reset on a directory that is not a local League’s', async () => {
    const notOurs = await mkdtemp(join(tmpdir(), 'league-start-not-ours-'));
    try {
      writeFileSync(join(notOurs, 'thesis.tex'), 'precious');
      const league = new LocalLeagueProcess(['--reset', '--data-dir', notOurs, ...ON_FREE_PORTS], LIMITS);
      started.push(league);
      expect(await league.stopped()).toEqual({ code: 2, signal: null });
      expect(league.stderr).toMatch(/--reset refuses to delete/);
      expect(existsSync(join(notOurs, 'thesis.tex'))).toBe(true);
    } finally {
      await rm(notOurs, { recursive: true, force: true });
    }
  }, 30_000);

  it('exits 2 when a judge is chosen without what it needs', async () => {
    const openai = start(['--judge', 'openai', '--judge-model', 'llama3.1']);
    expect(await openai.stopped()).toEqual({ code: 2, signal: null });
    expect(openai.stderr).toMatch(/--judge openai needs --judge-url/);
    const bedrock = start(['--judge', 'bedrock']);
    expect(await bedrock.stopped()).toEqual({ code: 2, signal: null });
    expect(bedrock.stderr).toMatch(/--judge bedrock needs --judge-model/);
  }, 30_000);

  it('exits 2 with the usage for an unknown flag', async () => {
    const league = start(['--bogus']);
    expect(await league.stopped()).toEqual({ code: 2, signal: null });
    expect(league.stderr).toMatch(/Unknown option '--bogus'/);
    expect(league.stderr).toMatch(/^usage: npm start/m);
  }, 30_000);

  it('exits 2 with a message naming --port when the port is not a number', async () => {
    const league = start(['--port', 'nope']);
    const exit = await league.stopped();
    expect(exit).toEqual({ code: 2, signal: null });
    expect(league.stderr).toMatch(/--port must be a port number.*not nope/);
    expect(league.stderr).toMatch(/^usage: npm start/m);
    expect(league.stdout).not.toMatch(/Leaderboard site/);
  }, 30_000);
});
