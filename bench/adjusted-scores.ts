/**
 * Time to compute the adjusted scores beside the raw ones they are shown next to, on the same
 * synthetic, seeded games and with the same bootstrap rounds:
 *  - the length-controlled win rate (win-rate boards) for `teams` teams × 50 questions × 2 orders,
 *    against the raw win rate with its bootstrap over questions;
 *  - style-controlled ratings (arena boards) for `models` models against the reference, 100 battles
 *    each, against the raw Bradley-Terry ratings with their bootstrap.
 * Each team has its own strength and the judge a mild preference for longer answers. Every function
 * is warmed up on a small input first, so a row times the computation, not the compiler.
 */
import type { AnswerStyle } from '../leaderboard-account/ranking/answer-style.js';
import {
  type LengthGame,
  lengthControlledWinRates,
} from '../leaderboard-account/ranking/length-controlled.js';
import { PairCountsBuilder } from '../leaderboard-account/ranking/pair-counts.js';
import { createRandom } from '../leaderboard-account/ranking/prng.js';
import { rateBattles } from '../leaderboard-account/ranking/rate-battles.js';
import { type StyledBattle, styleControlledRatings } from '../leaderboard-account/ranking/style-control.js';
import { type PairwiseGame, winRate } from '../leaderboard-account/ranking/win-rate.js';

export const QUESTIONS = 50;

export interface AdjustedScoresRow {
  /** Teams (length control) or models besides the reference (style control). */
  readonly entries: number;
  /** Games (length control) or battles (style control), all entries together. */
  readonly games: number;
  readonly rounds: number;
  /** The adjusted score with its bootstrap CI. */
  readonly adjustedMs: number;
  /** The raw score with its bootstrap CI, same games and rounds. */
  readonly rawMs: number;
}

interface TeamGame {
  readonly questionId: string;
  readonly order: 'candidate-first' | 'reference-first';
  /** 1: the candidate won. */
  readonly outcome: number;
  readonly candidate: AnswerStyle;
  readonly reference: AnswerStyle;
}

const style = (chars: number, k: number): AnswerStyle => ({
  chars,
  headers: k % 3,
  listItems: k % 7,
  bold: k % 5,
  codeBlocks: 0,
});

/** Every entry's 50 questions × 2 orders, seeded: strength uniform in ±1.5 logits, a length bias. */
function generate(entries: number, seed: number): TeamGame[][] {
  const random = createRandom(seed);
  const all: TeamGame[][] = [];
  for (let t = 0; t < entries; t++) {
    const strength = 3 * random.next() - 1.5;
    const games: TeamGame[] = [];
    for (let q = 0; q < QUESTIONS; q++) {
      const candidateChars = 500 + random.nextInt(2000);
      const referenceChars = 500 + random.nextInt(2000);
      const logit = strength + 0.5 * Math.tanh((candidateChars - referenceChars) / 1000);
      for (const order of ['candidate-first', 'reference-first'] as const) {
        games.push({
          questionId: `q${q}`,
          order,
          outcome: random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0,
          candidate: style(candidateChars, t + q),
          reference: style(referenceChars, q),
        });
      }
    }
    all.push(games);
  }
  return all;
}

const time = (f: () => void): number => {
  const started = performance.now();
  f();
  return performance.now() - started;
};

function lengthControl(data: readonly TeamGame[][], rounds: number): AdjustedScoresRow {
  const teams = new Map<string, LengthGame[]>(
    data.map((games, t) => [
      `t${t}`,
      games.map((g) => ({
        questionId: g.questionId,
        outcome: g.outcome,
        candidateChars: g.candidate.chars,
        referenceChars: g.reference.chars,
      })),
    ]),
  );
  const raw: PairwiseGame[][] = data.map((games) =>
    games.map((g) => ({
      questionId: g.questionId,
      order: g.order,
      // The candidate is A when it went first.
      verdict: (g.outcome === 1) === (g.order === 'candidate-first') ? 'A>B' : 'B>A',
    })),
  );
  const adjustedMs = time(() => lengthControlledWinRates(teams, { rounds, seed: 1 }));
  const rawMs = time(() => {
    for (const games of raw) winRate(games, { rounds, seed: 1 });
  });
  return { entries: data.length, games: data.length * QUESTIONS * 2, rounds, adjustedMs, rawMs };
}

function styleControl(data: readonly TeamGame[][], rounds: number): AdjustedScoresRow {
  const battles: StyledBattle[] = [];
  const counts = new PairCountsBuilder();
  data.forEach((games, t) => {
    for (const g of games) {
      // As the board builds them: model_a is whichever answer the judge saw first.
      const candidateFirst = g.order === 'candidate-first';
      const candidateWon = g.outcome === 1;
      const battle: StyledBattle = {
        modelA: candidateFirst ? `m${t}` : 'reference',
        modelB: candidateFirst ? 'reference' : `m${t}`,
        winner: candidateWon === candidateFirst ? 'model_a' : 'model_b',
        styleA: candidateFirst ? g.candidate : g.reference,
        styleB: candidateFirst ? g.reference : g.candidate,
      };
      battles.push(battle);
      counts.add(battle.modelA, battle.modelB, battle.winner);
    }
  });
  const anchor = { model: 'reference', rating: 1000 };
  const adjustedMs = time(() =>
    styleControlledRatings(battles, { bootstrapRounds: rounds, seed: 1, priorSd: 400, anchor }),
  );
  const rawMs = time(() =>
    rateBattles(counts.build(), { bootstrapRounds: rounds, seed: 1, priorSd: 400, anchor }),
  );
  return { entries: data.length, games: battles.length, rounds, adjustedMs, rawMs };
}

let warmedUp = false;
function warmUp(): void {
  if (warmedUp) return;
  const small = generate(10, 99);
  lengthControl(small, 20);
  styleControl(small, 5);
  warmedUp = true;
}

/** The length-controlled win rate for `teams` teams, `rounds` bootstrap rounds, beside the raw win rate. */
export function measureLengthControlled(teams = 500, rounds = 1000): AdjustedScoresRow {
  warmUp();
  return lengthControl(generate(teams, 1), rounds);
}

/** Style-controlled ratings for `models` models and the reference, beside the raw Bradley-Terry ratings. */
export function measureStyleControlled(models = 100, rounds = 200): AdjustedScoresRow {
  warmUp();
  return styleControl(generate(models, 2), rounds);
}
