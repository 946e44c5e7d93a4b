import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import {
  type LeagueConfig,
  type LeagueConfigInput,
  parseLeagueConfig,
} from '../../shared/config/league-config.js';
import { REPO_ROOT } from '../../shared/infra/league-function.js';
import { LeaderboardStack, type LeaderboardStackProps } from './leaderboard-stack.js';

export const FALCONS_EXTERNAL_ID = 'falcons-external-id-0123456789ab';
export const OTTERS_EXTERNAL_ID = 'otters-external-id-0123456789abc';

/** A two-team league in 111111111111 / us-east-1, judged on Bedrock through a US inference profile. */
export function testConfig(overrides: Partial<LeagueConfigInput> = {}): LeagueConfig {
  return parseLeagueConfig({
    leaderboard: { account: '111111111111', region: 'us-east-1' },
    questionSetId: 'demo-v1',
    teams: [
      {
        teamId: 'falcons',
        displayName: 'Falcons',
        account: '222222222222',
        region: 'us-east-1',
        externalId: FALCONS_EXTERNAL_ID,
        resultsBucket: 'falcons-results',
      },
      {
        teamId: 'otters',
        displayName: 'Otters',
        account: '333333333333',
        region: 'eu-west-1',
        externalId: OTTERS_EXTERNAL_ID,
        resultsBucket: 'otters-results',
      },
    ],
    judge: { modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'us-east-1', concurrency: 8 },
    ...overrides,
  });
}

/** The app as `cdk synth` builds it (cdk.json's feature flags), minus bundling. */
export function testApp(context: Record<string, unknown> = {}): App {
  const cdkJson: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const flags =
    typeof cdkJson === 'object' &&
    cdkJson !== null &&
    'context' in cdkJson &&
    typeof cdkJson.context === 'object'
      ? cdkJson.context
      : {};
  return new App({ context: { ...flags, 'aws:cdk:bundling-stacks': [], ...context } });
}

export function testStack(props: Partial<LeaderboardStackProps> = {}): LeaderboardStack {
  return new LeaderboardStack(testApp(), 'Leaderboard', {
    config: testConfig(),
    siteAssetsPath: join(tmpdir(), 'llm-league-no-site-build'),
    ...props,
  });
}

/** A built site in a temporary folder, so the BucketDeployment path is exercised. */
export function builtSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm-league-site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>LLM League</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("league");');
  return dir;
}
