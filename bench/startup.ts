/**
 * `npm start`'s start-up and stop, as a user meets them: `node --import tsx scripts/local/stack/start.ts` spawned
 * in a fresh process (`--reset`, a fresh data directory, every port 0), timed from the spawn until
 *  - both web apps (the leaderboard site and the participant app) answer 200 at `/`,
 *  - it prints `ready in` (the demo submissions accepted),
 *  - the board is populated (`/data/leaderboard.json` lists the 4 demo teams),
 * then from SIGINT until it has exited; then a restart on the same directory without `--reset`
 * (state kept), timed until both apps answer, until `ready in`, and from SIGINT until exit.
 *
 * Both web apps are built first with vite's JS API, and that build is timed and reported on its own
 * line: `start.ts` builds a missing app itself, and a cold build inside the start-up times would
 * measure vite, not the League.
 *
 * Run on its own with `npx tsx bench/startup.ts`; `npm run bench` prints the same table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LocalLeagueProcess, ON_FREE_PORTS } from '../scripts/local/stack/local-league-process.js';
import { buildWebApps } from '../scripts/test/build-web-apps.js';

/** `ready in` within this many seconds on every run. */
export const STARTUP_TARGET_S = 60;
/** The demo teams `npm start` submits. */
const DEMO_TEAM_COUNT = 4;
const WAIT_LIMIT_MS = 180_000;
const BOARD_POLL_MS = 100;
const PAGE_POLL_MS = 20;

/** One fresh start and one restart on its data directory; seconds. */
export interface StartupRun {
  /** Fresh start: from spawn until both apps answer 200 at `/`. */
  readonly appsS: number;
  /** Fresh start: from spawn until `ready in` is printed. */
  readonly readyS: number;
  /** What `ready in N s` says (its own clock: from its first line, without tsx's start). */
  readonly reportedReadyS: number;
  /** Fresh start: from spawn until `leaderboard.json` lists the 4 demo teams. */
  readonly boardS: number;
  /** From SIGINT (the board populated, nothing judging) until the process has exited. */
  readonly stopS: number;
  readonly stopExitCode: number | null;
  /** Restart, state kept: from spawn until both apps answer 200 at `/`. */
  readonly restartAppsS: number;
  readonly restartReadyS: number;
  readonly restartStopS: number;
  readonly restartStopExitCode: number | null;
}

export interface StartupResult {
  /** Both web apps' `vite build`, before the runs (not part of any run's times). */
  readonly webBuildS: number;
  readonly runs: readonly StartupRun[];
}

const LIMITS = { printedWithinMs: WAIT_LIMIT_MS, stoppedWithinMs: WAIT_LIMIT_MS };

