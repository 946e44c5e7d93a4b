import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeApi } from '../../../participant-account/adapters/judge-api.js';
import { runCommand } from '../../league/command-test-support.js';
import { main } from '../../league/main.js';
import { signIn } from '../cognito/index.js';
import { JUDGE_ROUTES, LEADERBOARD_ROUTES, PARTICIPANT_ROUTES } from './gateway.js';
import { BUCKETS, ORGANISER_KEY, REGION, type Stack, startStack } from './stack.js';
import { sessionCredentials, signedFetch, until } from './stack-test-support.js';

/**
 * The security regression suite: each attack of the hardening pass (a cheating team, a careless
 * user), tried against the running local stack over HTTP as it was tried then, and refused.
 */

let stack: Stack;
let dataDir: string;
let s3: S3Client;
let idToken: string;

/** Reference answers: none of them may ever reach a participant or the public site. */
let references: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'league-security-'));
  stack = await startStack({ dataDir, gatewayPort: 0, participantPort: 0, s3Port: 0, cognitoPort: 0 });
  s3 = new S3Client({
    region: REGION,
    endpoint: stack.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const questionSet = await read(BUCKETS.leaderboardState, 'question-sets/demo-v1.jsonl');
  references = (questionSet ?? '')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { reference: string }).reference);
  const cognito = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: stack.cognitoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  idToken = (await signIn(cognito, stack.pool, stack.demoUser.email, stack.demoUser.password)).idToken;
  cognito.destroy();
  await stack.seeded;
  // Every demo team judged and on the board before the attacks start.
  await until(async () => {
    const board = await fetch(`${stack.siteUrl}/data/leaderboard.json`);
    if (board.status !== 200) return undefined;
    return ((await board.json()) as { entries: unknown[] }).entries.length >= 4 ? true : undefined;
  }, 45_000);
}, 90_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 30_000);

async function read(bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToString();
  } catch {
    return undefined;
  }
}

/** Every object of a bucket, key → body. */
async function bucketContents(bucket: string): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const object of listed.Contents ?? []) {
    if (object.Key) contents.set(object.Key, (await read(bucket, object.Key)) ?? '');
  }
  return contents;
}

/** A GET with the path sent exactly as written (fetch would normalise `..` away first). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}) {
  const url = new URL(base);
  return new Promise<{ status: number; body: string; contentType: string }>((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body,
            contentType: String(response.headers['content-type'] ?? ''),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** A team account's Judge API client: AssumeRole of the SubmitterRole, then SigV4 on every call. */
function judgeApiAs(teamId: string): JudgeApi {
  return stack.judgeApiAs(teamId);
}

/** A signed Judge API request as a team's session, with the headers and body given as they are. */
async function signedJudgeRequest(
  teamId: string,
  method: string,
  path: string,
  options: { body?: string; contentType?: string } = {},
) {
  const credentials = await sessionCredentials(stack, `local-${teamId}`, teamId);
  return signedFetch(new URL(path, stack.judgeApiUrl), method, credentials, options);
}

/** Uploads results for a demo team and returns the evaluation request its account would send. */
async function evaluationRequest(teamId: string, submissionId: string, modelName: string) {
  const body = (await read(BUCKETS.demoResults, 'lynx/demo-1.jsonl')) ?? '';
  const key = `${teamId}/${submissionId}.jsonl`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKETS.demoResults, Key: key, Body: body }));
  return {
    submissionId,
    modelName,
    questionSetId: 'demo-v1',
    resultsUrl: await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKETS.demoResults, Key: key }), {
      expiresIn: 600,
    }),
    resultsSha256: createHash('sha256').update(body).digest('hex'),
  };
}

