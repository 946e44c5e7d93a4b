import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag v3 acknowledges each IAM5 finding by its exact id, e.g.
 * `AwsSolutions-IAM5[Resource::<StateBucket1A2B.Arn>/*]`. These build those ids from the same tokens
 * the policy uses, with cdk-nag's own flattening, so an acknowledgement names exactly one wildcard.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

export function wildcardActionFinding(action: string): string {
  return `AwsSolutions-IAM5[Action::${action}]`;
}

/** One acknowledgement per finding, each with its reason, on the construct it concerns. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
