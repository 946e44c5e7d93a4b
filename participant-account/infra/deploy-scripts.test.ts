import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../shared/infra/league-function.js';

const DEPLOY = join(REPO_ROOT, 'scripts/deploy.sh');
const SETUP = join(REPO_ROOT, 'scripts/setup-cross-account.sh');

/** The example league's accounts: the leaderboard in 111111111111, two teams in their own accounts. */
function leagueConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'llm-league-scripts-')), 'league.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      leaderboard: { account: '111111111111', region: 'us-east-1' },
      questionSetId: 'demo-v1',
      teams: [
        { teamId: 'falcons', account: '222222222222', region: 'us-east-1' },
        { teamId: 'night-owls', account: '333333333333', region: 'eu-west-1' },
      ],
    }),
  );
  return file;
}

/** Runs a script in dry-run mode from another directory; returns the commands it would run. */
function dryRun(script: string, args: string[], env: Record<string, string> = {}) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('LEAGUE_')),
  );
  const result = spawnSync('bash', [script, '--dry-run', ...args], {
    cwd: tmpdir(),
    env: { ...inherited, ...env },
    encoding: 'utf8',
  });
  const commands = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('+ '))
    .map((line) => line.slice(2));
  return { status: result.status, stderr: result.stderr, commands };
}

describe('the deployment scripts', () => {
  it.each([DEPLOY, SETUP])('%s parses (bash -n) and prints its usage', (script) => {
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const help = spawnSync('bash', [script, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: scripts\/.*--config FILE.*--dry-run/s);
  });

  it('deploys the leaderboard, reads its Judge API URL, then deploys each team with it, in that order', () => {
    const config = leagueConfigFile();
    const { status, commands } = dryRun(DEPLOY, ['--config', config, '--', '--require-approval', 'never'], {
      LEAGUE_LEADERBOARD_PROFILE: 'organiser',
      LEAGUE_TEAM_PROFILE_NIGHT_OWLS: 'owls-admin',
    });
    expect(status).toBe(0);
    const judgeApiUrl = '\\<JudgeApiUrl\\ of\\ LlmLeagueLeaderboard\\ in\\ 111111111111\\>';
    expect(commands).toEqual([
      `npx cdk deploy LlmLeagueLeaderboard -c league:config=${config} --profile organiser --require-approval never`,
      "aws cloudformation describe-stacks --stack-name LlmLeagueLeaderboard --region us-east-1 --profile organiser --query Stacks\\[0\\].Outputs\\[\\?OutputKey==\\'JudgeApiUrl\\'\\].OutputValue --output text",
      `npx cdk deploy LlmLeagueParticipant-falcons -c league:config=${config} -c league:judgeApiUrl=${judgeApiUrl} --require-approval never`,
      `npx cdk deploy LlmLeagueParticipant-night-owls -c league:config=${config} -c league:judgeApiUrl=${judgeApiUrl} --profile owls-admin --require-approval never`,
    ]);
  });

  it('deploys only the teams asked for, after the leaderboard, and refuses a team not in the config', () => {
    const config = leagueConfigFile();
    const { commands } = dryRun(DEPLOY, ['--config', config, '--team', 'night-owls']);
    expect(commands.map((c) => c.split(' ').slice(0, 4).join(' '))).toEqual([
      'npx cdk deploy LlmLeagueLeaderboard',
      'aws cloudformation describe-stacks --stack-name',
      'npx cdk deploy LlmLeagueParticipant-night-owls',
    ]);
    const unknown = dryRun(DEPLOY, ['--config', config, '--team', 'ravens']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('team ravens is not in');
    expect(unknown.commands).toEqual([]);
  });

  it('bootstraps the leaderboard account, then each team account with its own profile and no trust by default', () => {
    const config = leagueConfigFile();
    const { status, commands } = dryRun(
      SETUP,
      ['--config', config, '--team-profile', 'falcons=falcons-admin'],
      {
        LEAGUE_LEADERBOARD_PROFILE: 'organiser',
      },
    );
    expect(status).toBe(0);
    expect(commands).toEqual([
      'npx cdk bootstrap aws://111111111111/us-east-1 --profile organiser',
      'npx cdk bootstrap aws://222222222222/us-east-1 --profile falcons-admin',
      'npx cdk bootstrap aws://333333333333/eu-west-1',
    ]);
  });

  it('makes team accounts trust the leaderboard account only when asked, with an explicit execution policy', () => {
    const config = leagueConfigFile();
    const policy = 'arn:aws:iam::aws:policy/PowerUserAccess';
    const { commands } = dryRun(SETUP, [
      '--config',
      config,
      '--trust-leaderboard',
      '--execution-policy',
      policy,
    ]);
    expect(commands).toEqual([
      'npx cdk bootstrap aws://111111111111/us-east-1',
      `npx cdk bootstrap aws://222222222222/us-east-1 --trust 111111111111 --cloudformation-execution-policies ${policy}`,
      `npx cdk bootstrap aws://333333333333/eu-west-1 --trust 111111111111 --cloudformation-execution-policies ${policy}`,
    ]);
  });

  it('refuses a config with an invalid account id, naming the field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llm-league-scripts-')), 'league.config.json');
    writeFileSync(file, JSON.stringify({ leaderboard: { account: '12345', region: 'us-east-1' } }));
    for (const script of [DEPLOY, SETUP]) {
      const { status, stderr, commands } = dryRun(script, ['--config', file]);
      expect(status).not.toBe(0);
      expect(stderr).toContain('leaderboard.account must be a 12-digit AWS account id');
      expect(commands).toEqual([]);
    }
  });
});
