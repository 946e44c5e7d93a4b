import type { Battle, BattleWinner } from '../../shared/contracts/battle.js';
import type { JudgeOrder, Verdict } from '../../shared/contracts/judgment.js';
import { meanWithCi, type QuestionBootstrapOptions } from './question-bootstrap.js';

/** The two pairwise orders: a `single` (rubric) judgment has no opponent. */
export type PairwiseOrder = Exclude<JudgeOrder, 'single'>;

/** One pairwise judgment of a candidate's answer against the reference answer. */
export interface PairwiseGame {
  readonly questionId: string;
  /** `candidate-first`: the candidate is A; `reference-first`: the reference is A. */
  readonly order: PairwiseOrder;
  readonly verdict: Verdict;
}

export type CandidateOutcome = 'win' | 'tie' | 'loss';

/** The game's outcome from the candidate's side, whichever position it sat in. */
export function candidateOutcome(game: PairwiseGame): CandidateOutcome {
  const winner = winnerOf(game.verdict);
  if (winner === 'tie') return 'tie';
  const candidatePosition = game.order === 'candidate-first' ? 'model_a' : 'model_b';
  return winner === candidatePosition ? 'win' : 'loss';
}

/** Win 1, tie 0.5, loss 0; a strong preference counts the same as a weak one. */
export function candidateScore(game: PairwiseGame): number {
  const outcome = candidateOutcome(game);
  return outcome === 'win' ? 1 : outcome === 'tie' ? 0.5 : 0;
}

export interface QuestionWinRate {
  readonly questionId: string;
  /** Mean score of the question's games. */
  readonly score: number;
  /** Judged in both orders with a different outcome for the candidate: a position-biased verdict. */
  readonly inconsistent: boolean;
}

export interface WinRate {
  readonly winRate: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly nQuestions: number;
  readonly nGames: number;
  /** Inconsistent questions ÷ questions judged in both orders; 0 when none was. */
  readonly inconsistentRate: number;
  /** In questionId order (UTF-16 code units), so the result does not depend on the input order. */
  readonly perQuestion: QuestionWinRate[];
}

/**
 * The candidate's win rate against the reference: the mean over questions of each question's mean
 * game score, with a bootstrap CI over questions. Averaging per question first gives every question
 * the same weight whether one or both of its orders were judged.
 */
export function winRate(games: readonly PairwiseGame[], options: QuestionBootstrapOptions): WinRate {
  if (games.length === 0) throw new RangeError('a win rate needs at least one game');
  const byQuestion = new Map<string, Partial<Record<PairwiseOrder, PairwiseGame>>>();
  for (const game of games) {
    // Judgments read from files carry `single` too; only the two pairwise orders belong here.
    if (game.order !== 'candidate-first' && game.order !== 'reference-first') {
      throw new RangeError(
        `question ${game.questionId} has a game in order ${String(game.order)}, not a pairwise order`,
      );
    }
    const orders = byQuestion.get(game.questionId) ?? {};
    if (orders[game.order]) {
      throw new RangeError(`question ${game.questionId} has more than one ${game.order} game`);
    }
    orders[game.order] = game;
    byQuestion.set(game.questionId, orders);
  }

  let bothOrders = 0;
  let inconsistentCount = 0;
  const perQuestion = [...byQuestion.keys()].sort(compareCodeUnits).map((questionId): QuestionWinRate => {
    const orders = byQuestion.get(questionId) ?? {};
    const judged = [orders['candidate-first'], orders['reference-first']].filter(
      (game): game is PairwiseGame => game !== undefined,
    );
    const score = judged.reduce((sum, game) => sum + candidateScore(game), 0) / judged.length;
    const first = orders['candidate-first'];
    const swapped = orders['reference-first'];
    const inconsistent =
      first !== undefined && swapped !== undefined && candidateOutcome(first) !== candidateOutcome(swapped);
    if (first && swapped) bothOrders += 1;
    if (inconsistent) inconsistentCount += 1;
    return { questionId, score, inconsistent };
  });

  const { mean, ciLow, ciHigh } = meanWithCi(
    perQuestion.map((question) => question.score),
    options,
  );
  return {
    winRate: mean,
    ciLow,
    ciHigh,
    nQuestions: perQuestion.length,
    nGames: games.length,
    inconsistentRate: bothOrders === 0 ? 0 : inconsistentCount / bothOrders,
    perQuestion,
  };
}

export interface BattleOptions {
  readonly candidate: string;
  readonly reference: string;
  /** How many battles a strong verdict (A>>B, B>>A) counts as; Arena-Hard's rule is 3. */
  readonly strongWeight?: number;
  readonly judgeModel?: string;
  readonly source?: string;
}

export interface WeightedBattle {
  readonly battle: Battle;
  readonly weight: number;
}

/**
 * Each game as a battle between candidate and reference, with model_a/model_b in the positions the
 * judge saw them, so judgearena and the Bradley-Terry fit can read the League's judgments.
 */
export function gamesToBattles(games: readonly PairwiseGame[], options: BattleOptions): WeightedBattle[] {
  const { candidate, reference, strongWeight = 3, judgeModel, source = 'llm-judge' } = options;
  if (candidate === reference) {
    throw new RangeError(
      `candidate and reference are the same model (${candidate}): the battles say nothing`,
    );
  }
  if (!Number.isFinite(strongWeight) || strongWeight <= 0) {
    throw new RangeError(`strongWeight must be a finite number > 0, got ${strongWeight}`);
  }
  return games.map((game) => {
    const candidateFirst = game.order === 'candidate-first';
    const battle: Battle = {
      model_a: candidateFirst ? candidate : reference,
      model_b: candidateFirst ? reference : candidate,
      winner: winnerOf(game.verdict),
      source,
      question_id: game.questionId,
      ...(judgeModel !== undefined ? { judge_model: judgeModel } : {}),
    };
    const strong = game.verdict === 'A>>B' || game.verdict === 'B>>A';
    return { battle, weight: strong ? strongWeight : 1 };
  });
}

/**
 * Repeats each battle `weight` times: judgearena's battles.jsonl has no weight column, so a weight
 * can only be written as repeated rows. The repeats share one object; treat battles as values.
 */
export function expandBattles(weighted: readonly WeightedBattle[]): Battle[] {
  const battles: Battle[] = [];
  weighted.forEach(({ battle, weight }, index) => {
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new RangeError(
        `battle ${index} (question ${battle.question_id ?? 'unknown'}) has weight ${weight}; ` +
          'only whole weights ≥ 1 can be written as repeated battles',
      );
    }
    for (let k = 0; k < weight; k++) battles.push(battle);
  });
  return battles;
}

function winnerOf(verdict: Verdict): Exclude<BattleWinner, 'tie (bothbad)'> {
  switch (verdict) {
    case 'A>>B':
    case 'A>B':
      return 'model_a';
    case 'A=B':
      return 'tie';
    case 'B>A':
    case 'B>>A':
      return 'model_b';
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
