import { describe, expect, it } from 'vitest';
import { bedrockModelArns } from './bedrock-model-arns.js';

const where = { region: 'us-east-1', account: '111111111111', partition: 'aws' };

describe('bedrockModelArns', () => {
  it('grants an inference profile by its ARN and its foundation model in any region', () => {
    expect(bedrockModelArns({ ...where, modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' })).toEqual([
      'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
  });

  it('recognises the other geographic and the global profile prefixes', () => {
    expect(bedrockModelArns({ ...where, region: 'eu-west-1', modelId: 'eu.amazon.nova-pro-v1:0' })[1]).toBe(
      'arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0',
    );
    expect(
      bedrockModelArns({ ...where, modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' })[0],
    ).toBe(
      'arn:aws:bedrock:us-east-1:111111111111:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
  });

  it('grants a plain model id as the foundation model in the judge region only', () => {
    expect(
      bedrockModelArns({
        ...where,
        region: 'us-west-2',
        modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      }),
    ).toEqual(['arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0']);
  });

  it('grants a full ARN (e.g. an application inference profile) as given', () => {
    const arn = 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/abc123';
    expect(bedrockModelArns({ ...where, modelId: arn })).toEqual([arn]);
  });
});
