import * as z from 'zod';

/**
 * One rubric criterion. Strict, because a misspelt key in a hand-written criteria file (`guidence`)
 * would otherwise be dropped without a word.
 */
export const Criterion = z.strictObject({
  /** Becomes a key of the judge's tool schema, so it keeps to a plain alphabet. */
  name: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
      'must start with a letter and use only letters, digits, _ and - (64 at most)',
    ),
  /** Relative weight; weights are normalised to sum to 1, so 4/3/3 means 0.4/0.3/0.3. */
  weight: z.number(),
  /** Extra instructions for the judge on how to grade this criterion. */
  guidance: z.array(z.string()).optional(),
});
export type Criterion = z.infer<typeof Criterion>;

/** A judge-criteria file: the rubric the judge grades every answer on. */
export const JudgeCriteria = z.object({
  criteria: z.array(Criterion).superRefine((criteria, ctx) => {
    for (const { path, message } of criteriaProblems(criteria))
      ctx.addIssue({ code: 'custom', path, message });
  }),
});
export type JudgeCriteria = z.infer<typeof JudgeCriteria>;

interface CriteriaProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** What is wrong with a list of criteria, each problem naming the criterion it is about. */
export function criteriaProblems(criteria: readonly Criterion[]): CriteriaProblem[] {
  if (criteria.length === 0) return [{ path: [], message: 'at least one criterion is needed' }];
  const problems: CriteriaProblem[] = [];
  const firstIndex = new Map<string, number>();
  criteria.forEach(({ name, weight }, index) => {
    if (name.length === 0)
      problems.push({ path: [index, 'name'], message: `criterion #${index + 1} has no name` });
    if (!Number.isFinite(weight) || weight <= 0) {
      problems.push({
        path: [index, 'weight'],
        message: `criterion "${name}" needs a finite weight greater than 0, got ${weight}`,
      });
    }
    const earlier = firstIndex.get(name);
    if (earlier === undefined) firstIndex.set(name, index);
    else {
      problems.push({
        path: [index, 'name'],
        message: `criterion "${name}" is listed twice (#${earlier + 1} and #${index + 1})`,
      });
    }
  });
  return problems;
}
