import { describe, expect, it } from 'vitest';
import { Battle } from '../../shared/contracts/battle.js';
import type { Verdict } from '../../shared/contracts/judgment.js';
import {
  candidateScore,
  expandBattles,
  gamesToBattles,
  type PairwiseGame,
  type PairwiseOrder,
  winRate,
} from './win-rate.js';

function game(questionId: string, order: PairwiseOrder, verdict: Verdict): PairwiseGame {
  return { questionId, order, verdict };
}

describe('candidateScore', () => {
  it.each([
    ['candidate-first', 'A>>B', 1],
    ['candidate-first', 'A>B', 1],
    ['candidate-first', 'A=B', 0.5],
    ['candidate-first', 'B>A', 0],
    ['candidate-first', 'B>>A', 0],
    ['reference-first', 'A>>B', 0],
    ['reference-first', 'A>B', 0],
    ['reference-first', 'A=B', 0.5],
    ['reference-first', 'B>A', 1],
    ['reference-first', 'B>>A', 1],
  ] as const)('scores %s %s as %d for the candidate', (order, verdict, expected) => {
    expect(candidateScore(game('q1', order, verdict))).toBe(expected);
  });
});

describe('winRate', () => {
  // q1: the candidate wins in both orders (1, 1) → 1.
  // q2: a tie as A, then a loss as B (0.5, 0) → 0.25, and the two orders disagree.
  // Win rate = (1 + 0.25) / 2 = 0.625; one of two fully judged questions is inconsistent.
  const games = [
    game('q1', 'candidate-first', 'A>B'),
    game('q1', 'reference-first', 'B>>A'),
    game('q2', 'candidate-first', 'A=B'),
    game('q2', 'reference-first', 'A>B'),
  ];

  it('averages game scores per question, then over questions', () => {
    const result = winRate(games, { rounds: 200, seed: 1 });
    expect(result.winRate).toBe(0.625);
    expect(result.nQuestions).toBe(2);
    expect(result.nGames).toBe(4);
    expect(result.perQuestion).toEqual([
      { questionId: 'q1', score: 1, inconsistent: false },
      { questionId: 'q2', score: 0.25, inconsistent: true },
    ]);
  });

  it('reports the share of questions whose two orders disagree', () => {
    expect(winRate(games, { rounds: 0, seed: 1 }).inconsistentRate).toBe(0.5);
  });

  it('counts a strong and a weak win in the two orders as consistent', () => {
    const result = winRate([game('q1', 'candidate-first', 'A>>B'), game('q1', 'reference-first', 'B>A')], {
      rounds: 0,
      seed: 1,
    });
    expect(result.inconsistentRate).toBe(0);
    expect(result.winRate).toBe(1);
  });

  it('counts a win in one order and the same verdict label in the swapped order as inconsistent', () => {
    // 'A>B' both times means the judge preferred whichever answer came first: a position bias.
    const result = winRate([game('q1', 'candidate-first', 'A>B'), game('q1', 'reference-first', 'A>B')], {
      rounds: 0,
      seed: 1,
    });
    expect(result.perQuestion).toEqual([{ questionId: 'q1', score: 0.5, inconsistent: true }]);
    expect(result.inconsistentRate).toBe(1);
  });

  it('scores a question judged in one order only by that game and leaves it out of the inconsistency rate', () => {
    const result = winRate(
      [
        game('q1', 'candidate-first', 'A>B'),
        game('q1', 'reference-first', 'A=B'),
        game('q2', 'reference-first', 'A>>B'),
      ],
      { rounds: 0, seed: 1 },
    );
    // q1 = (1 + 0.5) / 2 = 0.75, q2 = 0 (a loss in the swapped order): (0.75 + 0) / 2.
    expect(result.winRate).toBe(0.375);
    expect(result.inconsistentRate).toBe(1);
    expect(result.perQuestion.map((q) => q.inconsistent)).toEqual([true, false]);
  });

  it('reports an inconsistency rate of 0 when no question was judged in both orders', () => {
    const result = winRate([game('q1', 'candidate-first', 'A>B'), game('q2', 'candidate-first', 'B>A')], {
      rounds: 0,
      seed: 1,
    });
    expect(result.inconsistentRate).toBe(0);
  });

  it('lists questions in code-unit order whatever the input order', () => {
    const result = winRate(
      [
        game('b', 'candidate-first', 'A>B'),
        game('B', 'candidate-first', 'B>A'),
        game('a', 'candidate-first', 'A=B'),
      ],
      { rounds: 0, seed: 1 },
    );
    expect(result.perQuestion.map((q) => q.questionId)).toEqual(['B', 'a', 'b']);
  });

  it('gives the same CI for the same seed, whatever the order of the games', () => {
    const many = Array.from({ length: 20 }, (_, k) =>
      game(`q${k}`, k % 2 === 0 ? 'candidate-first' : 'reference-first', k % 3 === 0 ? 'A>B' : 'B>A'),
    );
    const first = winRate(many, { rounds: 300, seed: 99 });
    expect(winRate([...many].reverse(), { rounds: 300, seed: 99 })).toEqual(first);
    expect(first.ciLow).toBeLessThan(first.winRate);
    expect(first.ciHigh).toBeGreaterThan(first.winRate);
  });

  it('collapses the CI to the win rate when rounds is 0', () => {
    expect(winRate(games, { rounds: 0, seed: 1 })).toMatchObject({
      winRate: 0.625,
      ciLow: 0.625,
      ciHigh: 0.625,
    });
  });

  it('rejects a second game for the same question and order', () => {
    expect(() =>
      winRate([game('q1', 'candidate-first', 'A>B'), game('q1', 'candidate-first', 'B>A')], {
        rounds: 0,
        seed: 1,
      }),
    ).toThrow(/q1 has more than one candidate-first game/);
  });

  it('rejects no games', () => {
    expect(() => winRate([], { rounds: 0, seed: 1 })).toThrow(RangeError);
  });
});

