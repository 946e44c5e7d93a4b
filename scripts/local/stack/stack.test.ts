import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../league/command-test-support.js';
import { main } from '../../league/main.js';
import { signIn } from '../cognito/index.js';
import { ORGANISER_KEY, type Stack, startStack } from './stack.js';
import { sessionCredentials, signedFetch, until } from './stack-test-support.js';

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

  it('refuses an unsigned Judge API call, as the IAM-authorised API Gateway does', async () => {
    const response = await fetch(`${stack.judgeApiUrl}submission-quota`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('lets no team account assume the SubmitterRole with another team’s ExternalId', async () => {
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: stack.stsEndpoint,
      credentials: { accessKeyId: 'local-lynx', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const attempt = sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::100000000000:role/LlmLeagueSubmitterRole',
        RoleSessionName: 'team-otters',
        ExternalId: 'external-id-otters-local-0123456789',
      }),
    );
    await expect(attempt).rejects.toMatchObject({ name: 'AccessDenied' });
    sts.destroy();
  });

  it('answers a team’s signed session on the Judge API, and refuses it on the organiser’s admin routes', async () => {
    const quota = await stack.judgeApiAs('otters').call('GET', '/submission-quota');
    expect(quota.status).toBe(200);
    expect(quota.body).toMatchObject({ cap: 5 });

    const url = new URL('admin/recompute', stack.leaderboardApiUrl);
    const asTeam = await signedFetch(url, 'POST', await sessionCredentials(stack, 'local-lynx', 'lynx'));
    expect(asTeam.status).toBe(403);
    const asOrganiser = await signedFetch(url, 'POST', ORGANISER_KEY);
    expect(asOrganiser.status).toBe(200);
    const snapshots = await fetch(new URL('snapshots', stack.leaderboardApiUrl));
    expect(snapshots.status).toBe(200);
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
