import { describe, expect, it } from 'vitest';
import { JudgeSettings, resolvePanel } from './judge-settings.js';

describe('the judge panel settings', () => {
  it('is one judge, the top-level settings, when no panel is configured', () => {
    const settings = JudgeSettings.parse({ modelId: 'm1', region: 'eu-west-1' });
    expect(settings.panelRule).toBe('median');
    const panel = resolvePanel(settings);
    expect(panel).toHaveLength(1);
    expect(panel[0]).toMatchObject({ name: 'm1', modelId: 'm1', region: 'eu-west-1' });
  });

  it("fills each panel judge's unset fields from the top level and keeps its own quota", () => {
    const settings = JudgeSettings.parse({
      region: 'eu-west-1',
      requestsPerMinute: 200,
      panel: [
        { modelId: 'm1' },
        { provider: 'openai', modelId: 'm2', openaiBaseUrl: 'http://127.0.0.1:11434', requestsPerMinute: 50 },
      ],
      panelRule: 'mean',
    });
    const [first, second] = resolvePanel(settings);
    expect(first).toMatchObject({
      name: 'm1',
      provider: 'bedrock',
      region: 'eu-west-1',
      requestsPerMinute: 200,
    });
    expect(second).toMatchObject({ name: 'm2', provider: 'openai', requestsPerMinute: 50 });
  });

  it('refuses two panel judges with the same name', () => {
    const settings = JudgeSettings.parse({ panel: [{ modelId: 'm1' }, { modelId: 'm1' }] });
    expect(() => resolvePanel(settings)).toThrow(/names m1 twice/);
  });

  it('refuses a panel rule it does not know', () => {
    expect(JudgeSettings.safeParse({ panelRule: 'vote' }).success).toBe(false);
  });
});
