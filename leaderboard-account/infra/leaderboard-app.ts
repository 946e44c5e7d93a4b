import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { type LeagueConfig, parseLeagueConfig } from '../../shared/config/league-config.js';
import { REPO_ROOT } from '../../shared/infra/league-function.js';
import { LeaderboardStack } from './leaderboard-stack.js';

/** cdk.json context key naming the league config file (relative to the repository root). */
export const CONFIG_CONTEXT_KEY = 'league:config';
export const DEFAULT_CONFIG_FILE = 'league.config.example.json';
export const LEADERBOARD_STACK_ID = 'LlmLeagueLeaderboard';

/** Reads and validates a league config file; every problem is named by its field path. */
export function readLeagueConfigFile(file: string): LeagueConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(REPO_ROOT, file), 'utf8'));
  } catch (error) {
    throw new Error(
      `${file}: cannot read the league config: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseLeagueConfig(raw, file);
}

/** The league config named by the `league:config` context, validated. */
export function leagueConfigFromContext(app: App): LeagueConfig {
  const file: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY) ?? DEFAULT_CONFIG_FILE;
  if (typeof file !== 'string') throw new Error(`context ${CONFIG_CONTEXT_KEY} must be a file name`);
  return readLeagueConfigFile(file);
}

/** The leaderboard account's stack, for the config named by the `league:config` context. */
export function addLeaderboardStack(app: App, config = leagueConfigFromContext(app)): LeaderboardStack {
  return new LeaderboardStack(app, LEADERBOARD_STACK_ID, {
    config,
    description: `LLM League leaderboard account (${config.slug})`,
  });
}