async function organiser(method: string, path: string, body?: unknown) {
  const response = await signedFetch(
    new URL(path, stack.leaderboardApiUrl),
    method,
    ORGANISER_KEY,
    body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `..` and `/` as an attacker writes them in a URL: literal, encoded either case, double-encoded. */
const DOTS = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e'];
const SLASHES = ['/', '%2f', '%2F', '%252f', '%252F', '\\', '%5c', '%5C', '%255c'];

describe('the public site port', () => {
  it('serves nothing from outside the published data, however the path is encoded', async () => {
    const targets = [
      `${BUCKETS.leaderboardState}/question-sets/demo-v1.jsonl`,
      `${BUCKETS.leaderboardState}/state/board.json`,
      `${BUCKETS.leaderboardState}/evaluations/lynx/demo-1.json`,
    ];
    let tried = 0;
    for (const dots of DOTS) {
      for (const slash of SLASHES) {
        for (const target of targets) {
          for (const depth of [2, 3]) {
            const climb = Array.from({ length: depth }, () => `${dots}${slash}`).join('');
            const path = `/data/${climb}${target.replaceAll('/', slash)}`;
            const response = await rawGet(stack.siteUrl, path);
            tried += 1;
            for (const reference of references) expect(response.body, path).not.toContain(reference);
            expect(response.body, path).not.toContain('"resultsUrl"');
            expect(response.body, path).not.toContain('"games"');
            // Refused, or (a path the URL parser had already normalised) the app's own page.
            if (response.status === 200) expect(response.contentType, path).toMatch(/^text\/html/);
          }
        }
      }
    }
    expect(tried).toBe(DOTS.length * SLASHES.length * 6);
  }, 60_000);

  it('answers an encoded traversal under /data/ with 400 naming the reason', async () => {
    const response = await rawGet(
      stack.siteUrl,
      `/data/..%2F..%2F${BUCKETS.leaderboardState}/state/board.json`,
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: 'Invalid',
      message: expect.stringMatching(/".."/),
    });
    const control = await rawGet(stack.siteUrl, '/data/leaderboard%00.json');
    expect(control.status).toBe(400);
    const malformed = await rawGet(stack.siteUrl, '/data/%E0%A4%A.json');
    expect(malformed.status).toBe(400);
  });
});

describe('the Judge API path and query parameters', () => {
  const crossTeamIds = [
    '..%2Flynx%2Fdemo-1',
    '..%2flynx%2fdemo-1',
    '%2e%2e%2Flynx%2Fdemo-1',
    '..%252Flynx%252Fdemo-1',
    '..%5Clynx%5Cdemo-1',
    '.%2e%2flynx%2fdemo-1',
    'demo-1%00',
    'demo-1%0A',
    '%E2%80%AEdemo-1',
  ];

  it('never answers GET /evaluations/{id} with another team’s evaluation, however the id is encoded', async () => {
    for (const id of crossTeamIds) {
      const { status, body } = await judgeApiAs('otters').call('GET', `/evaluations/${id}`);
      expect(JSON.stringify(body), id).not.toContain('lynx/llama');
      expect(status, id).toBe(400);
      expect(body, id).toMatchObject({ error: 'Invalid', details: [{ path: 'id' }] });
    }
  });

  it('refuses a traversal in the id of POST /evaluations/{id}/select by its schema', async () => {
    const before = await read(BUCKETS.leaderboardState, 'state/board.json');
    for (const id of crossTeamIds) {
      const { status, body } = await judgeApiAs('otters').call('POST', `/evaluations/${id}/select`);
      expect(status, id).toBe(400);
      expect(body, id).toMatchObject({ error: 'Invalid', details: [{ path: 'id' }] });
    }
    expect(await read(BUCKETS.leaderboardState, 'state/board.json')).toBe(before);
  });

  it('refuses a query parameter a route does not take', async () => {
    const { status, body } = await judgeApiAs('otters').call('GET', '/submission-quota?team=lynx');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'Invalid', message: 'the query string is not valid' });
  });
});

