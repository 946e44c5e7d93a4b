/**
 * Time to compute the adjusted scores: the length-controlled win rate for `teams` teams × 50
 * questions × 2 orders (200 bootstrap rounds) and style-controlled ratings for `models` models
 * against a reference (100 battles each). Synthetic, seeded data.
 */
import type { AnswerStyle } from '../leaderboard-account/ranking/answer-style.js';
import {
  type LengthGame,
  lengthControlledWinRates,
} from '../leaderboard-account/ranking/length-controlled.js';
import { createRandom } from '../leaderboard-account/ranking/prng.js';
import { type StyledBattle, styleControlledRatings } from '../leaderboard-account/ranking/style-control.js';

export interface AdjustedScoresRow {
  readonly what: string;
  readonly ms: number;
}

const style = (chars: number, k: number): AnswerStyle => ({
  chars,
  headers: k % 3,
  listItems: k % 7,
  bold: k % 5,
  codeBlocks: 0,
});

export async function measureAdjustedScores(
  teams = 500,
  models = 500,
  styleRounds = 0,
): Promise<AdjustedScoresRow[]> {
  const random = createRandom(1);
  const lcTeams = new Map<string, LengthGame[]>();
  const battles: StyledBattle[] = [];
  for (let t = 0; t < Math.max(teams, models); t++) {
    const games: LengthGame[] = [];
    for (let q = 0; q < 50; q++) {
      const candidateChars = 500 + random.nextInt(2000);
      const referenceChars = 500 + random.nextInt(2000);
      for (let order = 0; order < 2; order++) {
        const outcome = random.next() < 0.5 ? 1 : 0;
        games.push({ questionId: `q${q}`, outcome, candidateChars, referenceChars });
        if (t < models)
          battles.push({
            modelA: `m${t}`,
            modelB: 'reference',
            winner: outcome === 1 ? 'model_a' : 'model_b',
            styleA: style(candidateChars, t + q),
            styleB: style(referenceChars, q),
          });
      }
    }
    if (t < teams) lcTeams.set(`t${t}`, games);
  }
  let started = performance.now();
  lengthControlledWinRates(lcTeams, { rounds: 200, seed: 1 });
  const lcMs = performance.now() - started;
  started = performance.now();
  styleControlledRatings(battles, {
    bootstrapRounds: styleRounds,
    seed: 1,
    priorSd: 400,
    anchor: { model: 'reference', rating: 1000 },
  });
  const scMs = performance.now() - started;
  return [
    { what: `length-controlled win rate, ${teams} teams × 50 questions, 200 rounds`, ms: lcMs },
    { what: `style control, ${models} models, ${styleRounds} bootstrap rounds`, ms: scMs },
  ];
}
