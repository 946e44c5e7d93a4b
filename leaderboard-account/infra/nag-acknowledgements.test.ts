import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it, vi } from 'vitest';
import { builtSite, testStack } from './stack-test-support.js';

// Record the acknowledgements instead of making them, to check each one silences a real finding.
const recorded = vi.hoisted(() => ({ acknowledgements: [] as { path: string; id: string }[] }));
vi.mock('./nag-findings.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./nag-findings.js')>();
  return {
    ...original,
    acknowledge: (scope: IConstruct, id: string) => {
      recorded.acknowledgements.push({ path: scope.node.path, id });
    },
  };
});

describe('cdk-nag acknowledgements', () => {
  it.each([
    ['the stack', () => testStack()],
    ['the stack with the built site', () => testStack({ siteAssetsPath: builtSite() })],
  ])('each acknowledgement in %s names a finding that really fires on that construct', (_name, build) => {
    recorded.acknowledgements.length = 0;
    const stack = build();
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
      );
    const nagAcknowledgements = recorded.acknowledgements.filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(nagAcknowledgements.length).toBeGreaterThan(10);
    const stale = nagAcknowledgements.filter(
      (a) => !findings.some((f) => f.id === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
    );
    expect(stale).toEqual([]);
  });
});
