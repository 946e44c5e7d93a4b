import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addLeaderboardStack } from '../leaderboard-account/infra/leaderboard-app.js';

// The CDK app (cdk.json "app"): the league config named by the `league:config` context, validated,
// decides the stack's account and region; cdk-nag's AWS Solutions checks run on every synth.
const app = new App();
addLeaderboardStack(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
