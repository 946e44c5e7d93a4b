/** Geographic prefixes of Bedrock's system-defined cross-region inference profiles. */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\.(.+)$/;

export interface BedrockModelArnsInput {
  /** A foundation model id, an inference profile id (`us.anthropic…`), or a full ARN. */
  readonly modelId: string;
  /** The region the judge calls Bedrock in (`judge.region`), not necessarily the stack's. */
  readonly region: string;
  readonly account: string;
  readonly partition: string;
}

/**
 * The resources `bedrock:InvokeModel` must name for the judge model. An inference profile routes
 * each call to the foundation model in one of several regions, so the caller needs the profile AND
 * the model in every region the profile may pick (hence `*` for the region, and only there).
 */
export function bedrockModelArns({ modelId, region, account, partition }: BedrockModelArnsInput): string[] {
  if (modelId.startsWith('arn:')) return [modelId];
  const profile = INFERENCE_PROFILE_PREFIX.exec(modelId);
  const foundationModel = profile?.[2];
  if (foundationModel) {
    return [
      `arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`,
      `arn:${partition}:bedrock:*::foundation-model/${foundationModel}`,
    ];
  }
  return [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`];
}
