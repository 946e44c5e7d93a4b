import { type LeagueConfig, parseLeagueConfig } from '../config/league-config.js';
import { ParticipantConfig } from '../config/participant-config.js';

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

let cachedParticipant: ParticipantConfig | undefined;

/**
 * A team's participant config, read once per container. As with the league config, on AWS the
 * literal `process.env.PARTICIPANT_CONFIG_JSON` is replaced at build time (esbuild `define`), so it
 * must be read exactly this way, never through a computed name.
 */
export function participantConfig(): ParticipantConfig {
  if (!cachedParticipant) {
    const text = process.env.PARTICIPANT_CONFIG_JSON;
    if (!text) throw new Error('PARTICIPANT_CONFIG_JSON is not set');
    const parsed = ParticipantConfig.safeParse(JSON.parse(text));
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
      throw new Error(`PARTICIPANT_CONFIG_JSON is not valid:\n${problems.join('\n')}`);
    }
    cachedParticipant = parsed.data;
  }
  return cachedParticipant;
}
