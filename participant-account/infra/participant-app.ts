import { Annotations, type App } from 'aws-cdk-lib';
import type { LeagueConfig } from '../../shared/config/league-config.js';
import { participantConfigFor } from '../../shared/config/participant-config.js';
import { ParticipantStack } from './participant-stack.js';

/** cdk.json context key for the Judge API's URL (the leaderboard stack's `JudgeApiUrl` output). */
export const JUDGE_API_URL_CONTEXT_KEY = 'league:judgeApiUrl';
/**
 * Used when the context is absent, so that `cdk synth` works offline before the leaderboard stack
 * exists. `.invalid` never resolves (RFC 2606): a stack deployed with it fails loudly at submission.
 */
export const PLACEHOLDER_JUDGE_API_URL = 'https://judge-api.invalid/prod/';

export function participantStackId(teamId: string): string {
  return `LlmLeagueParticipant-${teamId}`;
}

/** One participant stack per team of the league, each in the team's own account and region. */
export function addParticipantStacks(app: App, league: LeagueConfig): ParticipantStack[] {
  const fromContext: unknown = app.node.tryGetContext(JUDGE_API_URL_CONTEXT_KEY);
  if (fromContext !== undefined && typeof fromContext !== 'string') {
    throw new Error(`context ${JUDGE_API_URL_CONTEXT_KEY} must be a URL`);
  }
  const judgeApiUrl = fromContext ?? PLACEHOLDER_JUDGE_API_URL;
  return league.teams.map((team) => {
    const stack = new ParticipantStack(app, participantStackId(team.teamId), {
      config: participantConfigFor(league, team.teamId, judgeApiUrl, undefined),
      description: `LLM League participant account (${league.slug}, team ${team.teamId})`,
    });
    if (fromContext === undefined) {
      Annotations.of(stack).addWarningV2(
        'llm-league:placeholder-judge-api-url',
        `No ${JUDGE_API_URL_CONTEXT_KEY} in the context: submissions go to the placeholder ${PLACEHOLDER_JUDGE_API_URL} and will fail. Deploy with scripts/deploy.sh, or pass -c ${JUDGE_API_URL_CONTEXT_KEY}=<the LlmLeagueLeaderboard stack's JudgeApiUrl output>.`,
      );
    }
    return stack;
  });
}
