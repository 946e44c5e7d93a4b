import type { LeagueConfig, TeamRegistration } from '../../shared/config/league-config.js';
import { Forbidden } from '../../shared/lambda/errors.js';

export const SUBMITTER_ROLE_NAME = 'LlmLeagueSubmitterRole';

/**
 * Who is calling the Judge API. Callers are sessions of the SubmitterRole, and IAM lets each
 * participant account assume it only with the session name `team-{teamId}` of its own registration
 * (a trust-policy condition on `sts:RoleSessionName`, beside the ExternalId). So the session name in
 * the caller's ARN names the team, and IAM, not the caller, vouches for it. Nothing in the request
 * body is ever used to decide the team.
 */
export function teamOfCaller(userArn: string | null | undefined, config: LeagueConfig): TeamRegistration {
  const pattern = new RegExp(
    `^arn:aws[\\w-]*:sts::${config.leaderboard.account}:assumed-role/${SUBMITTER_ROLE_NAME}/team-([a-z0-9-]+)$`,
  );
  const match = pattern.exec(userArn ?? '');
  const teamId = match?.[1];
  const team = teamId ? config.teams.find((t) => t.teamId === teamId) : undefined;
  if (!team) throw new Forbidden('the caller is not a registered team of this league');
  return team;
}
