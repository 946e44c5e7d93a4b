/**
 * The fault-injection suite: `npm start` is killed with SIGKILL (the whole process group, so the
 * local S3, queue and judge die mid-write) at seeded random moments of a team's submission — while
 * the POST is in flight, while its evaluation is judged, as it is recorded, as the site is
 * published — and restarted on the same data directory and ports each time. At the end every
 * accepted submission must be on the board exactly once, every judgment counted once, every stored
 * object readable, and the daily cap must have counted each submission once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardState, DailyCount, EvaluationRecord } from '../../../leaderboard-account/app/records.js';
import { createRandom } from '../../../leaderboard-account/ranking/prng.js';
import { LocalLeagueProcess } from './local-league-process.js';
import { BUCKETS, DEMO_TEAMS, REGION } from './stack.js';
import { type Credentials, freePort, sessionCredentials, signedFetch } from './stack-test-support.js';

const SEED = 0x5eed_0010;
const KILLS = 24;
const PHASES = ['submission', 'judging', 'recording', 'publishing'] as const;
type Phase = (typeof PHASES)[number] | 'idle';
/** The daily cap of the local League (stack.ts), each demo team's demo-1 included. */
const CAP = 5;
const YOUR_TEAM = 'your-team';
const LIMITS = { printedWithinMs: 60_000, stoppedWithinMs: 30_000 };
const DEMO_DIR = fileURLToPath(new URL('../../demo/league/', import.meta.url));
const RESULT_FILES = ['results-strong.jsonl', 'results-average.jsonl', 'results-weak.jsonl'];

interface Submission {
  readonly team: string;
  readonly submissionId: string;
  readonly body: string;
  /** Set once the Judge API answered 202 (queued) or 200 (a replay of it). */
  acknowledged: boolean;
}

interface Life {
  readonly league: LocalLeagueProcess;
  readonly siteUrl: string;
  readonly judgeApiUrl: URL;
  readonly credentials: Map<string, Credentials>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value or `withinMs` passes (then `undefined`). */
async function poll<T>(probe: () => Promise<T | undefined>, withinMs: number, everyMs = 15) {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(everyMs);
  }
  return undefined;
}

const accessKey = (team: string) => (team === YOUR_TEAM ? 'local' : `local-${team}`);
const resultsBucket = (team: string) => (team === YOUR_TEAM ? BUCKETS.results : BUCKETS.demoResults);

