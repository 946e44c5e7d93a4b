import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it, vi } from 'vitest';
import { builtSite, testParticipantConfig, testParticipantStack } from './stack-test-support.js';

// Record the acknowledgements instead of making them, to check each one silences a real finding.
const recorded = vi.hoisted(() => ({ acknowledgements: [] as { path: string; id: string }[] }));
vi.mock('../../leaderboard-account/infra/nag-findings.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../leaderboard-account/infra/nag-findings.js')>();
  return {
    ...original,
    acknowledge: (scope: IConstruct, id: string) => {
      recorded.acknowledgements.push({ path: scope.node.path, id });
    },
  };
});

describe('cdk-nag acknowledgements of the participant stack', () => {
  it.each([
    ['the stack', () => testParticipantStack()],
    ['the stack with the built web app', () => testParticipantStack({ webAssetsPath: builtSite() })],
    [
      'the stack with a Bedrock model behind an inference profile',
      () =>
        testParticipantStack({
          config: testParticipantConfig({ kind: 'bedrock', modelId: 'us.meta.llama3-1-8b-instruct-v1:0' }),
        }),
    ],
  ])('each acknowledgement in %s names a finding that really fires on that construct', (_name, build) => {
    recorded.acknowledgements.length = 0;
    const stack = build();
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
      );
    const nagAcknowledgements = recorded.acknowledgements.filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(nagAcknowledgements.length).toBeGreaterThan(15);
    const stale = nagAcknowledgements.filter(
      (a) => !findings.some((f) => f.id === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
    );
    expect(stale).toEqual([]);
  });
});
