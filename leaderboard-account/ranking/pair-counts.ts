import type { BattleWinner } from '../../shared/contracts/battle.js';

/**
 * Battles aggregated per unordered model pair: the sufficient statistics of a Bradley-Terry fit.
 * Models are indexed in name order and pairs in (i, j) order, so the result does not depend on the
 * order of the input rows. A tie and a `tie (bothbad)` are both half a win each way.
 */
export interface PairCounts {
  readonly models: readonly string[];
  /** Pair p joins models i[p] < j[p]. */
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly winsI: Float64Array;
  readonly winsJ: Float64Array;
  readonly ties: Float64Array;
}

const MAX_MODELS = 1 << 21;

export class PairCountsBuilder {
  private readonly modelIndex = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly pairIndex = new Map<number, number>();
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private readonly winsLo: number[] = [];
  private readonly winsHi: number[] = [];
  private readonly tieCounts: number[] = [];
  /** Battles of a model against itself: they carry no information and are left out. */
  selfBattles = 0;

  add(modelA: string, modelB: string, winner: BattleWinner, weight = 1): void {
    if (modelA === modelB) {
      this.selfBattles += weight;
      return;
    }
    const a = this.indexOf(modelA);
    const b = this.indexOf(modelB);
    const lo = a < b ? a : b;
    const key = lo * MAX_MODELS + (a < b ? b : a);
    let p = this.pairIndex.get(key);
    if (p === undefined) {
      p = this.lo.length;
      this.pairIndex.set(key, p);
      this.lo.push(lo);
      this.hi.push(a < b ? b : a);
      this.winsLo.push(0);
      this.winsHi.push(0);
      this.tieCounts.push(0);
    }
    if (winner === 'model_a' || winner === 'model_b') {
      const loWon = (winner === 'model_a') === (a === lo);
      if (loWon) this.winsLo[p] = (this.winsLo[p] as number) + weight;
      else this.winsHi[p] = (this.winsHi[p] as number) + weight;
    } else {
      this.tieCounts[p] = (this.tieCounts[p] as number) + weight;
    }
  }

  build(): PairCounts {
    const order = this.names.map((_, k) => k).sort((x, y) => compareNames(this.names[x], this.names[y]));
    const rank = new Int32Array(order.length);
    order.forEach((original, sorted) => {
      rank[original] = sorted;
    });
    const pairs = this.lo.map((_, p) => {
      const x = rank[this.lo[p] as number] as number;
      const y = rank[this.hi[p] as number] as number;
      return x < y
        ? {
            i: x,
            j: y,
            wi: this.winsLo[p] as number,
            wj: this.winsHi[p] as number,
            t: this.tieCounts[p] as number,
          }
        : {
            i: y,
            j: x,
            wi: this.winsHi[p] as number,
            wj: this.winsLo[p] as number,
            t: this.tieCounts[p] as number,
          };
    });
    pairs.sort((x, y) => x.i - y.i || x.j - y.j);
    return {
      models: order.map((k) => this.names[k] as string),
      i: Int32Array.from(pairs, (q) => q.i),
      j: Int32Array.from(pairs, (q) => q.j),
      winsI: Float64Array.from(pairs, (q) => q.wi),
      winsJ: Float64Array.from(pairs, (q) => q.wj),
      ties: Float64Array.from(pairs, (q) => q.t),
    };
  }

  private indexOf(model: string): number {
    let index = this.modelIndex.get(model);
    if (index === undefined) {
      index = this.names.length;
      if (index >= MAX_MODELS) throw new RangeError(`more than ${MAX_MODELS} models`);
      this.modelIndex.set(model, index);
      this.names.push(model);
    }
    return index;
  }
}

/** Code-unit order: the same on every machine and locale. */
export function compareNames(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

/** Battles per model (ties included). */
export function battlesPerModel(counts: PairCounts): Float64Array {
  const out = new Float64Array(counts.models.length);
  for (let p = 0; p < counts.i.length; p++) {
    const n = (counts.winsI[p] as number) + (counts.winsJ[p] as number) + (counts.ties[p] as number);
    const i = counts.i[p] as number;
    const j = counts.j[p] as number;
    out[i] = (out[i] as number) + n;
    out[j] = (out[j] as number) + n;
  }
  return out;
}

/** The counts restricted to the models in `keep` (indices into counts.models, any order). */
export function restrictCounts(counts: PairCounts, keep: readonly number[]): PairCounts {
  const sorted = [...keep].sort((a, b) => a - b);
  const newIndex = new Int32Array(counts.models.length).fill(-1);
  sorted.forEach((old, k) => {
    newIndex[old] = k;
  });
  const ps: number[] = [];
  for (let p = 0; p < counts.i.length; p++) {
    if ((newIndex[counts.i[p] as number] as number) >= 0 && (newIndex[counts.j[p] as number] as number) >= 0)
      ps.push(p);
  }
  return {
    models: sorted.map((k) => counts.models[k] as string),
    i: Int32Array.from(ps, (p) => newIndex[counts.i[p] as number] as number),
    j: Int32Array.from(ps, (p) => newIndex[counts.j[p] as number] as number),
    winsI: Float64Array.from(ps, (p) => counts.winsI[p] as number),
    winsJ: Float64Array.from(ps, (p) => counts.winsJ[p] as number),
    ties: Float64Array.from(ps, (p) => counts.ties[p] as number),
  };
}

/**
 * The same counts with the models relabelled in ascending order of how many distinct opponents
 * they have (ties keep their order); pairs keep their order and orientation, so a seeded bootstrap
 * draws the same resamples. With the best-connected models last, the Hessian's envelope (the span
 * of each row from its first non-zero to the diagonal) is as small as it gets for the League's
 * graphs: every team against the reference is an arrow whose Cholesky factor costs O(n), where the
 * reference sorted among the teams would cost O(n³).
 */
export function hubsLast(counts: PairCounts): PairCounts {
  const n = counts.models.length;
  const degree = new Int32Array(n);
  for (let p = 0; p < counts.i.length; p++) {
    degree[counts.i[p] as number] = (degree[counts.i[p] as number] as number) + 1;
    degree[counts.j[p] as number] = (degree[counts.j[p] as number] as number) + 1;
  }
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => (degree[a] as number) - (degree[b] as number) || a - b,
  );
  if (order.every((old, k) => old === k)) return counts;
  const newIndex = new Int32Array(n);
  order.forEach((old, k) => {
    newIndex[old] = k;
  });
  return {
    models: order.map((k) => counts.models[k] as string),
    i: Int32Array.from(counts.i, (old) => newIndex[old] as number),
    j: Int32Array.from(counts.j, (old) => newIndex[old] as number),
    winsI: counts.winsI,
    winsJ: counts.winsJ,
    ties: counts.ties,
  };
}