describe('every route of every API', () => {
  it('refuses a traversal in any path parameter and a query parameter it does not take, before any use case runs', async () => {
    const traversal = '..%2Flynx%2Fdemo-1';
    const stray = `x=${encodeURIComponent('../../league-state')}`;
    const team = await sessionCredentials(stack, 'local-otters', 'otters');
    const tried: string[] = [];
    const expect400 = async (label: string, response: Response) => {
      tried.push(label);
      expect(response.status, label).toBe(400);
      expect(await response.json(), label).toMatchObject({ error: 'Invalid' });
    };
    const paths = (resource: string) =>
      resource.includes('{id}')
        ? [resource.replace('{id}', traversal), `${resource.replace('{id}', 'demo-1')}?${stray}`]
        : [`${resource}?${stray}`];
    for (const route of JUDGE_ROUTES) {
      for (const path of paths(route.resource)) {
        const url = new URL(path.slice(1), stack.judgeApiUrl);
        await expect400(`judge ${route.method} ${path}`, await signedFetch(url, route.method, team));
      }
    }
    for (const route of LEADERBOARD_ROUTES) {
      for (const path of paths(route.resource)) {
        const url = new URL(path.slice(1), stack.leaderboardApiUrl);
        const response = route.public
          ? await fetch(url, { method: route.method })
          : await signedFetch(url, route.method, ORGANISER_KEY);
        await expect400(`leaderboard ${route.method} ${path}`, response);
      }
    }
    for (const route of PARTICIPANT_ROUTES) {
      for (const path of paths(route.resource)) {
        const response = await fetch(`${stack.participantApiUrl}${path}`, {
          method: route.method,
          headers: { authorization: `Bearer ${idToken}` },
        });
        await expect400(`participant ${route.method} ${path}`, response);
      }
    }
    expect(tried.length).toBe(
      [...JUDGE_ROUTES, ...LEADERBOARD_ROUTES, ...PARTICIPANT_ROUTES].reduce(
        (n, r) => n + (r.resource.includes('{id}') ? 2 : 1),
        0,
      ),
    );
  }, 30_000);
});

describe('the Participant API path parameters', () => {
  it('refuses a traversal in GET /testing-data/{id} and GET /inference-runs/{id}', async () => {
    for (const route of ['testing-data', 'inference-runs']) {
      for (const id of ['..%2Fruns%2Fx', '%2e%2e%2freports%2fx', '..%252Fx', 'x%00']) {
        const response = await rawGet(stack.participantAppUrl, `/api/${route}/${id}`, {
          authorization: `Bearer ${idToken}`,
        });
        expect(response.status, `${route}/${id}`).toBe(400);
      }
    }
  });
});

describe('selecting a submission', () => {
  it('answers 404 for ids the team has no judged submission for, prototype names included, and stores nothing', async () => {
    const before = await read(BUCKETS.leaderboardState, 'state/board.json');
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'no-such-id']) {
      const { status, body } = await judgeApiAs('lynx').call('POST', `/evaluations/${id}/select`);
      expect(status, id).toBe(404);
      expect(body, id).toMatchObject({ error: 'NotFound' });
    }
    expect(await read(BUCKETS.leaderboardState, 'state/board.json')).toBe(before);
  });
});