/** Ctrl-C, and the seconds from the signal until the process had exited. */
async function interrupt(league: LocalLeagueProcess): Promise<{ seconds: number; code: number | null }> {
  const sentAt = league.interrupt();
  const exit = await league.stopped();
  return { seconds: ((league.exitedAt ?? performance.now()) - sentAt) / 1000, code: exit.code };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `probe` every `everyMs` until it holds; fails when `league` has exited or the limit is reached. */
async function poll(
  league: LocalLeagueProcess,
  what: string,
  everyMs: number,
  probe: () => Promise<boolean>,
): Promise<number> {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  for (;;) {
    if (await probe()) return performance.now();
    if (!league.running) throw new Error(`npm start exited before ${what}`);
    if (performance.now() > deadline) throw new Error(`not ${what} within ${WAIT_LIMIT_MS} ms`);
    await sleep(everyMs);
  }
}

/** When `url` first answered 200. */
function answered(league: LocalLeagueProcess, url: string): Promise<number> {
  return poll(league, `${url} answering 200`, PAGE_POLL_MS, async () => {
    const response = await fetch(url).catch(() => undefined);
    await response?.body?.cancel();
    return response?.status === 200;
  });
}

async function boardEntries(siteUrl: string): Promise<number> {
  const response = await fetch(`${siteUrl}/data/leaderboard.json`).catch(() => undefined);
  if (response?.status !== 200) {
    await response?.body?.cancel();
    return 0;
  }
  const board = (await response.json()) as { entries?: unknown[] };
  return board.entries?.length ?? 0;
}

/** When the board first listed the demo teams. */
async function boardPopulated(league: LocalLeagueProcess): Promise<number> {
  const { siteUrl: site } = await league.printedStack();
  return poll(
    league,
    `the board listing the ${DEMO_TEAM_COUNT} demo teams`,
    BOARD_POLL_MS,
    async () => (await boardEntries(site)) >= DEMO_TEAM_COUNT,
  );
}

/** When both apps had answered 200 at `/`. */
async function bothAppsAnswered(league: LocalLeagueProcess): Promise<number> {
  const urls = await league.printedStack();
  const times = await Promise.all([
    answered(league, `${urls.siteUrl}/`),
    answered(league, `${urls.participantAppUrl}/`),
  ]);
  return Math.max(...times);
}

async function measureOnce(): Promise<StartupRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'league-bench-start-'));
  const started: LocalLeagueProcess[] = [];
  try {
    const fresh = new LocalLeagueProcess(['--reset', '--data-dir', dataDir, ...ON_FREE_PORTS], LIMITS);
    started.push(fresh);
    const [appsAt, ready, boardAt] = await Promise.all([
      bothAppsAnswered(fresh),
      fresh.printed(/^ready in (\d+(?:\.\d+)?) s/m),
      boardPopulated(fresh),
    ]);
    // Ctrl-C once the board is populated (the phase timed above).
    const stop = await interrupt(fresh);

    const restart = new LocalLeagueProcess(['--data-dir', dataDir, ...ON_FREE_PORTS], LIMITS);
    started.push(restart);
    const restartAppsAt = await bothAppsAnswered(restart);
    const kept = await boardEntries((await restart.printedStack()).siteUrl);
    if (kept < DEMO_TEAM_COUNT) {
      throw new Error(
        `the restart served ${kept} board entries, not the ${DEMO_TEAM_COUNT} kept from the first start`,
      );
    }
    const restartReady = await restart.printed(/^ready in /m);
    const restartStop = await interrupt(restart);

    return {
      appsS: fresh.secondsSinceSpawn(appsAt),
      readyS: fresh.secondsSinceSpawn(ready.at),
      reportedReadyS: Number(ready.match[1]),
      boardS: fresh.secondsSinceSpawn(boardAt),
      stopS: stop.seconds,
      stopExitCode: stop.code,
      restartAppsS: restart.secondsSinceSpawn(restartAppsAt),
      restartReadyS: restart.secondsSinceSpawn(restartReady.at),
      restartStopS: restartStop.seconds,
      restartStopExitCode: restartStop.code,
    };
  } finally {
    for (const league of started) await league.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Builds both web apps (timed), then `runs` fresh starts, each followed by a restart, one after another. */
export async function measureStartup(options: { runs?: number } = {}): Promise<StartupResult> {
  const runs = options.runs ?? 3;
  const buildStarted = performance.now();
  await buildWebApps();
  const webBuildS = (performance.now() - buildStarted) / 1000;
  const measured: StartupRun[] = [];
  for (let run = 0; run < runs; run++) measured.push(await measureOnce());
  return { webBuildS, runs: measured };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The result as the bench prints it: a heading line and a Markdown table, like `bench/run.ts`'s others. */
export function formatStartup(result: StartupResult): string {
  const { runs } = result;
  const exitCodes = (codes: readonly (number | null)[]) =>
    codes.every((code) => code === 0) ? 'exit 0 every run' : `exit codes ${codes.map(String).join(', ')}`;
  const worstReady = Math.max(...runs.map((run) => run.readyS));
  const readyMet = worstReady < STARTUP_TARGET_S;
  const rows: [string, readonly number[], string][] = [
    ['fresh start (--reset): both apps answer 200 at /', runs.map((run) => run.appsS), ''],
    [
      `fresh start: "ready in" printed (it says ${median(runs.map((run) => run.reportedReadyS)).toFixed(1)} s, median)`,
      runs.map((run) => run.readyS),
      `every run < ${STARTUP_TARGET_S} s: ${readyMet ? 'met' : 'NOT MET'}`,
    ],
    [
      `fresh start: board lists the ${DEMO_TEAM_COUNT} demo teams (polled every ${BOARD_POLL_MS} ms)`,
      runs.map((run) => run.boardS),
      '',
    ],
    [
      'fresh start: SIGINT → exited (after judging)',
      runs.map((run) => run.stopS),
      exitCodes(runs.map((run) => run.stopExitCode)),
    ],
    ['restart (state kept): both apps answer 200 at /', runs.map((run) => run.restartAppsS), ''],
    ['restart: "ready in" printed', runs.map((run) => run.restartReadyS), ''],
    [
      'restart: SIGINT → exited',
      runs.map((run) => run.restartStopS),
      exitCodes(runs.map((run) => run.restartStopExitCode)),
    ],
  ];
  const table = rows.map(
    ([phase, values, note]) =>
      `| ${phase} | ${median(values).toFixed(2)} | ${Math.max(...values).toFixed(2)} | ${note} |`,
  );
  return (
    `\nnpm start (node --import tsx scripts/local/stack/start.ts, every port 0; ${runs.length} runs, each a fresh data dir, then a restart on it; ` +
    's from the spawn; SIGINT to the process group, as Ctrl-C sends it → exit)\n\n' +
    '| phase | median (s) | max (s) | target / note |\n' +
    '| ----- | ---------- | ------- | ------------- |\n' +
    `${table.join('\n')}\n` +
    `\nboth web apps' vite build (vite's JS API in this process, before the runs, in none of the times above; ` +
    `a first \`npm start\` without web/dist runs \`npx vite build\` per app, node start-up on top): ${result.webBuildS.toFixed(1)} s\n`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stderr.write('measuring npm start: 3 fresh starts, each followed by a restart\n');
  process.stdout.write(formatStartup(await measureStartup()));
}
