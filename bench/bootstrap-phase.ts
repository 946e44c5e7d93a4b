/**
 * Runs only the bootstrap phase on pre-aggregated pair counts, in a fresh process, so its wall time
 * and peak memory are the bootstrap's alone. With `--naive R` it also times R rounds of the textbook
 * method side by side: resample every battle row with replacement and refit from scratch.
 */
import { readFileSync } from 'node:fs';
import { bootstrapRatings } from '../leaderboard-account/ranking/bootstrap.js';
import { fitStrengths, isWellPosed, toRatings } from '../leaderboard-account/ranking/bradley-terry.js';
import type { PairCounts } from '../leaderboard-account/ranking/pair-counts.js';
import { createRandom } from '../leaderboard-account/ranking/prng.js';

const [countsPath, roundsText, naiveText] = process.argv.slice(2);
const raw = JSON.parse(readFileSync(countsPath as string, 'utf8')) as Record<string, number[]> & {
  models: string[];
};
const counts: PairCounts = {
  models: raw.models,
  i: Int32Array.from(raw.i as number[]),
  j: Int32Array.from(raw.j as number[]),
  winsI: Float64Array.from(raw.winsI as number[]),
  winsJ: Float64Array.from(raw.winsJ as number[]),
  ties: Float64Array.from(raw.ties as number[]),
};
const rounds = Number(roundsText);
const full = fitStrengths(counts);
const started = performance.now();
bootstrapRatings(counts, { rounds, seed: 0, warmStart: full.theta });
const bootstrapMs = performance.now() - started;

let naiveMsPerRound: number | null = null;
const naiveRounds = Number(naiveText ?? 0);
if (naiveRounds > 0) {
  // Expand to rows (pair, outcome), then per round draw N row indices and refit cold.
  const rows: number[] = [];
  for (let p = 0; p < counts.i.length; p++) {
    for (const [k, c] of [counts.winsI[p], counts.winsJ[p], counts.ties[p]].entries()) {
      for (let r = 0; r < (c as number); r++) rows.push(p * 3 + k);
    }
  }
  const random = createRandom(1);
  const drawn: PairCounts = {
    ...counts,
    winsI: new Float64Array(counts.i.length),
    winsJ: new Float64Array(counts.i.length),
    ties: new Float64Array(counts.i.length),
  };
  const naiveStart = performance.now();
  for (let round = 0; round < naiveRounds; round++) {
    drawn.winsI.fill(0);
    drawn.winsJ.fill(0);
    drawn.ties.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[random.nextInt(rows.length)] as number;
      const target = row % 3 === 0 ? drawn.winsI : row % 3 === 1 ? drawn.winsJ : drawn.ties;
      const p = Math.floor(row / 3);
      target[p] = (target[p] as number) + 1;
    }
    if (isWellPosed(drawn)) toRatings(fitStrengths(drawn).theta, drawn.models);
  }
  naiveMsPerRound = (performance.now() - naiveStart) / naiveRounds;
}
process.stdout.write(JSON.stringify({ bootstrapMs, naiveMsPerRound }));
