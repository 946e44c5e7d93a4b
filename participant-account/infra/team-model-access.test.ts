import { describe, expect, it } from 'vitest';
import { teamModelPermission } from './team-model-access.js';

const team = { account: '222222222222', region: 'eu-west-1' };

describe('teamModelPermission', () => {
  it("names the SageMaker endpoint in the team's region, lower-cased as SageMaker stores it", () => {
    expect(teamModelPermission({ kind: 'sagemaker', endpointName: 'Falcons-Llama-8B' }, team, 'aws')).toEqual(
      {
        action: 'sagemaker:InvokeEndpoint',
        resources: ['arn:aws:sagemaker:eu-west-1:222222222222:endpoint/falcons-llama-8b'],
      },
    );
  });

  it("uses the model's own region when it names one", () => {
    expect(
      teamModelPermission({ kind: 'sagemaker', endpointName: 'falcons', region: 'us-west-2' }, team, 'aws-cn')
        ?.resources,
    ).toEqual(['arn:aws-cn:sagemaker:us-west-2:222222222222:endpoint/falcons']);
  });

  it('grants a Bedrock foundation model by its ARN in the region', () => {
    expect(teamModelPermission({ kind: 'bedrock', modelId: 'amazon.nova-micro-v1:0' }, team, 'aws')).toEqual({
      action: 'bedrock:InvokeModel',
      resources: ['arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0'],
    });
  });

  it('grants an inference profile and its foundation model in any region the profile routes to', () => {
    expect(
      teamModelPermission({ kind: 'bedrock', modelId: 'eu.meta.llama3-2-1b-instruct-v1:0' }, team, 'aws')
        ?.resources,
    ).toEqual([
      'arn:aws:bedrock:eu-west-1:222222222222:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0',
      'arn:aws:bedrock:*::foundation-model/meta.llama3-2-1b-instruct-v1:0',
    ]);
  });

  it('grants an imported model by the ARN given', () => {
    const arn = 'arn:aws:bedrock:eu-west-1:222222222222:imported-model/abcd1234efgh';
    expect(teamModelPermission({ kind: 'bedrock', modelId: arn }, team, 'aws')?.resources).toEqual([arn]);
  });

  it('grants nothing for an OpenAI-compatible server or a replay', () => {
    expect(
      teamModelPermission(
        { kind: 'openai', baseUrl: 'https://models.example.com/v1', modelId: 'm' },
        team,
        'aws',
      ),
    ).toBeUndefined();
    expect(
      teamModelPermission({ kind: 'replay', resultsKey: 'results/demo.jsonl' }, team, 'aws'),
    ).toBeUndefined();
  });
});
