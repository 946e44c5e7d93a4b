import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApp, testConfig } from '../../leaderboard-account/infra/stack-test-support.js';
import type { LeagueConfigInput } from '../../shared/config/league-config.js';
import {
  type ParticipantConfig,
  participantConfigFor,
  type TeamModelSettings,
} from '../../shared/config/participant-config.js';
import { ParticipantStack, type ParticipantStackProps } from './participant-stack.js';

export { builtSite, testApp } from '../../leaderboard-account/infra/stack-test-support.js';

export const JUDGE_API_URL = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/v1/';
export const SUBMITTER_ROLE_ARN = 'arn:aws:iam::111111111111:role/LlmLeagueSubmitterRole';

/**
 * The Falcons' participant config from the leaderboard tests' two-team league (leaderboard
 * 111111111111, Falcons in 222222222222 / us-east-1), with their model on a SageMaker endpoint
 * unless the test says otherwise.
 */
export function testParticipantConfig(
  model?: TeamModelSettings,
  league: Partial<LeagueConfigInput> = {},
): ParticipantConfig {
  return participantConfigFor(testConfig(league), 'falcons', JUDGE_API_URL, model);
}

export function testParticipantStack(props: Partial<ParticipantStackProps> = {}): ParticipantStack {
  return new ParticipantStack(testApp(), 'Participant', {
    config: testParticipantConfig(),
    webAssetsPath: join(tmpdir(), 'llm-league-no-web-build'),
    ...props,
  });
}
