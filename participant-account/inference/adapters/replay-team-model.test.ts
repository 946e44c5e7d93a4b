import { describe, expect, it } from 'vitest';
import { JsonlError } from '../../../shared/jsonl/parse-jsonl.js';
import { ReplayTeamModel } from './replay-team-model.js';

const jsonl = (...records: object[]) => records.map((record) => JSON.stringify(record)).join('\n');
const FILE = jsonl(
  { id: 'q-1', prompt: 'What is 2+2?', response: 'Four.', model: 'otters-7b', latencyMs: 812 },
  { id: 'q-2', prompt: 'Capital of France?', response: 'Paris.', model: 'otters-7b' },
  { id: 'q-3', prompt: 'Why?', response: '', model: 'otters-7b', error: 'throttled: too many requests' },
);

describe('the replay team model', () => {
  it('answers a record id with the exact response the file holds, and names the model as the file does', async () => {
    const model = await ReplayTeamModel.fromJsonl(FILE);
    expect(model.modelName).toBe('otters-7b');
    await expect(model.generate('anything', { recordId: 'q-1' })).resolves.toEqual({
      text: 'Four.',
      latencyMs: 812,
    });
    await expect(model.generate('Capital of France?', { recordId: 'q-2' })).resolves.toEqual({
      text: 'Paris.',
      latencyMs: 0,
    });
  });

  it('answers by exact prompt when the caller has no record id', async () => {
    const model = await ReplayTeamModel.fromJsonl(new TextEncoder().encode(FILE));
    await expect(model.generate('Capital of France?')).resolves.toMatchObject({ text: 'Paris.' });
  });

  it('fails an id the file does not hold with a non-retryable not-found', async () => {
    const model = await ReplayTeamModel.fromJsonl(FILE);
    await expect(model.generate('What is 3+3?', { recordId: 'q-9' })).rejects.toMatchObject({
      code: 'not-found',
      retryable: false,
      message: 'the replayed results hold no answer for id q-9',
    });
  });

  it('fails again a record that failed in the file', async () => {
    const model = await ReplayTeamModel.fromJsonl(FILE);
    await expect(model.generate('Why?', { recordId: 'q-3' })).rejects.toMatchObject({
      code: 'model-error',
      retryable: false,
      message: 'replayed failure: throttled: too many requests',
    });
  });

  it('refuses a file that repeats an id, holds nothing, or has a malformed line', async () => {
    const record = { id: 'q-1', prompt: 'p', response: 'r', model: 'm' };
    await expect(ReplayTeamModel.fromJsonl(jsonl(record, record))).rejects.toThrow('repeats id q-1');
    await expect(ReplayTeamModel.fromJsonl('')).rejects.toThrow('holds no records');
    const malformed = await ReplayTeamModel.fromJsonl(`${jsonl(record)}\n{"id":"q-2"}`).catch(
      (e: unknown) => e,
    );
    expect(malformed).toBeInstanceOf(JsonlError);
    expect(malformed).toMatchObject({ line: 2, code: 'E_SCHEMA' });
  });
});
