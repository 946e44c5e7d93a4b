import * as z from 'zod';

/**
 * One battle, file-compatible with judgearena's battles.jsonl: unknown keys are dropped on read
 * (zod objects strip them), so files written by newer or older tools keep loading.
 */
export const BattleWinner = z.enum(['model_a', 'model_b', 'tie', 'tie (bothbad)']);
export type BattleWinner = z.infer<typeof BattleWinner>;

export const Battle = z.object({
  model_a: z.string().min(1),
  model_b: z.string().min(1),
  winner: BattleWinner,
  source: z.string().default('llm-judge'),
  question_id: z.string().nullish(),
  judge_model: z.string().nullish(),
});
export type Battle = z.infer<typeof Battle>;
export type BattleInput = z.input<typeof Battle>;
