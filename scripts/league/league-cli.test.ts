import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BattleInput } from '../../shared/contracts/battle.js';
import type { LeaderboardFile, LeaderboardResult } from '../../shared/contracts/leaderboard-file.js';
import { RatingsFile } from '../../shared/contracts/ratings.js';
import { type CommandRun, runCommand } from './command-test-support.js';
import { main } from './main.js';

// ---------------------------------------------------------------------------------------------
// Harness: main() in-process with fake streams, in a fresh temp dir per test.

function league(...argv: string[]): Promise<CommandRun> {
  return runCommand(main, argv);
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'league-cli-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Battles

const JUDGE = 'judge-sonnet';

/** Wins of `a`, wins of `b` and ties between two models. */
type PairRecord = readonly [a: string, b: string, winsA: number, winsB: number, ties: number];

/**
 * Four fine-tunes in a clear order (qwen > llama > mistral > gemma, not the alphabetical order), every
 * pair with wins both ways and ties, so every model is rankable and no bootstrap resample is degenerate.
 */
const FOUR_MODELS: readonly PairRecord[] = [
  ['qwen-ft', 'llama-ft', 7, 3, 2],
  ['qwen-ft', 'mistral-ft', 8, 2, 2],
  ['qwen-ft', 'gemma-ft', 9, 2, 1],
  ['llama-ft', 'mistral-ft', 6, 4, 2],
  ['llama-ft', 'gemma-ft', 7, 3, 2],
  ['mistral-ft', 'gemma-ft', 6, 4, 2],
];
const RATING_ORDER = ['qwen-ft', 'llama-ft', 'mistral-ft', 'gemma-ft'];

function battles(records: readonly PairRecord[]): BattleInput[] {
  const out: BattleInput[] = [];
  for (const [a, b, winsA, winsB, ties] of records) {
    const outcomes = [
      ...Array<BattleInput['winner']>(winsA).fill('model_a'),
      ...Array<BattleInput['winner']>(winsB).fill('model_b'),
      ...Array<BattleInput['winner']>(ties).fill('tie'),
    ];
    for (const winner of outcomes) {
      out.push({
        model_a: a,
        model_b: b,
        winner,
        source: 'llm-judge',
        question_id: `q-${out.length}`,
        judge_model: JUDGE,
      });
    }
  }
  return out;
}

async function writeBattles(records: readonly PairRecord[], name = 'battles.jsonl'): Promise<string> {
  return writeLines(
    battles(records).map((b) => JSON.stringify(b)),
    name,
  );
}

async function writeLines(lines: readonly string[], name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Output parsing

interface TableRow {
  readonly rank: string;
  readonly rankUpper: string;
  readonly model: string;
  readonly rating: string;
  readonly ci: string;
  readonly battles: string;
}

/** The printed ratings table: its header cells and its data rows (up to the first blank line). */
function parseTable(stdout: string): { header: string[]; rows: TableRow[] } {
  const lines = stdout.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s{2,}/);
  const rows: TableRow[] = [];
  for (const line of lines.slice(2)) {
    if (line.trim() === '') break;
    const [rank = '', rankUpper = '', model = '', rating = '', ci = '', battleCount = ''] = line
      .trim()
      .split(/\s+/);
    rows.push({ rank, rankUpper, model, rating, ci, battles: battleCount });
  }
  return { header, rows };
}

/** The `not ranked` section: model → the reason printed for it. */
function parseNotRanked(stdout: string): Map<string, string> {
  const section = stdout.split(/\nnot ranked \(\d+\):\n/)[1] ?? '';
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^ {2}(\S+) \((\d+) battles\): (.+)$/.exec(line);
    if (match?.[1] !== undefined && match[3] !== undefined) out.set(match[1], match[3]);
  }
  return out;
}

async function readRatings(outDir: string): Promise<RatingsFile> {
  return RatingsFile.parse(JSON.parse(await readFile(join(outDir, 'ratings.json'), 'utf8')));
}

function ratingOf(file: RatingsFile, model: string): RatingsFile['ratings'][number] {
  const entry = file.ratings.find((r) => r.model === model);
  if (entry === undefined) throw new Error(`no rating for ${model}`);
  return entry;
}

