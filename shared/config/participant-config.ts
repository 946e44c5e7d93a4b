import * as z from 'zod';
import { AccountId, type LeagueConfig, Region, TeamModelSettings } from './league-config.js';

export { TeamModelSettings };

/** What one team's participant stack and its functions need to know. */
export const ParticipantConfig = z.object({
  team: z.object({
    teamId: z.string(),
    displayName: z.string(),
    account: AccountId,
    region: Region,
    externalId: z.string(),
    resultsBucket: z.string(),
  }),
  leaderboard: z.object({
    account: AccountId,
    region: Region,
    /** The Judge API's base URL (the leaderboard stack's `JudgeApiUrl` output). */
    judgeApiUrl: z.url(),
    submitterRoleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@-]+$/),
  }),
  model: TeamModelSettings,
  uploadMaxBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  maxRecords: z.number().int().positive().default(10_000),
  inferenceConcurrency: z.number().int().min(1).max(64).default(4),
  questionSetId: z.string(),
});
export type ParticipantConfig = z.infer<typeof ParticipantConfig>;

export const SUBMITTER_ROLE_NAME = 'LlmLeagueSubmitterRole';

/** One team's participant config from the league config, the Judge API URL and the team's model. */
export function participantConfigFor(
  league: LeagueConfig,
  teamId: string,
  judgeApiUrl: string,
  model: TeamModelSettings | undefined,
): ParticipantConfig {
  const team = league.teams.find((t) => t.teamId === teamId);
  if (!team) throw new Error(`team ${teamId} is not in the league config`);
  return ParticipantConfig.parse({
    team,
    leaderboard: {
      account: league.leaderboard.account,
      region: league.leaderboard.region,
      judgeApiUrl,
      submitterRoleArn: `arn:aws:iam::${league.leaderboard.account}:role/${SUBMITTER_ROLE_NAME}`,
    },
    model: model ?? team.model ?? { kind: 'sagemaker', endpointName: `llm-league-${teamId}` },
    uploadMaxBytes: 20 * 1024 * 1024,
    questionSetId: league.questionSetId,
  });
}
