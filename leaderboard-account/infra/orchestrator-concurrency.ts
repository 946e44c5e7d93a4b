import type { JudgeSettings } from '../judging/judge-settings.js';

/**
 * A judge call takes about 4 s (a verdict is short), so one call slot makes about 15 calls a
 * minute, and one orchestrator invocation with `judge.concurrency` slots makes 15 × concurrency.
 */
export const CALLS_PER_SLOT_PER_MINUTE = 15;
/**
 * At least 2: the SQS event source's maximum concurrency cannot go below 2, and reserved concurrency
 * below it would throttle deliveries, each throttle counting towards the DLQ's maxReceiveCount.
 */
export const MIN_ORCHESTRATOR_CONCURRENCY = 2;
/** More would only queue at the judge, and reserved concurrency comes out of the account's pool. */
export const MAX_ORCHESTRATOR_CONCURRENCY = 20;

/**
 * How many orchestrator invocations may judge at once (its reserved concurrency): as many as the
 * Bedrock quota feeds. Without a configured quota, assume 60 × concurrency requests a minute (4
 * invocations). Each container paces itself to quota ÷ this number (`ORCHESTRATOR_CONCURRENCY`), so
 * together they stay under the quota.
 */
export function orchestratorConcurrency(
  judge: Pick<JudgeSettings, 'concurrency' | 'requestsPerMinute'>,
): number {
  const quota = judge.requestsPerMinute ?? 60 * judge.concurrency;
  const perInvocation = CALLS_PER_SLOT_PER_MINUTE * judge.concurrency;
  const fits = Math.floor(quota / perInvocation);
  return Math.min(MAX_ORCHESTRATOR_CONCURRENCY, Math.max(MIN_ORCHESTRATOR_CONCURRENCY, fits));
}