// ---------------------------------------------------------------------------------------------

describe('league rank', () => {
  it('prints one row per model in rating order under the rank, rank UB, model, rating, 95% CI, battles header', async () => {
    const file = await writeBattles(FOUR_MODELS);

    const run = await league('rank', file, '--bootstrap', '100', '--quiet');

    expect(run.code).toBe(0);
    const { header, rows } = parseTable(run.stdout);
    expect(header).toEqual(['rank', 'rank UB', 'model', 'rating', '95% CI', 'battles']);
    expect(rows.map((r) => r.model)).toEqual(RATING_ORDER);
    expect(rows.map((r) => r.rank)).toEqual(['1', '2', '3', '4']);
    const ratings = rows.map((r) => Number(r.rating));
    expect(ratings).toEqual([...ratings].sort((a, b) => b - a));
    for (const row of rows) {
      expect(row.rating).toMatch(/^\d+\.\d$/);
      expect(row.ci).toMatch(/^\+\d+\.\d\/-\d+\.\d$/);
      expect(row.battles).toBe('36');
    }
    expect(run.stdout).not.toContain('not ranked');
  });

  it('writes DIR/ratings.json that parses as a RatingsFile and matches the printed table', async () => {
    const file = await writeBattles(FOUR_MODELS);
    const out = join(dir, 'out');

    const run = await league(
      'rank',
      file,
      '--bootstrap',
      '150',
      '--seed',
      '7',
      '--slug',
      'arena-v1',
      '--out',
      out,
      '--quiet',
    );

    expect(run.code).toBe(0);
    const ratings = await readRatings(out);
    expect(ratings).toMatchObject({ slug: 'arena-v1', judge_model: JUDGE, n_bootstraps: 150, seed: 7 });
    expect(ratings.unranked).toEqual([]);
    const { rows } = parseTable(run.stdout);
    expect(ratings.ratings.map((r) => r.model)).toEqual(rows.map((r) => r.model));
    for (const row of rows) {
      const entry = ratingOf(ratings, row.model);
      expect(entry.rating.toFixed(1)).toBe(row.rating);
      expect(entry.ci_low).toBeLessThanOrEqual(entry.rating);
      expect(entry.ci_high).toBeGreaterThanOrEqual(entry.rating);
      expect(entry.n_battles).toBe(Number(row.battles));
      expect(String(entry.rank)).toBe(row.rank);
      expect(String(entry.rank_upper)).toBe(row.rankUpper);
    }
    // Written through a rename: no temporary file is left next to it.
    expect(await readdir(out)).toEqual(['ratings.json']);
  });

  it('writes a byte-identical ratings.json when run twice with the same seed', async () => {
    const file = await writeBattles(FOUR_MODELS);
    const first = join(dir, 'first');
    const second = join(dir, 'second');

    expect(
      (await league('rank', file, '--bootstrap', '120', '--seed', '3', '--out', first, '--quiet')).code,
    ).toBe(0);
    expect(
      (await league('rank', file, '--bootstrap', '120', '--seed', '3', '--out', second, '--quiet')).code,
    ).toBe(0);

    const a = await readFile(join(first, 'ratings.json'));
    const b = await readFile(join(second, 'ratings.json'));
    expect(a.equals(b)).toBe(true);
  });

  it('changes the confidence intervals but not the ratings when the seed changes', async () => {
    const file = await writeBattles(FOUR_MODELS);
    const seed1 = join(dir, 'seed-1');
    const seed2 = join(dir, 'seed-2');

    await league('rank', file, '--bootstrap', '120', '--seed', '1', '--out', seed1, '--quiet');
    await league('rank', file, '--bootstrap', '120', '--seed', '2', '--out', seed2, '--quiet');

    const one = await readRatings(seed1);
    const two = await readRatings(seed2);
    expect(two.ratings.map((r) => [r.model, r.rating])).toEqual(one.ratings.map((r) => [r.model, r.rating]));
    expect(two.ratings.map((r) => [r.ci_low, r.ci_high])).not.toEqual(
      one.ratings.map((r) => [r.ci_low, r.ci_high]),
    );
  });

  it('gives every model a zero-width interval at its rating with --bootstrap 0', async () => {
    const file = await writeBattles(FOUR_MODELS);
    const out = join(dir, 'out');

    const run = await league('rank', file, '--bootstrap', '0', '--out', out, '--quiet');

    expect(run.code).toBe(0);
    const ratings = await readRatings(out);
    expect(ratings.n_bootstraps).toBe(0);
    expect(ratings.ratings).toHaveLength(4);
    for (const entry of ratings.ratings) {
      expect(entry.ci_low).toBe(entry.rating);
      expect(entry.ci_high).toBe(entry.rating);
    }
    expect(parseTable(run.stdout).rows.map((r) => r.ci)).toEqual(['-', '-', '-', '-']);
  });

  it('shifts the ratings so the anchored model has exactly the anchor rating', async () => {
    const file = await writeBattles(FOUR_MODELS);
    const free = join(dir, 'free');
    const anchored = join(dir, 'anchored');

    await league('rank', file, '--bootstrap', '0', '--out', free, '--quiet');
    const run = await league(
      'rank',
      file,
      '--bootstrap',
      '50',
      '--anchor',
      'mistral-ft=1200',
      '--out',
      anchored,
      '--quiet',
    );

    expect(run.code).toBe(0);
    const row = parseTable(run.stdout).rows.find((r) => r.model === 'mistral-ft');
    expect(row?.rating).toBe('1200.0');
    const ratings = await readRatings(anchored);
    expect(ratingOf(ratings, 'mistral-ft').rating).toBe(1200);
    // A shift, not a refit: the gaps between models are those of the unanchored fit.
    const unanchored = await readRatings(free);
    const gap = (f: RatingsFile) => ratingOf(f, 'qwen-ft').rating - ratingOf(f, 'gemma-ft').rating;
    expect(gap(ratings)).toBeCloseTo(gap(unanchored), 6);
  });

  it('refuses an anchor on a model that is not in the battles, naming it, and writes nothing', async () => {
    const file = await writeBattles(FOUR_MODELS);
    const out = join(dir, 'out');

    const run = await league('rank', file, '--bootstrap', '50', '--anchor', 'phantom-ft=1200', '--out', out);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('phantom-ft');
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  describe('rejects a malformed battles file by line number and writes nothing', () => {
    const good = JSON.stringify(battles(FOUR_MODELS)[0]);
    const cases: { name: string; lines: (string | Buffer)[]; line: number; reason: RegExp }[] = [
      {
        name: 'a line that is not JSON (line 3)',
        lines: [good, good, '{"model_a": "qwen-ft", "model_b":', good],
        line: 3,
        reason: /not valid JSON/,
      },
      {
        name: 'a winner outside the enum (line 2)',
        lines: [good, JSON.stringify({ model_a: 'qwen-ft', model_b: 'llama-ft', winner: 'draw' }), good],
        line: 2,
        reason: /winner: .*model_a/,
      },
      {
        name: 'invalid UTF-8 bytes (line 4)',
        lines: [
          good,
          good,
          good,
          Buffer.concat([
            Buffer.from('{"model_a":"qwen-'),
            Buffer.from([0xff, 0xfe]),
            Buffer.from('","model_b":"llama-ft","winner":"model_a"}'),
          ]),
          good,
        ],
        line: 4,
        reason: /invalid UTF-8/,
      },
    ];

    for (const { name, lines, line, reason } of cases) {
      it(name, async () => {
        const file = join(dir, 'battles.jsonl');
        const parts = lines.flatMap((l) => [typeof l === 'string' ? Buffer.from(l) : l, Buffer.from('\n')]);
        await writeFile(file, Buffer.concat(parts));
        const out = join(dir, 'out');
        // A ratings.json from an earlier run must survive a failed one untouched.
        await mkdir(out);
        const earlier = '{"earlier": true}\n';
        await writeFile(join(out, 'ratings.json'), earlier);
        const fresh = join(dir, 'fresh');

        const run = await league('rank', file, '--bootstrap', '50', '--out', out);
        const second = await league('rank', file, '--bootstrap', '50', '--out', fresh);

        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`${file}:${line}: `);
        expect(run.stderr).toMatch(reason);
        expect(run.stdout).toBe('');
        expect(await readFile(join(out, 'ratings.json'), 'utf8')).toBe(earlier);
        expect(await readdir(out)).toEqual(['ratings.json']);
        expect(second.code).toBe(2);
        expect(existsSync(join(fresh, 'ratings.json'))).toBe(false);
      });
    }
  });

  it('reports a missing battles file as "no such file" with exit code 2', async () => {
    const missing = join(dir, 'nowhere.jsonl');

    const run = await league('rank', missing, '--quiet');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${missing}: no such file`);
  });

  it('rejects an unknown option with exit code 2 and the rank usage', async () => {
    const file = await writeBattles(FOUR_MODELS);

    const run = await league('rank', file, '--frobnicate');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--frobnicate');
    expect(run.stderr).toContain('usage: league rank');
    expect(run.stdout).toBe('');
  });

  // BUG: integerOption() reads the value with Number(), and Number('') and Number(' ') are 0, so an empty
  // value (e.g. `--bootstrap "$ROUNDS"` with ROUNDS unset) silently runs with no confidence intervals.
  it.each(['--bootstrap', '--seed', '--min-evals'])(
    'rejects an empty or blank %s value instead of reading it as 0',
    async (option) => {
      const file = await writeBattles(FOUR_MODELS);

      for (const value of ['', ' ']) {
        const run = await league('rank', file, `${option}=${value}`, '--quiet');

        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`${option} must be an integer`);
        expect(run.stdout).toBe('');
      }
    },
  );

  // BUG: only ENOENT is mapped to a usage error; a directory (EISDIR) escapes as a raw errno message with
  // exit code 1, which main() documents as "a negative result", not an input error.
  it('reports a battles path that is a directory as an input error with exit code 2', async () => {
    const run = await league('rank', dir, '--quiet');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(dir);
  });

  it('prints the rank usage on stdout and exits 0 for rank --help', async () => {
    const run = await league('rank', '--help');

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: league rank BATTLES.jsonl');
    expect(run.stdout).toContain('--min-evals');
    expect(run.stderr).toBe('');
  });

  it('moves models with fewer battles than --min-evals to the not-ranked list with the reason', async () => {
    // phi-ft has 4 battles, with a win, a loss and a tie: rankable on its own, but below --min-evals 10.
    const file = await writeBattles([
      ...FOUR_MODELS,
      ['phi-ft', 'qwen-ft', 1, 1, 0],
      ['phi-ft', 'gemma-ft', 0, 1, 1],
    ]);
    const out = join(dir, 'out');

    const without = await league('rank', file, '--bootstrap', '0', '--quiet');
    const run = await league('rank', file, '--bootstrap', '50', '--min-evals', '10', '--out', out, '--quiet');

    expect(parseTable(without.stdout).rows.map((r) => r.model)).toContain('phi-ft');
    expect(run.code).toBe(0);
    expect(parseTable(run.stdout).rows.map((r) => r.model)).toEqual(RATING_ORDER);
    expect(parseNotRanked(run.stdout)).toEqual(new Map([['phi-ft', 'fewer than 10 battles']]));
    expect(run.stdout).toContain('phi-ft (4 battles): fewer than 10 battles');
    const ratings = await readRatings(out);
    expect(ratings.ratings.map((r) => r.model)).toEqual(RATING_ORDER);
    expect(ratings.unranked).toEqual([{ model: 'phi-ft', reason: 'fewer than 10 battles', n_battles: 4 }]);
  });

  it('lists a model that never won under not ranked, and never writes it as NaN or Infinity', async () => {
    const file = await writeBattles([...FOUR_MODELS, ['tinyllama-ft', 'qwen-ft', 0, 3, 0]]);
    const out = join(dir, 'out');

    const run = await league('rank', file, '--bootstrap', '100', '--out', out, '--quiet');

    expect(run.code).toBe(0);
    expect(parseTable(run.stdout).rows.map((r) => r.model)).not.toContain('tinyllama-ft');
    expect(parseNotRanked(run.stdout).get('tinyllama-ft')).toMatch(/never won/);
    const text = await readFile(join(out, 'ratings.json'), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity|null/);
    const ratings = RatingsFile.parse(JSON.parse(text));
    expect(ratings.ratings.map((r) => r.model)).not.toContain('tinyllama-ft');
    expect(ratings.unranked).toEqual([
      { model: 'tinyllama-ft', reason: expect.stringMatching(/never won/), n_battles: 3 },
    ]);
    for (const entry of ratings.ratings) {
      for (const value of [entry.rating, entry.ci_low, entry.ci_high])
        expect(Number.isFinite(value)).toBe(true);
    }
  });

  it('writes nothing on stderr with --quiet for a normal small run', async () => {
    const file = await writeBattles(FOUR_MODELS);

    const run = await league('rank', file, '--bootstrap', '200', '--out', join(dir, 'out'), '--quiet');

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toBe('');
  });
});

describe('league (no command)', () => {
  it('prints the usage and exits 2 when no command is given', async () => {
    const run = await league();

    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toContain('usage: league <command>');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const run = await league('rnak');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "rnak"');
  });
});

// ---------------------------------------------------------------------------------------------

describe('league readme', () => {
  function standing(team: string, score: number, submittedAt: string): LeaderboardResult {
    return {
      metadata: { team, model: 'qwen-ft', submissionId: `sub-${team}`, submittedAt },
      summary: { score, ciLow: score - 0.05, ciHigh: score + 0.05, nEvals: 200, method: 'win-rate' },
    };
  }

  const LEADERBOARD: LeaderboardFile = {
    lastUpdated: '2025-06-03T09:00:00.000Z',
    results: {
      'team-a-qwen-ft': standing('team-a', 0.55, '2025-06-01T10:00:00.000Z'),
      'team-b-qwen-ft': standing('team-b', 0.71, '2025-06-02T10:00:00.000Z'),
      'team-c-qwen-ft': standing('team-c', 0.62, '2025-06-02T11:00:00.000Z'),
    },
  };

  const HEAD = '# LLM League\n\nFine-tune a model, get judged.\n\n## Leaderboard\n\n';
  const TAIL = '\n## Rules\n\nOne submission per team per day.\n';
  const WITH_MARKERS = `${HEAD}<!-- BEGIN_LEADERBOARD -->\nstale table\n<!-- END_LEADERBOARD -->\n${TAIL}`;

  async function setup(readme: string, leaderboard: unknown = LEADERBOARD) {
    const leaderboardPath = join(dir, 'leaderboard.json');
    const readmePath = join(dir, 'README.md');
    await writeFile(leaderboardPath, JSON.stringify(leaderboard, null, 2));
    await writeFile(readmePath, readme);
    return { leaderboardPath, readmePath };
  }

  /** The Markdown table rows between the markers (header and alignment rows excluded). */
  function tableRows(readme: string): string[] {
    const between = readme.split('<!-- BEGIN_LEADERBOARD -->')[1]?.split('<!-- END_LEADERBOARD -->')[0] ?? '';
    return between
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .slice(2);
  }

  let savedTopN: string | undefined;
  beforeEach(() => {
    savedTopN = process.env.TOP_N;
    delete process.env.TOP_N;
  });
  afterEach(() => {
    if (savedTopN === undefined) delete process.env.TOP_N;
    else process.env.TOP_N = savedTopN;
  });

  it('writes the top rows between the markers and keeps the rest of the README', async () => {
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS);

    const run = await league('readme', leaderboardPath, readmePath, '--top', '2');

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`updated ${readmePath}`);
    const readme = await readFile(readmePath, 'utf8');
    expect(readme.startsWith(`${HEAD}<!-- BEGIN_LEADERBOARD -->\n`)).toBe(true);
    expect(readme.endsWith(`<!-- END_LEADERBOARD -->\n${TAIL}`)).toBe(true);
    expect(readme).not.toContain('stale table');
    expect(readme).toContain('| Rank | Team | Model | Score | 95% CI | Evals | Submitted |');
    const rows = tableRows(readme);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| 1 \| team-b \| qwen-ft \| \*\*71\.0%\*\* \|/);
    expect(rows[1]).toMatch(/^\| 2 \| team-c \|/);
  });

  it('writes the table from the site’s published leaderboard.json, in its rank order with team names', async () => {
    const published = JSON.parse(
      await readFile(
        new URL('../../leaderboard-account/web/fixtures/data/leaderboard.json', import.meta.url),
        'utf8',
      ),
    ) as { entries: { team: string }[]; teamNames: Record<string, string> };
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS, published);

    const run = await league('readme', leaderboardPath, readmePath, '--top', '3');

    expect(run.code).toBe(0);
    const rows = tableRows(await readFile(readmePath, 'utf8'));
    expect(rows).toHaveLength(3);
    const first = published.entries[0]?.team ?? '';
    expect(rows[0]).toMatch(new RegExp(`^\\| 1 \\| ${published.teamNames[first]} \\|`));
    expect(rows[0]).toMatch(/ \| \*\*8\.57\*\* \| 8\.25 – 8\.90 \| 160 \| /);
  });

  it('names the field of a published board that is wrong', async () => {
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS, { entries: [{ rank: 0 }] });
    const run = await league('readme', leaderboardPath, readmePath);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/leaderboard\.json: /);
  });

  it('leaves the README as it is and says so when the table is already current', async () => {
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS);
    await league('readme', leaderboardPath, readmePath, '--top', '2');
    const once = await readFile(readmePath, 'utf8');

    const run = await league('readme', leaderboardPath, readmePath, '--top', '2');

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${readmePath} is up to date`);
    expect(await readFile(readmePath, 'utf8')).toBe(once);
  });

  it('inserts the markers and the table after "## Leaderboard" when the README has no markers', async () => {
    const { leaderboardPath, readmePath } = await setup(`${HEAD}${TAIL}`);

    const run = await league('readme', leaderboardPath, readmePath, '--top', '2');

    expect(run.code).toBe(0);
    const readme = await readFile(readmePath, 'utf8');
    const heading = readme.indexOf('## Leaderboard\n');
    const begin = readme.indexOf('<!-- BEGIN_LEADERBOARD -->');
    const end = readme.indexOf('<!-- END_LEADERBOARD -->');
    const rules = readme.indexOf('## Rules');
    expect(heading).toBeGreaterThanOrEqual(0);
    expect(heading).toBeLessThan(begin);
    expect(begin).toBeLessThan(end);
    expect(end).toBeLessThan(rules);
    expect(readme.startsWith(HEAD.trimEnd())).toBe(true);
    expect(readme.endsWith(TAIL)).toBe(true);
    expect(tableRows(readme)).toHaveLength(2);
  });

  it('rejects an invalid leaderboard.json with the field path and leaves the README unchanged', async () => {
    const broken = {
      ...LEADERBOARD,
      results: {
        ...LEADERBOARD.results,
        'team-a-qwen-ft': {
          ...standing('team-a', 0.55, '2025-06-01T10:00:00.000Z'),
          summary: { score: 'high' },
        },
      },
    };
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS, broken);

    const run = await league('readme', leaderboardPath, readmePath, '--top', '2');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(leaderboardPath);
    expect(run.stderr).toContain('results.team-a-qwen-ft.summary.score');
    expect(await readFile(readmePath, 'utf8')).toBe(WITH_MARKERS);
  });

  it('takes the row count from TOP_N when --top is absent', async () => {
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS);
    process.env.TOP_N = '1';

    const run = await league('readme', leaderboardPath, readmePath);

    expect(run.code).toBe(0);
    const rows = tableRows(await readFile(readmePath, 'utf8'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^\| 1 \| team-b \|/);
  });

  it('prefers --top over TOP_N', async () => {
    const { leaderboardPath, readmePath } = await setup(WITH_MARKERS);
    process.env.TOP_N = '1';

    const run = await league('readme', leaderboardPath, readmePath, '--top', '3');

    expect(run.code).toBe(0);
    expect(tableRows(await readFile(readmePath, 'utf8'))).toHaveLength(3);
  });
});
