import { describe, expect, it } from 'vitest';
import { parseLeagueConfig } from '../config/league-config.js';
import { ModelName, QuestionCategory } from './common.js';
import { EvaluationRequest } from './evaluation.js';
import { Question } from './question-set.js';

/** Characters that make a name display as something it is not. */
const DECEPTIVE: [string, string][] = [
  ['\u202e', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
  ['\u202d', 'U+202D LEFT-TO-RIGHT OVERRIDE'],
  ['\u202b', 'U+202B RIGHT-TO-LEFT EMBEDDING'],
  ['\u2067', 'U+2067 RIGHT-TO-LEFT ISOLATE'],
  ['\u2069', 'U+2069 POP DIRECTIONAL ISOLATE'],
  ['\u200f', 'U+200F RIGHT-TO-LEFT MARK'],
  ['\u200b', 'U+200B ZERO WIDTH SPACE'],
  ['\u200c', 'U+200C ZERO WIDTH NON-JOINER'],
  ['\u200d', 'U+200D ZERO WIDTH JOINER'],
  ['\u2060', 'U+2060 WORD JOINER'],
  ['\ufeff', 'U+FEFF ZERO WIDTH NO-BREAK SPACE'],
  ['\u00ad', 'U+00AD SOFT HYPHEN'],
  ['\u0000', 'U+0000'],
  ['\u001b', 'U+001B'],
  ['\u0085', 'U+0085'],
  ['\u2028', 'U+2028'],
  ['\u3164', 'U+3164'],
  ['\u{e0041}', 'U+E0041'],
];

const request = (modelName: string) => ({
  submissionId: 'demo-1',
  modelName,
  questionSetId: 'demo-v1',
  resultsUrl: 'https://results.example.org/r.jsonl',
  resultsSha256: 'a'.repeat(64),
});

describe('names that are displayed', () => {
  it('refuses a model name with a control, bidi or invisible character, naming it and where', () => {
    for (const [char, name] of DECEPTIVE) {
      const parsed = EvaluationRequest.safeParse(request(`lynx/${char}lam-3`));
      expect(parsed.success, name).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({
        path: ['modelName'],
        message: `must not contain control, bidi or invisible characters: found ${name} at character 6`,
      });
    }
  });

  it('refuses a blank or space-padded model name', () => {
    expect(ModelName.safeParse('   ').error?.issues[0]?.message).toBe('must contain a visible character');
    expect(ModelName.safeParse(' lynx ').error?.issues[0]?.message).toBe(
      'must not start or end with whitespace',
    );
  });

  it('accepts the names of real models, in any script', () => {
    for (const name of [
      'lynx/llama-3.1-8b-sft',
      'otters/mistral-7b (LoRA r=16)',
      'équipe/modèle-français',
      'チーム/モデル',
      'فريق/نموذج',
      'team/🦊-fox',
      'team/👩‍💻-coder',
    ])
      expect(ModelName.safeParse(name).success, name).toBe(true);
  });

  it('refuses a team display name with a bidi override in the league config', () => {
    expect(() =>
      parseLeagueConfig({
        leaderboard: { account: '111111111111', region: 'us-east-1' },
        questionSetId: 'demo-v1',
        teams: [
          {
            teamId: 'lynx',
            displayName: 'Lynx\u202exoF',
            account: '222222222222',
            region: 'us-east-1',
            externalId: 'external-id-lynx-0123456789',
            resultsBucket: 'lynx-results',
          },
        ],
      }),
    ).toThrow(/teams\.0\.displayName: must not contain control, bidi or invisible characters: found U\+202E/);
  });

  it('refuses a question category that would not display as itself or not be one file name', () => {
    for (const category of ['sci\u200bence', '../private', 'a/b', 'a\\b', '%2e%2e', '..'])
      expect(QuestionCategory.safeParse(category).success, category).toBe(false);
    expect(
      Question.safeParse({ id: 'q1', prompt: 'p', category: 'math\u202e', reference: 'r', split: 'public' })
        .success,
    ).toBe(false);
    expect(QuestionCategory.safeParse('general knowledge').success).toBe(true);
  });
});
