import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function battle(modelA: string, modelB: string, winner: string, n: number): string {
  return JSON.stringify({
    model_a: modelA,
    model_b: modelB,
    winner,
    source: 'llm-judge',
    question_id: `q-${n}`,
    judge_model: 'judge-sonnet',
  });
}

/**
 * Three models, each pair with wins both ways and ties, enough that no bootstrap resample leaves a model
 * without a win or a loss (which would add a note on stderr).
 */
function battlesFile(): string {
  const lines: string[] = [];
  const pairs: [string, string, number, number][] = [
    ['qwen-ft', 'llama-ft', 12, 6],
    ['qwen-ft', 'gemma-ft', 14, 5],
    ['llama-ft', 'gemma-ft', 10, 8],
  ];
  for (const [a, b, winsA, winsB] of pairs) {
    for (let k = 0; k < winsA; k++) lines.push(battle(a, b, 'model_a', lines.length));
    for (let k = 0; k < winsB; k++) lines.push(battle(a, b, 'model_b', lines.length));
    for (let k = 0; k < 3; k++) lines.push(battle(a, b, 'tie', lines.length));
  }
  return `${lines.join('\n')}\n`;
}

function league(...args: string[]) {
  return spawnSync(process.execPath, ['bin/league.js', ...args], { cwd: repoRoot, encoding: 'utf8' });
}

let dir: string;

beforeAll(async () => {
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed:\n${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'league-bin-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bin/league.js', () => {
  it('ranks a battles file end to end and exits 0, or exits 2 on a malformed one', async () => {
    const good = join(dir, 'battles.jsonl');
    await writeFile(good, battlesFile());
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `${battle('qwen-ft', 'llama-ft', 'model_a', 0)}\n{"model_a": "qwen-ft",\n`);

    const run = league('rank', good, '--quiet', '--bootstrap', '100');
    const failed = league('rank', bad, '--quiet', '--bootstrap', '100');

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]?.trim().split(/\s{2,}/)).toEqual([
      'rank',
      'rank UB',
      'model',
      'rating',
      '95% CI',
      'battles',
    ]);
    expect(lines.slice(2).map((line) => line.trim().split(/\s+/)[2])).toEqual([
      'qwen-ft',
      'llama-ft',
      'gemma-ft',
    ]);

    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain(`${bad}:2: not valid JSON`);
    expect(failed.stdout).toBe('');
  });
});
