import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JudgeSettings } from '../../../leaderboard-account/judging/judge-settings.js';
import { localJudgeSettings, type Stack, startStack } from './stack.js';

// The local League judged by an OpenAI-compatible server instead of the emulator: here a stand-in
// that calls every pair a tie, so the board can only come from its verdicts.

let server: http.Server;
let baseUrl: string;
const requests: { path: string | undefined; model: unknown; authorization: string | undefined }[] = [];
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const parsed = JSON.parse(body) as { model?: unknown };
      requests.push({ path: request.url, model: parsed.model, authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          choices: [
            { message: { content: '{"rationale":"equally good","verdict":"A=B"}' }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 100, completion_tokens: 10 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  dataDir = await mkdtemp(join(tmpdir(), 'league-judge-'));
  stack = await startStack({
    dataDir,
    gatewayPort: 0,
    participantPort: 0,
    s3Port: 0,
    cognitoPort: 0,
    judge: { provider: 'openai', baseUrl, modelId: 'local-judge-7b', apiKey: 'sk-local' },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the local League with an OpenAI-compatible judge', () => {
  it('judges the demo teams with that server, so every verdict on the board is its own', async () => {
    const deadline = Date.now() + 45_000;
    type Entry = { team: string; score: number; nEvals: number; flagged?: { answers: number } };
    let entries: Entry[] = [];
    while (Date.now() < deadline) {
      const response = await fetch(`${stack.siteUrl}/data/leaderboard.json`);
      if (response.status === 200) {
        entries = ((await response.json()) as { entries: Entry[] }).entries;
        if (entries.length >= 4) break;
      } else {
        await response.body?.cancel();
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(entries.map((entry) => entry.team).sort()).toEqual(['lynx', 'moths', 'otters', 'tricksters']);
    // All ties: every team scores one half against the reference, whatever its answers, except
    // that under the default policy (count-as-loss) an answer the detector flagged is a loss.
    const flagged = entries.filter((entry) => entry.flagged);
    expect(flagged.map((entry) => entry.team)).toEqual(['tricksters']);
    for (const entry of entries) {
      const unflagged = entry.nEvals - (entry.flagged?.answers ?? 0);
      expect(entry.score).toBeCloseTo((0.5 * unflagged) / entry.nEvals, 9);
    }
    expect(requests.length).toBeGreaterThanOrEqual(4 * 35 * 2);
    expect(requests.every((r) => r.model === 'local-judge-7b' && r.authorization === 'Bearer sk-local')).toBe(
      true,
    );
  }, 60_000);

  it('writes judge settings the league config accepts, for each choice', () => {
    for (const choice of [
      { provider: 'emulator' } as const,
      {
        provider: 'bedrock',
        modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
        region: 'us-west-2',
      } as const,
      { provider: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', modelId: 'llama3.1' } as const,
    ]) {
      expect(JudgeSettings.parse(localJudgeSettings(choice)).provider).toBe(choice.provider);
    }
  });
});
