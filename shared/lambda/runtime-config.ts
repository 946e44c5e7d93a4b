import { type LeagueConfig, parseLeagueConfig } from '../config/league-config.js';

let cached: LeagueConfig | undefined;

/**
 * The league config, read once per container. On AWS it is inlined into the bundle at build time
 * (`LEAGUE_CONFIG_JSON`, esbuild `define`), so it has no size limit; locally it comes from the
 * environment variable of the same name.
 */
export function leagueConfig(): LeagueConfig {
  if (!cached) {
    const text = process.env.LEAGUE_CONFIG_JSON;
    if (!text) throw new Error('LEAGUE_CONFIG_JSON is not set');
    cached = parseLeagueConfig(JSON.parse(text), 'LEAGUE_CONFIG_JSON');
  }
  return cached;
}

/** For tests and the local stack: use this config instead. */
export function setLeagueConfig(config: LeagueConfig | undefined): void {
  cached = config;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