describe('fault injection: npm start killed with SIGKILL at seeded moments and restarted', () => {
  let dataDir: string;
  let ports: string[];
  let s3Endpoint: string;
  let s3: S3Client;
  const started: LocalLeagueProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'league-faults-'));
    // The same ports on every restart: the presigned results URLs and the judge's local results
    // host name the S3 port.
    const [site, participant, s3Port, cognito] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    ports = [
      '--port',
      `${site}`,
      '--participant-port',
      `${participant}`,
      '--s3-port',
      `${s3Port}`,
      '--cognito-port',
      `${cognito}`,
    ];
    s3Endpoint = `http://127.0.0.1:${s3Port}`;
    s3 = new S3Client({
      region: REGION,
      endpoint: s3Endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    for (const league of started) await league.kill();
    s3?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  async function startLife(): Promise<Life> {
    const league = new LocalLeagueProcess(['--data-dir', dataDir, ...ports], LIMITS);
    started.push(league);
    const printed = await league.printedStack();
    const judgeApi = /^ {2}Judge API +(\S+)/m.exec(league.stdout)?.[1];
    if (!judgeApi) throw new Error(`no Judge API line${league.output}`);
    const credentials = new Map<string, Credentials>();
    for (const team of [...DEMO_TEAMS.map((t) => t.teamId), YOUR_TEAM]) {
      credentials.set(
        team,
        await sessionCredentials({ stsEndpoint: `${printed.siteUrl}/sts` }, accessKey(team), team),
      );
    }
    return { league, siteUrl: printed.siteUrl, judgeApiUrl: new URL(judgeApi), credentials };
  }

  async function judgeApi(life: Life, team: string, method: string, path: string, body?: string) {
    const credentials = life.credentials.get(team);
    if (!credentials) throw new Error(`no session for ${team}`);
    return signedFetch(
      new URL(path, life.judgeApiUrl),
      method,
      credentials,
      body === undefined ? {} : { body, contentType: 'application/json' },
    );
  }

  /** POSTs a submission; marks it acknowledged on 202/200. Throws if the stack died under it. */
  async function submit(life: Life, submission: Submission): Promise<number> {
    const response = await judgeApi(life, submission.team, 'POST', 'evaluations', submission.body);
    await response.body?.cancel();
    if (response.status === 202 || response.status === 200) submission.acknowledged = true;
    return response.status;
  }

  async function evaluation(life: Life, submission: Submission) {
    const response = await judgeApi(life, submission.team, 'GET', `evaluations/${submission.submissionId}`);
    if (response.status !== 200) {
      await response.body?.cancel();
      return undefined;
    }
    return (await response.json()) as { status: string };
  }

  async function teamPage(siteUrl: string, team: string) {
    const response = await fetch(`${siteUrl}/data/teams/${team}.json`);
    if (response.status !== 200) {
      await response.body?.cancel();
      return undefined;
    }
    return (await response.json()) as { submissions: { submissionId: string }[] };
  }

  async function read(bucket: string, key: string): Promise<string> {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString()) ?? '';
  }

  async function keysOf(bucket: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  it(`loses no submission and counts none twice over ${KILLS} kills`, async () => {
    const random = createRandom(SEED);
    const between = (low: number, high: number) => low + random.nextInt(high - low + 1);

    // The first life: the demo teams seeded and judged, every team's results uploaded.
    const first = await startLife();
    await first.league.printed(/^ready in /m);
    const submissions: Submission[] = [];
    const teams = [...DEMO_TEAMS.map((t) => t.teamId), YOUR_TEAM];
    const perTeam = (team: string) => (team === YOUR_TEAM ? CAP : CAP - 1);
    for (let round = 1; round <= CAP; round += 1) {
      for (const team of teams) {
        if (round > perTeam(team)) continue;
        const submissionId = `fault-${round}`;
        const results = readFileSync(
          join(DEMO_DIR, RESULT_FILES[random.nextInt(RESULT_FILES.length)] ?? ''),
          'utf8',
        );
        const key = `${team}/${submissionId}.jsonl`;
        await s3.send(new PutObjectCommand({ Bucket: resultsBucket(team), Key: key, Body: results }));
        const resultsUrl = await getSignedUrl(
          s3,
          new GetObjectCommand({ Bucket: resultsBucket(team), Key: key }),
          {
            expiresIn: 3600,
          },
        );
        const body = JSON.stringify({
          submissionId,
          modelName: `${team}/fault-model-${round}`,
          questionSetId: 'demo-v1',
          resultsUrl,
          resultsSha256: createHash('sha256').update(results).digest('hex'),
        });
        submissions.push({ team, submissionId, body, acknowledged: false });
      }
    }
    // The demo submissions were acknowledged at the first start (it printed ready).
    for (const team of DEMO_TEAMS) {
      submissions.push({ team: team.teamId, submissionId: 'demo-1', body: '', acknowledged: true });
    }

    const kills: Record<Phase, number> = { submission: 0, judging: 0, recording: 0, publishing: 0, idle: 0 };
    let life = first;
    for (let kill = 0; kill < KILLS; kill += 1) {
      if (kill > 0) life = await startLife();
      // Submissions a killed POST left unacknowledged are sent again, same id and body.
      const next = submissions.find((s) => !s.acknowledged);
      const phase: Phase = next ? (PHASES[kill % PHASES.length] ?? 'idle') : 'idle';
      try {
        if (!next) {
          await sleep(between(0, 2000));
        } else if (phase === 'submission') {
          const posted = submit(life, next).catch(() => undefined);
          await sleep(between(0, 60));
          void posted;
        } else {
          await submit(life, next);
          const target = phase === 'judging' ? ['running', 'completed'] : ['completed'];
          if (phase === 'publishing') {
            await poll(async () => {
              const page = await teamPage(life.siteUrl, next.team);
              return page?.submissions.some((s) => s.submissionId === next.submissionId) ? true : undefined;
            }, 60_000);
            await sleep(between(0, 30));
          } else {
            await poll(async () => {
              const found = await evaluation(life, next);
              return found && target.includes(found.status) ? true : undefined;
            }, 60_000);
            await sleep(phase === 'judging' ? between(0, 500) : between(0, 10));
          }
        }
      } catch {
        // The kill below is the point; a request it cut short is retried in a later life.
      }
      kills[phase] += 1;
      await life.league.kill();
    }

    // The last life: every submission sent until acknowledged, then judged and published.
    life = await startLife();
    for (const submission of submissions.filter((s) => !s.acknowledged)) {
      const status = await submit(life, submission);
      expect(status, `${submission.team}/${submission.submissionId}`).toBeOneOf([200, 202]);
    }
    for (const submission of submissions) {
      const done = await poll(
        async () => {
          const found = await evaluation(life, submission);
          return found && found.status !== 'queued' && found.status !== 'running' ? found.status : undefined;
        },
        120_000,
        200,
      );
      expect(done, `${submission.team}/${submission.submissionId}${life.league.output}`).toBe('completed');
    }
    const pages = new Map<string, { submissions: { submissionId: string }[] }>();
    for (const team of teams) {
      const expected = submissions.filter((s) => s.team === team).length;
      const page = await poll(
        async () => {
          const found = await teamPage(life.siteUrl, team);
          return found && found.submissions.length >= expected ? found : undefined;
        },
        60_000,
        200,
      );
      if (page) pages.set(team, page);
    }

    // Lost: accepted but not on its team page. Double-counted: on it twice, a judgment stored twice,
    // or a cap slot used twice.
    let lost = 0;
    let doubleCounted = 0;
    const questions = (await read(BUCKETS.leaderboardState, 'question-sets/demo-v1.jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; split: string });
    const publicQuestions = questions.filter((q) => q.split === 'public').length;
    const board = BoardState.parse(JSON.parse(await read(BUCKETS.leaderboardState, 'state/board.json')));
    for (const submission of submissions) {
      const where = `${submission.team}/${submission.submissionId}`;
      const onPage = (pages.get(submission.team)?.submissions ?? []).filter(
        (s) => s.submissionId === submission.submissionId,
      ).length;
      if (onPage === 0) lost += 1;
      if (onPage > 1) doubleCounted += onPage - 1;
      const games = board.teams[submission.team]?.submissions[submission.submissionId]?.games ?? [];
      const tasks = new Set(games.map(([questionId, order]) => `${questionId}/${order}`));
      doubleCounted += games.length - tasks.size;
      expect(tasks.size, `${where}: one game per question and order`).toBe(2 * questions.length);
      const record = EvaluationRecord.parse(
        JSON.parse(await read(BUCKETS.leaderboardState, `evaluations/${where}.json`)),
      );
      expect(record.summary?.judgments, `${where}: public judgments counted once`).toBe(2 * publicQuestions);
    }
    for (const team of teams) {
      const page = pages.get(team);
      expect(page, `${team}'s page`).toBeDefined();
      const ids = new Set(submissions.filter((s) => s.team === team).map((s) => s.submissionId));
      expect(
        page?.submissions.every((s) => ids.has(s.submissionId)),
        `${team}: nothing else on its page`,
      ).toBe(true);
    }

    // The cap counted each submission once, and a sixth is refused.
    const day = new Date().toISOString().slice(0, 10);
    for (const team of teams) {
      const counted = DailyCount.parse(
        JSON.parse(await read(BUCKETS.leaderboardState, `caps/${team}/${day}.json`)),
      );
      doubleCounted += counted.submissionIds.length - new Set(counted.submissionIds).size;
      const quota = (await (await judgeApi(life, team, 'GET', 'submission-quota')).json()) as {
        used: number;
      };
      expect(quota.used, `${team}: cap slots used`).toBe(CAP);
      const sixth = JSON.parse(submissions.find((s) => s.team === team && s.body)?.body ?? '{}') as Record<
        string,
        unknown
      >;
      const refused = await judgeApi(
        life,
        team,
        'POST',
        'evaluations',
        JSON.stringify({ ...sixth, submissionId: 'fault-6' }),
      );
      await refused.body?.cancel();
      expect(refused.status, `${team}: a sixth submission`).toBe(429);
    }

    // No object left unreadable or half-written, in any bucket.
    let objects = 0;
    const unreadable: string[] = [];
    for (const bucket of Object.values(BUCKETS)) {
      for (const key of await keysOf(bucket)) {
        objects += 1;
        try {
          const body = await read(bucket, key);
          if (key.endsWith('.json')) JSON.parse(body);
          if (key.endsWith('.jsonl')) for (const line of body.split('\n')) if (line.trim()) JSON.parse(line);
        } catch (error) {
          unreadable.push(`${bucket}/${key}: ${String(error)}`);
        }
      }
    }

    // What the restarts found unfinished and queued again (resume.ts), summed over every life.
    const resumed = started
      .map((league) =>
        Number(/^ {2}(\d+) unfinished evaluation\(s\) queued again$/m.exec(league.stdout)?.[1] ?? 0),
      )
      .reduce((a, b) => a + b, 0);
    const phases = Object.entries(kills)
      .map(([phase, n]) => `${phase} ${n}`)
      .join(', ');
    console.log(
      `fault injection: kills ${KILLS} (${phases}), submissions ${submissions.length}, lost ${lost}, double-counted ${doubleCounted}, evaluations resumed after a kill ${resumed}, objects ${objects}, unreadable ${unreadable.length}`,
    );
    expect(unreadable).toEqual([]);
    expect(lost).toBe(0);
    expect(doubleCounted).toBe(0);
    expect(KILLS).toBeGreaterThanOrEqual(20);
    await life.league.kill();
  }, 900_000);
});
