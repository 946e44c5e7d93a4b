import * as z from 'zod';

/**
 * The app's run-time settings, `config.json` beside `index.html`: written by the participant stack
 * at deploy (see participant-stack.ts) and served by the local stack's gateway.
 */
export const AppConfig = z.object({
  teamId: z.string().min(1),
  teamDisplayName: z.string().min(1),
  region: z.string().min(1),
  userPoolId: z.string().min(1),
  userPoolClientId: z.string().min(1),
  /** The Participant API's base URL (its stage), absolute or relative to the app. */
  apiUrl: z.string().min(1),
  /** Cognito's user pool API; default `https://cognito-idp.{region}.amazonaws.com` (the local stack sets its own). */
  cognitoEndpoint: z.url().optional(),
  /** The public leaderboard, linked from the header. */
  leaderboardUrl: z.url().optional(),
});
export type AppConfig = z.infer<typeof AppConfig>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses `config.json`, saying which field is wrong. */
export function parseAppConfig(raw: unknown): AppConfig {
  const parsed = AppConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new ConfigError(`config.json is not valid: ${problems.join('; ')}`);
}

export function cognitoEndpoint(config: AppConfig): string {
  return config.cognitoEndpoint ?? `https://cognito-idp.${config.region}.amazonaws.com`;
}

/** A path of the Participant API, resolved against `apiUrl` (which may be relative to the page). */
export function apiEndpoint(config: AppConfig, path: string, base: string): string {
  const root = new URL(config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`, base);
  return new URL(path.replace(/^\//, ''), root).toString();
}
