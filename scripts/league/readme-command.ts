import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { resultsFromBoard, sortedResults } from '../../leaderboard-account/ranking/leaderboard-file.js';
import { renderTopTable, replaceLeaderboardSection } from '../../leaderboard-account/ranking/readme-table.js';
import { LeaderboardFile, type LeaderboardResult } from '../../shared/contracts/leaderboard-file.js';
import { Snapshot } from '../../shared/contracts/snapshot.js';
import { describeZodError } from '../../shared/jsonl/parse-jsonl.js';
import { UsageError } from './errors.js';
import type { CommandIo } from './rank-command.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const README_USAGE = `usage: league readme LEADERBOARD.json README.md [--top N]

Writes the Top-N table between <!-- BEGIN_LEADERBOARD --> and <!-- END_LEADERBOARD --> in README.md.
Without the markers, they are inserted after the "## Leaderboard" heading, or at the top.
LEADERBOARD.json is the site's published data/leaderboard.json (or a data/boards/ file), or a
{lastUpdated, results} file as \`league rank\` upserts it.

  --top N    rows in the table (default: the TOP_N environment variable, else 10)
`;

export async function readmeCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { top: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout.write(README_USAGE);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('expected LEADERBOARD.json and README.md');
  const [leaderboardPath, readmePath] = positionals as [string, string];
  const fromEnvironment =
    values.top === undefined && process.env.TOP_N !== undefined && process.env.TOP_N !== '';
  const topText = values.top ?? (fromEnvironment ? (process.env.TOP_N as string) : '10');
  const topN = /^\s*\d+\s*$/.test(topText) ? Number(topText) : Number.NaN;
  if (!Number.isSafeInteger(topN) || topN < 1) {
    const source = fromEnvironment ? 'TOP_N' : '--top';
    throw new UsageError(`${source} must be a positive integer, got ${JSON.stringify(topText)}`);
  }

  const results = resultsOf(leaderboardPath, await readJson(leaderboardPath));
  const readme = await readText(readmePath);
  let updated: string;
  try {
    updated = replaceLeaderboardSection(readme, renderTopTable(results, { topN }));
  } catch (error) {
    throw new UsageError(`${readmePath}: ${(error as Error).message}`);
  }
  if (updated !== readme) await writeFileAtomic(readmePath, updated);
  io.stderr.write(updated === readme ? `${readmePath} is up to date\n` : `updated ${readmePath}\n`);
  return 0;
}

/** A published board, as the site reads it; its team names are optional. */
const PublishedBoard = Snapshot.extend({ teamNames: z.record(z.string(), z.string()).optional() });

/** The results in rank order, from either file format (the error names the format it looks most like). */
function resultsOf(path: string, json: unknown): LeaderboardResult[] {
  const isBoard = typeof json === 'object' && json !== null && 'entries' in json;
  if (isBoard) {
    const board = PublishedBoard.safeParse(json);
    if (!board.success) throw new UsageError(`${path}: ${describeZodError(board.error)}`);
    return resultsFromBoard(board.data, board.data.teamNames);
  }
  const file = LeaderboardFile.safeParse(json);
  if (!file.success) throw new UsageError(`${path}: ${describeZodError(file.error)}`);
  return sortedResults(file.data);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    throw error;
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}
