import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RunningEmulator,
  startBedrockEmulator,
} from '../../scripts/emulators/bedrock-converse/index.js';
import type { Question } from '../../shared/contracts/question-set.js';
import type { ResultRecord } from '../../shared/contracts/results.js';
import { DEFAULT_CRITERIA } from './default-criteria.js';
import { judgeSubmission } from './judge-submission.js';
import { BedrockJudgeModel, createBedrockClient } from './providers/bedrock-judge-model.js';

/** Integration: the judge through the real Bedrock SDK client against the Converse emulator. */

const TOPICS = [
  'photosynthesis',
  'gravity',
  'volcanoes',
  'tides',
  'magnetism',
  'erosion',
  'enzymes',
  'comets',
];

function questionSet(n: number): Question[] {
  return Array.from({ length: n }, (_, k) => {
    const topic = TOPICS[k % TOPICS.length] as string;
    return {
      id: `q${String(k).padStart(3, '0')}`,
      prompt: `Explain ${topic} (question ${k}).`,
      category: k % 2 === 0 ? 'science' : 'earth',
      reference: `${topic} is explained by energy transfer, matter cycles and measurable forces; example ${k} shows the effect clearly.`,
      split: 'public',
    };
  });
}

function teamAnswers(questions: readonly Question[]): Map<string, ResultRecord> {
  return new Map(
    questions.map((q, k) => [
      q.id,
      {
        id: q.id,
        prompt: q.prompt,
        // Every third answer is as good as the reference, the rest leave half of it out.
        response:
          k % 3 === 0
            ? q.reference
            : q.reference
                .split(' ')
                .filter((_, w) => w % 2 === 0)
                .join(' '),
        model: 'team/model',
      },
    ]),
  );
}

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('judging through the Bedrock SDK against the emulator', () => {
  it('ends a 200-question run with 20% throttling and 5% malformed replies with every judgment made or explicitly failed', async () => {
    const questions = questionSet(200);
    emulator = await startBedrockEmulator({
      seed: 42,
      throttleRate: 0.2,
      malformedRate: 0.05,
      references: new Map(questions.map((q) => [q.prompt, q.reference])),
    });
    const model = new BedrockJudgeModel({
      modelId: 'emulator/reference-overlap',
      client: createBedrockClient({
        region: 'us-east-1',
        endpoint: emulator.url,
        maxAttempts: 8,
        retryDelayMs: 2,
      }),
      promptCaching: false,
      structuredOutput: 'tool',
    });
    const run = await judgeSubmission({
      submissionId: 'sub-200',
      questions,
      answers: teamAnswers(questions),
      mode: 'pairwise-reference',
      model,
      concurrency: 16,
      flaggedPolicy: 'judge-and-flag',
      nonce: () => randomBytes(12).toString('hex'),
    });
    const stats = emulator.stats();

    // 0 lost: one judgment per task, each with a verdict or an explicit error, never both, never neither.
    expect(run.judgments).toHaveLength(400);
    expect(new Set(run.judgments.map((j) => `${j.questionId}/${j.order}`)).size).toBe(400);
    for (const judgment of run.judgments)
      expect(judgment.verdict === undefined).toBe(judgment.error !== undefined);
    expect(run.stats.judged + run.stats.failed).toBe(400);

    // Throttling was met and retried by the SDK; malformed replies were re-asked.
    expect(stats.throttled).toBeGreaterThan(40);
    expect(stats.malformed).toBeGreaterThan(5);
    expect(run.stats.reasks).toBeGreaterThan(5);
    expect(run.stats.retries).toBe(run.judgments.reduce((sum, j) => sum + j.attempts - 1, 0));
    expect(run.stats.retries).toBeGreaterThanOrEqual(stats.throttled);
    // Every request the emulator saw is accounted for by some judgment's attempts.
    expect(run.judgments.reduce((sum, j) => sum + j.attempts, 0)).toBe(stats.requests);
    // A failed judgment keeps the raw reply and the reason.
    for (const failed of run.judgments.filter((j) => j.error))
      expect(failed.error).toMatch(/unusable judge reply|judge call failed/);
    expect(run.stats.usage.inputTokens).toBeGreaterThan(0);
  });

  it('grades all rubric criteria in one call per answer', async () => {
    const questions = questionSet(30);
    emulator = await startBedrockEmulator({ seed: 7 });
    const model = new BedrockJudgeModel({
      modelId: 'emulator/reference-overlap',
      client: createBedrockClient({
        region: 'us-east-1',
        endpoint: emulator.url,
        maxAttempts: 3,
        retryDelayMs: 2,
      }),
      promptCaching: true,
      structuredOutput: 'tool',
    });
    const run = await judgeSubmission({
      submissionId: 'sub-rubric',
      questions,
      answers: teamAnswers(questions),
      mode: 'rubric',
      criteria: DEFAULT_CRITERIA,
      model,
      concurrency: 8,
      flaggedPolicy: 'judge-and-flag',
      nonce: () => randomBytes(12).toString('hex'),
    });
    expect(emulator.stats().requests).toBe(30);
    expect(run.judgments).toHaveLength(30);
    for (const judgment of run.judgments) {
      expect(Object.keys(judgment.scores ?? {}).sort()).toEqual(['accuracy', 'coherence', 'relevance']);
    }
    // With caching on, the static prefix is written once and read afterwards.
    expect(run.stats.usage.cacheReadTokens).toBeGreaterThan(run.stats.usage.cacheWriteTokens);
  });
});
