import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createRandom } from '../leaderboard-account/ranking/prng.js';

/**
 * Writes a synthetic, judgearena-shaped battles.jsonl: models with normally spread true ratings
 * (sd ≈ 200 points), Zipf-like popularity so pair counts are skewed as in a real arena, outcomes drawn
 * from the Bradley-Terry model, and `tieRate` of battles tied (half of them `tie (bothbad)`).
 */
export async function generateBattles(
  path: string,
  battles: number,
  models: number,
  seed: number,
  tieRate = 0.1,
): Promise<void> {
  const random = createRandom(seed);
  const gaussian = (): number =>
    Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const names = Array.from({ length: models }, (_, k) => `org-${k % 7}/model-${String(k).padStart(3, '0')}`);
  const strength = names.map(() => (gaussian() * 200 * Math.LN10) / 400);
  const popularity = names.map((_, k) => 1 / (k + 1) ** 0.6);
  const cumulative: number[] = [];
  let sum = 0;
  for (const p of popularity) {
    sum += p;
    cumulative.push(sum);
  }
  const pick = (): number => {
    const u = random.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out = createWriteStream(path);
  let buffer = '';
  for (let n = 0; n < battles; n++) {
    const a = pick();
    let b = pick();
    while (b === a) b = pick();
    const u = random.next();
    const winner =
      u < tieRate / 2
        ? 'tie'
        : u < tieRate
          ? 'tie (bothbad)'
          : random.next() < 1 / (1 + Math.exp((strength[b] as number) - (strength[a] as number)))
            ? 'model_a'
            : 'model_b';
    buffer += `${JSON.stringify({
      model_a: names[a],
      model_b: names[b],
      winner,
      source: 'llm-judge',
      question_id: `q-${(n % 5000).toString(16).padStart(4, '0')}`,
      judge_model: 'us.anthropic.claude-sonnet-4-5',
    })}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