describe('gamesToBattles', () => {
  const options = { candidate: 'team-a/model', reference: 'reference-model' };

  it('keeps model_a and model_b in the positions the judge saw them', () => {
    const battles = gamesToBattles(
      [
        game('q1', 'candidate-first', 'A>B'),
        game('q1', 'reference-first', 'A>B'),
        game('q2', 'reference-first', 'A=B'),
      ],
      options,
    );
    expect(battles).toEqual([
      {
        battle: {
          model_a: 'team-a/model',
          model_b: 'reference-model',
          winner: 'model_a',
          source: 'llm-judge',
          question_id: 'q1',
        },
        weight: 1,
      },
      {
        // The reference sat in A and won: a loss for the candidate.
        battle: {
          model_a: 'reference-model',
          model_b: 'team-a/model',
          winner: 'model_a',
          source: 'llm-judge',
          question_id: 'q1',
        },
        weight: 1,
      },
      {
        battle: {
          model_a: 'reference-model',
          model_b: 'team-a/model',
          winner: 'tie',
          source: 'llm-judge',
          question_id: 'q2',
        },
        weight: 1,
      },
    ]);
  });

  it('weighs strong verdicts 3 by default, as Arena-Hard does', () => {
    const battles = gamesToBattles(
      [
        game('q1', 'candidate-first', 'A>>B'),
        game('q1', 'reference-first', 'B>>A'),
        game('q2', 'candidate-first', 'B>A'),
      ],
      options,
    );
    expect(battles.map((b) => b.weight)).toEqual([3, 3, 1]);
    expect(battles.map((b) => b.battle.winner)).toEqual(['model_a', 'model_b', 'model_b']);
  });

  it('weighs strong verdicts by a configured strongWeight', () => {
    const battles = gamesToBattles(
      [game('q1', 'candidate-first', 'A>>B'), game('q2', 'candidate-first', 'A>B')],
      {
        ...options,
        strongWeight: 1,
      },
    );
    expect(battles.map((b) => b.weight)).toEqual([1, 1]);
  });

  it('records the judge model and source when given, as valid judgearena battles', () => {
    const [first] = gamesToBattles([game('q1', 'candidate-first', 'B>A')], {
      ...options,
      judgeModel: 'judge-v1',
      source: 'league',
    });
    expect(first?.battle).toEqual({
      model_a: 'team-a/model',
      model_b: 'reference-model',
      winner: 'model_b',
      source: 'league',
      question_id: 'q1',
      judge_model: 'judge-v1',
    });
    expect(Battle.parse(first?.battle)).toEqual(first?.battle);
  });

  it('rejects a strongWeight that is not a positive number', () => {
    expect(() => gamesToBattles([], { ...options, strongWeight: 0 })).toThrow(/strongWeight/);
  });

  it('rejects a candidate that is the reference', () => {
    expect(() => gamesToBattles([], { candidate: 'm', reference: 'm' })).toThrow(/same model/);
  });
});

describe('expandBattles', () => {
  it('repeats each battle as many times as its weight', () => {
    const weighted = gamesToBattles(
      [game('q1', 'candidate-first', 'A>>B'), game('q2', 'reference-first', 'A>B')],
      {
        candidate: 'team',
        reference: 'ref',
      },
    );
    const battles = expandBattles(weighted);
    expect(battles).toHaveLength(4);
    expect(battles.map((b) => b.question_id)).toEqual(['q1', 'q1', 'q1', 'q2']);
    expect(battles.slice(0, 3).every((b) => b.winner === 'model_a' && b.model_a === 'team')).toBe(true);
  });

  it('rejects a weight that is not a positive whole number', () => {
    const weighted = gamesToBattles([game('q1', 'candidate-first', 'A>>B')], {
      candidate: 'team',
      reference: 'ref',
      strongWeight: 1.5,
    });
    expect(() => expandBattles(weighted)).toThrow(/battle 0 \(question q1\) has weight 1.5/);
    const battle: Battle = { model_a: 'team', model_b: 'ref', winner: 'tie', source: 'llm-judge' };
    expect(() => expandBattles([{ battle, weight: 0 }])).toThrow(RangeError);
  });
});
