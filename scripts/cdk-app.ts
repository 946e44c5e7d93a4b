import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  addLeaderboardStack,
  leagueConfigFromContext,
} from '../leaderboard-account/infra/leaderboard-app.js';
import { addParticipantStacks } from '../participant-account/infra/participant-app.js';

// The CDK app (cdk.json "app"): the league config named by the `league:config` context, validated,
// decides every stack's account and region: the leaderboard stack, and one participant stack per
// team (its Judge API URL from the `league:judgeApiUrl` context). cdk-nag's AWS Solutions checks
// run on every synth.
const app = new App();
const config = leagueConfigFromContext(app);
addLeaderboardStack(app, config);
addParticipantStacks(app, config);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
