import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { bedrockModelArns } from '../../leaderboard-account/infra/bedrock-model-arns.js';
import { acknowledge, wildcardResourceFinding } from '../../leaderboard-account/infra/nag-findings.js';
import type { ParticipantConfig, TeamModelSettings } from '../../shared/config/participant-config.js';
import type { LeagueFunction } from '../../shared/infra/league-function.js';

export interface TeamModelPermission {
  readonly action: string;
  readonly resources: string[];
}

/**
 * What calling the team's model needs from IAM: `sagemaker:InvokeEndpoint` on the one endpoint,
 * `bedrock:InvokeModel` (which Converse uses) on the model's ARNs, and nothing for models reached
 * over HTTP (OpenAI-compatible) or replayed from a file.
 */
export function teamModelPermission(
  model: TeamModelSettings,
  team: Pick<ParticipantConfig['team'], 'account' | 'region'>,
  partition: string,
): TeamModelPermission | undefined {
  switch (model.kind) {
    case 'sagemaker':
      // SageMaker stores endpoint names in lower case and matches ARNs that way.
      return {
        action: 'sagemaker:InvokeEndpoint',
        resources: [
          `arn:${partition}:sagemaker:${model.region ?? team.region}:${team.account}:endpoint/${model.endpointName.toLowerCase()}`,
        ],
      };
    case 'bedrock':
      // A foundation model id, a cross-region inference profile (profile + the model in any of its
      // regions), or a full ARN (an imported or provisioned model), as the judge's model is granted.
      return {
        action: 'bedrock:InvokeModel',
        resources: bedrockModelArns({
          modelId: model.modelId,
          region: model.region ?? team.region,
          account: team.account,
          partition,
        }),
      };
    case 'openai':
    case 'replay':
      return undefined;
  }
}

/** Lets a function call the team's model, and nothing else of SageMaker or Bedrock. */
export function grantTeamModel(fn: LeagueFunction, config: ParticipantConfig): void {
  const permission = teamModelPermission(config.model, config.team, Stack.of(fn).partition);
  if (!permission) return;
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [permission.action], resources: permission.resources }),
  );
  for (const arn of permission.resources.filter((a) => a.includes('*'))) {
    acknowledge(
      fn.role,
      wildcardResourceFinding(fn, arn),
      "The team's model is called through a cross-region inference profile, which routes each call to the same foundation model in one of the profile's regions; the wildcard is only the region of that one model's ARN (the profile itself is granted by its exact ARN).",
    );
  }
}
