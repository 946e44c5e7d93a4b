import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { parseJsonl } from '../jsonl/parse-jsonl.js';
import {
  Battle,
  EvaluationRequest,
  PublicQuestion,
  Question,
  RankChange,
  RatingsFile,
  RecordId,
  Snapshot,
  TestingRecord,
  toPublicQuestion,
} from './index.js';

/** The field paths of a failed parse, e.g. `['ratings.0.rating']`. */
function failedPaths(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('Battle (judgearena battles.jsonl)', () => {
  const judgearenaLine =
    '{"model_a": "VLLM/Qwen/Qwen2.5-1.5B-Instruct", "model_b": "gpt-3.5-turbo-0125", "winner": "model_a", "source": "llm-judge", "question_id": "4c6978df", "judge_model": "VLLM/Qwen/Qwen3-8B", "extra": 1}';
  const bothBadLine =
    '{"model_a": "VLLM/Qwen/Qwen2.5-1.5B-Instruct", "model_b": "gpt-3.5-turbo-0125", "winner": "tie (bothbad)", "source": "llm-judge", "question_id": "4c6978df", "judge_model": null}';

  it('parses a judgearena battle line and drops unknown keys', () => {
    const battle = Battle.parse(JSON.parse(judgearenaLine));
    expect(battle).toEqual({
      model_a: 'VLLM/Qwen/Qwen2.5-1.5B-Instruct',
      model_b: 'gpt-3.5-turbo-0125',
      winner: 'model_a',
      source: 'llm-judge',
      question_id: '4c6978df',
      judge_model: 'VLLM/Qwen/Qwen3-8B',
    });
    expect(battle).not.toHaveProperty('extra');
  });

  it('parses a "tie (bothbad)" battle with a null judge model', () => {
    expect(Battle.parse(JSON.parse(bothBadLine))).toMatchObject({
      winner: 'tie (bothbad)',
      judge_model: null,
    });
  });

  it('reads a judgearena battles.jsonl file line by line', async () => {
    const file = new TextEncoder().encode(`${judgearenaLine}\n${bothBadLine}\n`);
    const winners: string[] = [];
    for await (const battle of parseJsonl([file], Battle)) winners.push(battle.winner);
    expect(winners).toEqual(['model_a', 'tie (bothbad)']);
  });

  it('accepts every judgearena winner label', () => {
    for (const winner of ['model_a', 'model_b', 'tie', 'tie (bothbad)']) {
      expect(Battle.safeParse({ model_a: 'a', model_b: 'b', winner }).success, winner).toBe(true);
    }
  });

  it('defaults the source to llm-judge and allows question and judge to be absent', () => {
    expect(Battle.parse({ model_a: 'a', model_b: 'b', winner: 'tie' })).toEqual({
      model_a: 'a',
      model_b: 'b',
      winner: 'tie',
      source: 'llm-judge',
    });
  });

  it('rejects a battle with an unknown winner label', () => {
    expect(failedPaths(Battle.safeParse({ model_a: 'a', model_b: 'b', winner: 'both' }))).toEqual(['winner']);
  });

  it('rejects a battle with an empty model name', () => {
    expect(failedPaths(Battle.safeParse({ model_a: '', model_b: 'b', winner: 'tie' }))).toEqual(['model_a']);
  });
});

describe('RatingsFile (judgearena elo_ratings.json)', () => {
  const judgearenaRatings = {
    arena: 'LMArena-100k',
    model: 'VLLM/Qwen/Qwen2.5-1.5B-Instruct',
    judge_model: 'VLLM/Qwen/Qwen3-8B',
    n_bootstraps: 100,
    seed: 0,
    ratings: [
      {
        model: 'chatgpt-4o-latest',
        rating: 1114.3,
        ci_low: 1105.9,
        ci_high: 1121.8,
        n_battles: 4697,
        source: 'human',
      },
    ],
  };

  it('parses a judgearena ratings file', () => {
    expect(RatingsFile.parse(judgearenaRatings)).toEqual(judgearenaRatings);
  });

  it('parses a League ratings file with slug, ranks and unranked models', () => {
    const leagueRatings = {
      slug: 'spring-2025',
      n_bootstraps: 1000,
      seed: 42,
      ratings: [
        { model: 'team-a', rating: 1010, ci_low: 990, ci_high: 1030, n_battles: 200, rank: 1, rank_upper: 1 },
      ],
      unranked: [{ model: 'team-b', reason: 'too few battles', n_battles: 3 }],
    };
    expect(RatingsFile.parse(leagueRatings).ratings[0]).toEqual({
      ...leagueRatings.ratings[0],
      source: 'evaluated',
    });
  });

  it.each([
    ['NaN', { rating: Number.NaN }, 'ratings.0.rating'],
    ['Infinity', { rating: Number.POSITIVE_INFINITY }, 'ratings.0.rating'],
    ['-Infinity', { ci_low: Number.NEGATIVE_INFINITY }, 'ratings.0.ci_low'],
    ['NaN', { ci_high: Number.NaN }, 'ratings.0.ci_high'],
  ])('rejects a %s rating value', (_name, override, path) => {
    const entry = { ...judgearenaRatings.ratings[0], ...override };
    expect(failedPaths(RatingsFile.safeParse({ ...judgearenaRatings, ratings: [entry] }))).toEqual([path]);
  });

  it('rejects a rating that overflows to Infinity in JSON', () => {
    const json = JSON.stringify(judgearenaRatings).replace('1114.3', '1e999');
    expect(failedPaths(RatingsFile.safeParse(JSON.parse(json)))).toEqual(['ratings.0.rating']);
  });

  it('rejects a fractional battle count', () => {
    const entry = { ...judgearenaRatings.ratings[0], n_battles: 4.5 };
    expect(failedPaths(RatingsFile.safeParse({ ...judgearenaRatings, ratings: [entry] }))).toEqual([
      'ratings.0.n_battles',
    ]);
  });
});

describe('Question and PublicQuestion', () => {
  const question: Question = {
    id: 'q-001',
    prompt: 'Explain photosynthesis to a ten-year-old.',
    category: 'science',
    reference: 'SECRET REFERENCE ANSWER',
    split: 'private',
  };

  it('turns a question into a public question without reference or split', () => {
    const publicQuestion = toPublicQuestion(question);
    expect(publicQuestion).toEqual({ id: 'q-001', prompt: question.prompt, category: 'science' });
    expect(Object.keys(publicQuestion).sort()).toEqual(['category', 'id', 'prompt']);
    expect(JSON.stringify(publicQuestion)).not.toContain('SECRET');
  });

  it('leaves out keys a question picked up at run time', () => {
    const widened = { ...question, notes: 'internal' };
    expect(Object.keys(toPublicQuestion(widened)).sort()).toEqual(['category', 'id', 'prompt']);
  });

  it('strips reference and split when a question is parsed as a public question', () => {
    const publicQuestion = PublicQuestion.parse(question);
    expect(publicQuestion).not.toHaveProperty('reference');
    expect(publicQuestion).not.toHaveProperty('split');
  });

  it('has no reference or split field in the public schema', () => {
    expect(Object.keys(PublicQuestion.shape).sort()).toEqual(['category', 'id', 'prompt']);
  });

  it('rejects a question without a reference answer', () => {
    const { reference: _reference, ...withoutReference } = question;
    expect(failedPaths(Question.safeParse(withoutReference))).toEqual(['reference']);
  });

  it('rejects a question with an unknown split', () => {
    expect(failedPaths(Question.safeParse({ ...question, split: 'secret' }))).toEqual(['split']);
  });
});

describe('TestingRecord ids', () => {
  const record = (id: string) => ({ id, prompt: 'What is 2 + 2?' });

  it.each([
    ['a single character', 'q'],
    ['letters, digits and . _ : -', 'Set_1.q-42:a'],
    ['128 characters', 'x'.repeat(128)],
  ])('accepts an id of %s', (_name, id) => {
    expect(TestingRecord.safeParse(record(id)).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['129 characters long', 'x'.repeat(129)],
    ['with a space', 'q 1'],
    ['with a slash', 'set/q1'],
    ['with a percent-encoded slash', '..%2Fq1'],
    ['with a non-ASCII letter', 'qü'],
    ['with a trailing newline', 'q1\n'],
  ])('rejects an id %s', (_name, id) => {
    expect(failedPaths(TestingRecord.safeParse(record(id)))).toEqual(['id']);
  });

  it('uses the same id rule as every other record id', () => {
    expect(RecordId.safeParse('x'.repeat(128)).success).toBe(true);
    expect(RecordId.safeParse('x'.repeat(129)).success).toBe(false);
  });

  it('rejects a testing-data line with an empty prompt', () => {
    expect(failedPaths(TestingRecord.safeParse({ id: 'q1', prompt: '' }))).toEqual(['prompt']);
  });

  it('rejects a category longer than 64 characters', () => {
    expect(failedPaths(TestingRecord.safeParse({ ...record('q1'), category: 'c'.repeat(65) }))).toEqual([
      'category',
    ]);
  });

  it('ignores unknown keys on a testing-data line', () => {
    expect(TestingRecord.parse({ ...record('q1'), answer: '4' })).toEqual(record('q1'));
  });
});

describe('EvaluationRequest', () => {
  const request = {
    submissionId: 'sub-2025-06-01T12:00:00Z',
    modelName: 'team-a-llama-3-8b-ft',
    questionSetId: 'spring-2025',
    resultsUrl: 'https://results.example.com/team-a/results.jsonl',
    resultsSha256: 'a'.repeat(64),
  };

  it('accepts a well-formed request', () => {
    expect(EvaluationRequest.parse(request)).toEqual(request);
  });

  it.each([
    ['upper-case hex', 'A'.repeat(64)],
    ['63 characters', 'a'.repeat(63)],
    ['65 characters', 'a'.repeat(65)],
    ['a non-hex character', `${'a'.repeat(63)}g`],
    ['a sha256: prefix', `sha256:${'a'.repeat(64)}`],
  ])('rejects a SHA-256 with %s', (_name, resultsSha256) => {
    expect(failedPaths(EvaluationRequest.safeParse({ ...request, resultsSha256 }))).toEqual([
      'resultsSha256',
    ]);
  });

  it('strips a team key: the team comes from the caller, never from the body', () => {
    const parsed = EvaluationRequest.parse({ ...request, team: 'someone-else' });
    expect(parsed).not.toHaveProperty('team');
    expect(Object.keys(EvaluationRequest.shape)).not.toContain('team');
  });

  it.each([
    ['file', 'file:///etc/passwd'],
    ['ftp', 'ftp://results.example.com/results.jsonl'],
    ['not a URL', 'results.jsonl'],
  ])('rejects a %s results URL', (_name, resultsUrl) => {
    expect(failedPaths(EvaluationRequest.safeParse({ ...request, resultsUrl }))).toEqual(['resultsUrl']);
  });

  it('accepts an http results URL', () => {
    expect(
      EvaluationRequest.safeParse({ ...request, resultsUrl: 'http://localhost:4566/bucket/key' }).success,
    ).toBe(true);
  });
});

describe('Snapshot', () => {
  const entry = {
    rank: 1,
    rankUpper: 1,
    team: 'team-a',
    model: 'team-a-ft',
    score: 0.62,
    ciLow: 0.58,
    ciHigh: 0.66,
    criteria: {},
    nEvals: 500,
    submissionId: 'sub-1',
    submittedAt: '2025-06-01T12:00:00Z',
    rankChange: 'new',
  };
  const snapshot = {
    slug: 'spring-2025',
    generatedAt: '2025-06-02T08:30:00+02:00',
    method: 'win-rate',
    params: {
      numBootstrap: 1000,
      seed: 0,
      minEvals: 50,
      significant: true,
      rankedBy: 'rank-upper-bound',
      selection: 'best',
      category: null,
    },
    split: 'public',
    entries: [entry, { ...entry, rank: 2, rankUpper: 1, team: 'team-b', rankChange: -1 }],
  };

  it('parses a snapshot and defaults the excluded list to empty', () => {
    const parsed = Snapshot.parse(snapshot);
    expect(parsed.entries.map((e) => e.rankChange)).toEqual(['new', -1]);
    expect(parsed.excluded).toEqual([]);
  });

  it.each([['new'], [0], [3], [-2]])('accepts a rank change of %s', (rankChange) => {
    expect(RankChange.safeParse(rankChange).success).toBe(true);
  });

  it.each([['up'], [1.5], [null], ['1'], [Number.NaN]])('rejects a rank change of %s', (rankChange) => {
    expect(RankChange.safeParse(rankChange).success).toBe(false);
  });

  it('rejects a snapshot entry whose rank change is not an integer or "new"', () => {
    const bad = { ...snapshot, entries: [{ ...entry, rankChange: 'same' }] };
    expect(failedPaths(Snapshot.safeParse(bad))).toEqual(['entries.0.rankChange']);
  });

  it('rejects a snapshot entry with a non-finite score', () => {
    const bad = { ...snapshot, entries: [{ ...entry, score: Number.POSITIVE_INFINITY }] };
    expect(failedPaths(Snapshot.safeParse(bad))).toEqual(['entries.0.score']);
  });

  it('rejects a generatedAt that is not an ISO date-time', () => {
    expect(failedPaths(Snapshot.safeParse({ ...snapshot, generatedAt: '2 June 2025' }))).toEqual([
      'generatedAt',
    ]);
  });
});
