import { ResultRecord } from '../../../shared/contracts/results.js';
import { parseJsonl } from '../../../shared/jsonl/parse-jsonl.js';
import type { GenerateOptions, Generation, TeamModel } from '../team-model.js';
import { TeamModelError } from '../team-model.js';

/**
 * A team model that replays a results file: each record's exact response, found by record id (or, for
 * a caller without one, by exact prompt). For demos, rehearsals and tests, where no model is deployed.
 * A record that failed in the file fails again here; an id the file does not hold is a non-retryable
 * `not-found`. The model name is the file's.
 */
export class ReplayTeamModel implements TeamModel {
  readonly modelName: string;
  private readonly byId: ReadonlyMap<string, ResultRecord>;
  private readonly byPrompt: ReadonlyMap<string, ResultRecord>;

  constructor(records: readonly ResultRecord[]) {
    const first = records[0];
    if (!first) throw new Error('the replay results file holds no records');
    const byId = new Map<string, ResultRecord>();
    const byPrompt = new Map<string, ResultRecord>();
    for (const record of records) {
      if (byId.has(record.id)) throw new Error(`the replay results file repeats id ${record.id}`);
      byId.set(record.id, record);
      if (!byPrompt.has(record.prompt)) byPrompt.set(record.prompt, record);
    }
    this.modelName = first.model;
    this.byId = byId;
    this.byPrompt = byPrompt;
  }

  /** Reads a results JSONL file; a malformed line throws a `JsonlError` naming it. */
  static async fromJsonl(body: Uint8Array | string): Promise<ReplayTeamModel> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const records: ResultRecord[] = [];
    for await (const record of parseJsonl([bytes], ResultRecord)) records.push(record);
    return new ReplayTeamModel(records);
  }

  async generate(prompt: string, options: GenerateOptions = {}): Promise<Generation> {
    if (options.signal?.aborted) throw new TeamModelError('aborted', 'replay call aborted');
    const record =
      options.recordId === undefined ? this.byPrompt.get(prompt) : this.byId.get(options.recordId);
    if (!record) {
      const what = options.recordId === undefined ? 'this prompt' : `id ${options.recordId}`;
      throw new TeamModelError('not-found', `the replayed results hold no answer for ${what}`, {
        providerCode: 'ReplayMiss',
      });
    }
    if (record.error !== undefined) {
      throw new TeamModelError('model-error', `replayed failure: ${record.error}`, {
        providerCode: 'Replayed',
      });
    }
    return { text: record.response, latencyMs: record.latencyMs ?? 0 };
  }
}
