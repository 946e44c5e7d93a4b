import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorOptionsFromCli, parseLatency, readCliSettings } from './cli-options.js';

describe('the emulator command line', () => {
  it('takes flags over BEDROCK_EMULATOR_* variables', () => {
    const { settings } = readCliSettings(['--throttle-rate', '0.2', '--rpm', '30'], {
      BEDROCK_EMULATOR_THROTTLE_RATE: '0.9',
      BEDROCK_EMULATOR_SEED: '7',
    });
    expect(settings).toEqual({ 'throttle-rate': '0.2', rpm: '30', seed: '7' });
  });

  it('reads the three latency forms', () => {
    expect(parseLatency('50')).toBe(50);
    expect(parseLatency('20-200')).toEqual({ min: 20, max: 200 });
    expect(parseLatency('p50=100,p99=800')).toEqual({ median: 100, p99: 800 });
    expect(() => parseLatency('fast')).toThrow(/latency-ms/);
  });

  it('refuses a rate outside 0–1 and says which option', async () => {
    await expect(emulatorOptionsFromCli({ 'error-rate': '1.5' })).rejects.toThrow(/errorRate/);
    await expect(emulatorOptionsFromCli({ rpm: 'many' })).rejects.toThrow(/requestsPerMinute/);
  });

  it('loads the references from a question set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    const file = join(dir, 'questions.jsonl');
    const line = {
      id: 'q1',
      prompt: 'Why is the sky blue?',
      category: 'science',
      reference: 'Rayleigh scattering.',
      split: 'public',
    };
    await writeFile(file, `${JSON.stringify(line)}\n`);
    const options = await emulatorOptionsFromCli({ questions: file, port: '0' });
    expect(options.references).toEqual(new Map([['Why is the sky blue?', 'Rayleigh scattering.']]));
    expect(options.port).toBe(0);
  });

  it('starts, prints its URL and stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const reply = await fetch(`${url}/model/m/converse`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    });
    expect(reply.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/not an LLM/);
    expect(output).toMatch(/"answered":1/);
  });
});
