import type { FormField } from './multipart-form.js';
import {
  accessDenied,
  entityTooLarge,
  entityTooSmall,
  invalidPolicyDocument,
  type S3ErrorReply,
} from './s3-errors.js';

/**
 * The policy of a presigned POST upload, enforced as S3 enforces it (its signature is not
 * checked): the `Policy` form field is base64 JSON `{ expiration, conditions }`. The upload is
 * refused when the policy has expired, when an `eq` / `starts-with` condition does not hold for
 * the form's fields, when the form has a field that no condition covers, and when the file's size
 * is outside `content-length-range`. Pure, so testable alone; `form-upload.ts` applies it.
 */

/** A condition on a form field. `field` is lower-case and without `$`; `text` is how S3 quotes it. */
export interface FieldCondition {
  readonly operator: 'eq' | 'starts-with';
  readonly field: string;
  readonly value: string;
  readonly text: string;
}

/** Inclusive bounds on the file's size in bytes. */
export interface SizeRange {
  readonly min: number;
  readonly max: number;
}

export interface PostPolicy {
  readonly expiration: Date;
  readonly conditions: readonly FieldCondition[];
  readonly size: SizeRange;
}

/** S3's largest POST upload, the bound when the policy has no `content-length-range`. */
export const MAX_POST_SIZE = 5 * 1024 ** 3;

/**
 * Form fields that need no condition: the signature, the policy and the file themselves, the
 * signing fields (SigV4, and SigV2's), and `x-ignore-*`.
 */
const EXEMPT_FIELDS = new Set([
  'policy',
  'file',
  'x-amz-signature',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-security-token',
  'awsaccesskeyid',
  'signature',
]);

/** The policy of a `Policy` form field, or the error S3 gives for a policy it cannot read. */
export function parsePostPolicy(encoded: string): PostPolicy | S3ErrorReply {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return invalidPolicyDocument('Invalid Policy: Invalid JSON.');
  }
  if (!isRecord(document)) return invalidPolicyDocument('Invalid Policy: Invalid JSON.');
  const { expiration, conditions } = document;
  if (expiration === undefined) return invalidPolicyDocument('Invalid Policy: Policy missing expiration.');
  const expires = typeof expiration === 'string' ? new Date(expiration) : undefined;
  if (expires === undefined || Number.isNaN(expires.getTime()))
    return invalidPolicyDocument(`Invalid Policy: Invalid 'expiration' value: '${String(expiration)}'`);
  if (!Array.isArray(conditions)) return invalidPolicyDocument('Invalid Policy: Policy missing conditions.');

  const fieldConditions: FieldCondition[] = [];
  let size: SizeRange = { min: 0, max: MAX_POST_SIZE };
  for (const condition of conditions as unknown[]) {
    if (isRecord(condition)) {
      // `{"key": "value"}`: an exact match.
      for (const [name, value] of Object.entries(condition)) {
        if (typeof value !== 'string') return invalidCondition(condition);
        fieldConditions.push(fieldCondition('eq', name, value));
      }
      continue;
    }
    if (!Array.isArray(condition) || condition.length !== 3) return invalidCondition(condition);
    const [operator, subject, value] = condition as unknown[];
    const op = typeof operator === 'string' ? operator.toLowerCase() : undefined;
    if (op === 'content-length-range') {
      const min = byteCount(subject);
      const max = byteCount(value);
      if (min === undefined || max === undefined) return invalidCondition(condition);
      // Every range applies: the bounds narrow.
      size = { min: Math.max(size.min, min), max: Math.min(size.max, max) };
      continue;
    }
    if (
      (op !== 'eq' && op !== 'starts-with') ||
      typeof subject !== 'string' ||
      !subject.startsWith('$') ||
      typeof value !== 'string'
    )
      return invalidCondition(condition);
    fieldConditions.push(fieldCondition(op, subject.slice(1), value));
  }
  return { expiration: expires, conditions: fieldConditions, size };
}

/**
 * Whether the form's fields (those before the file) satisfy the policy, checked in S3's order:
 * expiry, then each condition in the policy's order, then fields no condition covers. `$bucket`
 * is the bucket posted to. Names compare case-insensitively, values exactly.
 */
export function checkPostPolicy(
  policy: PostPolicy,
  fields: readonly FormField[],
  bucket: string,
  now: Date,
): S3ErrorReply | undefined {
  if (policy.expiration.getTime() <= now.getTime())
    return accessDenied('Invalid according to Policy: Policy expired.');

  const values = new Map<string, string[]>();
  for (const field of fields) {
    const name = field.name.toLowerCase();
    values.set(name, [...(values.get(name) ?? []), field.value]);
  }
  for (const condition of policy.conditions) {
    const submitted = condition.field === 'bucket' ? [bucket] : (values.get(condition.field) ?? []);
    if (submitted.length === 0 || !submitted.every((value) => holds(condition, value)))
      return accessDenied(`Invalid according to Policy: Policy Condition failed: ${condition.text}`);
  }

  const covered = new Set(policy.conditions.map((condition) => condition.field));
  const extra = [...values.keys()].filter(
    (name) => !covered.has(name) && !EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-'),
  );
  if (extra.length > 0)
    return accessDenied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  return undefined;
}

/** EntityTooLarge as soon as the file has more bytes than the range allows. */
export function checkSizeSoFar(size: SizeRange, bytes: number): S3ErrorReply | undefined {
  return bytes > size.max ? entityTooLarge(size.max) : undefined;
}

/** The whole file against the range: EntityTooLarge or EntityTooSmall. */
export function checkFinalSize(size: SizeRange, bytes: number): S3ErrorReply | undefined {
  return checkSizeSoFar(size, bytes) ?? (bytes < size.min ? entityTooSmall(bytes, size.min) : undefined);
}

function holds(condition: FieldCondition, value: string): boolean {
  if (condition.operator === 'eq') return value === condition.value;
  // A Content-Type may list several types; each must start with the prefix.
  if (condition.field === 'content-type')
    return value.split(',').every((type) => type.trim().startsWith(condition.value));
  return value.startsWith(condition.value);
}

function fieldCondition(operator: 'eq' | 'starts-with', name: string, value: string): FieldCondition {
  return {
    operator,
    field: name.toLowerCase(),
    value,
    text: `[${[operator, `$${name}`, value].map((part) => JSON.stringify(part)).join(', ')}]`,
  };
}

function invalidCondition(condition: unknown): S3ErrorReply {
  return invalidPolicyDocument(`Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`);
}

/** A size bound: a non-negative integer, as a JSON number or a string of digits. */
function byteCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
