/**
 * Agreement between two judges: Cohen's kappa, κ = (pₒ − pₑ) / (1 − pₑ), over the items both
 * judged, where pₒ is the share of items they put in the same category and pₑ the share expected by
 * chance from each judge's own category frequencies. For pairwise judging the categories are the
 * candidate's outcome after orienting each verdict by its order (win / tie / loss; a strong
 * preference counts as its weak one); `weightedKappa` uses the five oriented labels (−2…+2) with
 * quadratic weights, so a near miss counts more than a flip. Hand-written: it is a few lines and
 * the textbook definition, with no dependency worth taking.
 */

export interface Agreement {
  /** Items both judges rated. */
  readonly n: number;
  /** Share of those items given the same category. */
  readonly observed: number;
  /** Null when undefined: fewer than one item, or chance agreement is 1 (both always said the same one thing). */
  readonly kappa: number | null;
}

/** Cohen's kappa of two raters' categories for the same items (equal-length arrays, item by item). */
export function cohensKappa<C>(a: readonly C[], b: readonly C[]): Agreement {
  if (a.length !== b.length)
    throw new RangeError(`rater arrays differ in length: ${a.length} vs ${b.length}`);
  const n = a.length;
  if (n === 0) return { n, observed: 0, kappa: null };
  const countA = new Map<C, number>();
  const countB = new Map<C, number>();
  let same = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as C;
    const y = b[i] as C;
    if (x === y) same += 1;
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
  }
  const observed = same / n;
  let chance = 0;
  for (const [category, k] of countA) chance += (k / n) * ((countB.get(category) ?? 0) / n);
  if (chance >= 1 - 1e-12) return { n, observed, kappa: null };
  return { n, observed, kappa: (observed - chance) / (1 - chance) };
}

/**
 * Quadratically weighted kappa of two raters' ordinal scores (numbers on one scale): 1 − Σ wᵢⱼ oᵢⱼ /
 * Σ wᵢⱼ eᵢⱼ with wᵢⱼ = (i − j)², computed from the pairs directly. Null when undefined.
 */
export function weightedKappa(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length)
    throw new RangeError(`rater arrays differ in length: ${a.length} vs ${b.length}`);
  const n = a.length;
  if (n === 0) return null;
  let observed = 0;
  for (let i = 0; i < n; i++) observed += ((a[i] as number) - (b[i] as number)) ** 2;
  let expected = 0;
  for (const x of a) for (const y of b) expected += (x - y) ** 2;
  expected /= n;
  if (expected === 0) return null;
  return 1 - observed / expected;
}
