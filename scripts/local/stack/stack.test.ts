import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../league/command-test-support.js';
import { main } from '../../league/main.js';
import { signIn } from '../cognito/index.js';
import { type Stack, startStack } from './stack.js';

let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'league-stack-'));
  stack = await startStack({ dataDir, gatewayPort: 0, s3Port: 0, cognitoPort: 0 });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 30_000);

interface BoardEntry {
  team: string;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the local stack', () => {
  it('judges the four demo teams through the queue and publishes the board', async () => {
    const board = await until(async () => {
      const response = await fetch(`${stack.siteUrl}/data/leaderboard.json`);
      if (response.status !== 200) return undefined;
      const body = (await response.json()) as { entries: BoardEntry[] };
      return body.entries.length >= 4 ? body : undefined;
    }, 45_000);
    const teams = board.entries.map((entry) => entry.team);
    expect(teams).toEqual(expect.arrayContaining(['lynx', 'otters', 'moths', 'tricksters']));
    expect(teams.indexOf('lynx')).toBeLessThan(teams.indexOf('otters'));
    expect(teams.indexOf('otters')).toBeLessThan(teams.indexOf('moths'));
    expect(teams.at(-1)).toBe('tricksters');
    const flagged = async (teamId: string) => {
      const { body } = await stack.judgeApiAs(teamId).call('GET', '/evaluations/demo-1');
      return (body as { summary?: { flaggedQuestions?: number } }).summary?.flaggedQuestions;
    };
    expect(await flagged('tricksters')).toBeGreaterThan(0);
    expect(await flagged('lynx')).toBe(0);
  }, 50_000);

  it('takes the daily snapshot on demand with `league snapshot --local`, through the Lambda API', async () => {
    const { code, stdout, stderr } = await runCommand(main, ['snapshot', '--local', '--data-dir', dataDir]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^snapshot \d{4}-\d{2}-\d{2}: \d+ boards, published as data\/snapshots\//);
    expect(code).toBe(0);
    const day = /snapshot (\S+):/.exec(stdout)?.[1];
    const published = await fetch(`${stack.siteUrl}/data/snapshots/${day}.json`);
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ day });
  });

  it('refuses `league snapshot --local` when no local stack runs in that directory', async () => {
    const { code, stderr } = await runCommand(main, [
      'snapshot',
      '--local',
      '--data-dir',
      join(dataDir, 'elsewhere'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no local stack is running/);
  });

  it('serves the site', async () => {
    const response = await fetch(`${stack.siteUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html');
  });

  it('answers a participant route with 401 without a token and 200 with one', async () => {
    const anonymous = await fetch(`${stack.participantApiUrl}/submissions`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'Unauthorized' });

    const client = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: stack.cognitoEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tokens = await signIn(client, stack.pool, stack.demoUser.email, stack.demoUser.password);
    client.destroy();
    const signedIn = await fetch(`${stack.participantApiUrl}/submissions`, {
      headers: { authorization: `Bearer ${tokens.idToken}` },
    });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual({
      submissions: [],
      quota: expect.objectContaining({ cap: 5, used: 0, remaining: 5 }),
    });
  });
});