describe('names shown on the board', () => {
  it('refuses a model name with a bidi override or a zero-width character with a clear 400', async () => {
    for (const [modelName, hex] of [
      ['moths/\u202eevil-model', 'U+202E'],
      ['moths/tiny\u200bllama', 'U+200B'],
      ['moths/\u2067tiny\u2069', 'U+2067'],
    ] as const) {
      const request = await evaluationRequest('moths', `spoof-${hex.slice(2)}`, modelName);
      const { status, body } = await judgeApiAs('moths').call('POST', '/evaluations', request);
      expect(status, hex).toBe(400);
      expect(body, hex).toMatchObject({
        error: 'Invalid',
        details: [{ path: 'modelName', message: expect.stringContaining(hex) }],
      });
    }
  });

  it('refuses it already at the participant API, before anything is looked up', async () => {
    const response = await fetch(`${stack.participantApiUrl}/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ runId: 'run-1', modelName: 'your-team/\u202eledom' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ details: [{ path: 'modelName' }] });
  });
});

describe('request bodies', () => {
  it('answers a body over the limit with 413 and keeps the connection usable', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(stack.judgeApiUrl);
    const send = (path: string, method: string, body?: Buffer) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const request = http.request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method,
            agent,
            headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
          },
          (response) => {
            response.resume();
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, reused: request.reusedSocket }),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    const first = await send('/data/leaderboard.json', 'GET');
    expect(first.status).toBe(200);
    const tooLarge = await send(`${url.pathname}evaluations`, 'POST', Buffer.alloc(11 * 1024 * 1024, 0x20));
    expect(tooLarge.status).toBe(413);
    const after = await send('/data/leaderboard.json', 'GET');
    expect(after).toEqual({ status: 200, reused: true });
    agent.destroy();
  });

  it('answers a body that is not declared JSON with 415, on both APIs', async () => {
    const request = await evaluationRequest('moths', 'xml-1', 'moths/tinyllama');
    for (const contentType of ['text/xml', 'application/xml', 'text/plain']) {
      const judge = await signedJudgeRequest('moths', 'POST', 'evaluations', {
        body: JSON.stringify(request),
        contentType,
      });
      expect(judge.status, contentType).toBe(415);
      expect(await judge.json()).toMatchObject({ error: 'UnsupportedMediaType' });
    }
    const participant = await fetch(`${stack.participantApiUrl}/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${idToken}`, 'content-type': 'text/xml' },
      body: JSON.stringify({ runId: 'run-1' }),
    });
    expect(participant.status).toBe(415);
    // Nothing was stored for the refused submission.
    expect(await read(BUCKETS.leaderboardState, 'evaluations/moths/xml-1.json')).toBeUndefined();
  });
});

describe('a frozen board', () => {
  it('stays exactly as it was at the freeze, team pages and snapshots included, while the organiser sees everything', async () => {
    expect((await organiser('POST', 'admin/freeze', { value: true })).status).toBe(200);
    const atFreeze = await bucketContents(BUCKETS.site);
    const publicDays = await (await fetch(new URL('snapshots', stack.leaderboardApiUrl))).json();

    // While frozen: a new submission is judged and recorded, the team selects it, a snapshot is taken.
    const request = await evaluationRequest('otters', 'frozen-1', 'otters/secret-finetune');
    expect((await judgeApiAs('otters').call('POST', '/evaluations', request)).status).toBe(202);
    // Recorded in the board state (the organiser's), then given the moment a publish would take.
    await until(async () => {
      const state = await read(BUCKETS.leaderboardState, 'state/board.json');
      return state?.includes('"frozen-1"') ? true : undefined;
    }, 30_000);
    expect((await judgeApiAs('otters').call('POST', '/evaluations/frozen-1/select')).status).toBe(200);
    const snapshot = await runCommand(main, ['snapshot', '--local', '--data-dir', dataDir]);
    expect(snapshot.code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const whileFrozen = await bucketContents(BUCKETS.site);
    expect([...whileFrozen.keys()].sort()).toEqual([...atFreeze.keys()].sort());
    for (const [key, body] of atFreeze) expect(whileFrozen.get(key), key).toBe(body);
    expect(await (await fetch(`${stack.siteUrl}/data/teams/otters.json`)).text()).not.toContain(
      'otters/secret-finetune',
    );
    expect(await (await fetch(new URL('snapshots', stack.leaderboardApiUrl))).json()).toEqual(publicDays);

    // The organiser's view has it all, frozen or not.
    const view = await organiser('GET', 'admin/boards');
    expect(view.body).toMatchObject({ frozen: true });
    expect(JSON.stringify(view.body.teams)).toContain('otters/secret-finetune');

    // Unfrozen: everything is published, the held snapshot too.
    expect((await organiser('POST', 'admin/freeze', { value: false })).status).toBe(200);
    expect(await (await fetch(`${stack.siteUrl}/data/teams/otters.json`)).text()).toContain(
      'otters/secret-finetune',
    );
    const day = /snapshot (\S+):/.exec(snapshot.stdout)?.[1] ?? '';
    expect(
      ((await (await fetch(new URL('snapshots', stack.leaderboardApiUrl))).json()) as { days: string[] })
        .days,
    ).toContain(day);
    expect((await fetch(`${stack.siteUrl}/data/snapshots/${day}.json`)).status).toBe(200);
  }, 60_000);

  it('caps a team’s changes of selection a day, as submissions are capped', async () => {
    let refused: { status: number; body: unknown; headers: Record<string, string> } | undefined;
    let changes = 0;
    for (let k = 0; k < 12 && !refused; k++) {
      const id = k % 2 === 0 ? 'demo-1' : 'frozen-1';
      const response = await judgeApiAs('otters').call('POST', `/evaluations/${id}/select`);
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        changes += 1;
      }
    }
    expect(refused?.body).toMatchObject({ error: 'TooManyRequests' });
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // 10 a day: one was made in the freeze test above.
    expect(changes).toBe(9);
  }, 30_000);
});

describe('the signing identity', () => {
  it('keeps the organiser’s live view from a team session', async () => {
    const asTeam = await signedFetch(
      new URL('admin/boards', stack.leaderboardApiUrl),
      'GET',
      await sessionCredentials(stack, 'local-lynx', 'lynx'),
    );
    expect(asTeam.status).toBe(403);
  });
});
