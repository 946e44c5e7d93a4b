import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BootstrapIllPosed } from '../../leaderboard-account/ranking/bootstrap.js';
import { PairCountsBuilder } from '../../leaderboard-account/ranking/pair-counts.js';
import {
  AnchorNotRated,
  type RatingReport,
  rateBattles,
  toRatingEntries,
} from '../../leaderboard-account/ranking/rate-battles.js';
import { Battle } from '../../shared/contracts/battle.js';
import type { RatingsFile } from '../../shared/contracts/ratings.js';
import { JsonlError, parseJsonl } from '../../shared/jsonl/parse-jsonl.js';
import { UsageError } from './errors.js';
import { Progress } from './progress.js';
import { formatTable } from './table.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const RANK_USAGE = `usage: league rank BATTLES.jsonl [options]

Bradley-Terry ratings (LMArena scale: 400, base 10, mean 1000) with bootstrap confidence intervals.

  --bootstrap N        bootstrap rounds (default 1000; 0 = no CIs)
  --seed S             PRNG seed (default 0): same input and seed, same output
  --anchor MODEL=R     shift ratings so MODEL has rating R
  --min-evals N        leave out models with fewer than N battles (default 0)
  --prior-sd X         Gaussian prior on ratings, X rating points wide: rates models that
                       never won or never lost (default: none, exact maximum likelihood)
  --significant        rank by the rank upper bound (models whose CIs overlap share a rank)
  --slug NAME          leaderboard slug written to ratings.json (default: overall)
  --out DIR            write DIR/ratings.json (judgearena elo_ratings.json-compatible)
  --quiet              no progress on stderr
`;

export interface CommandIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export async function rankCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      bootstrap: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '0' },
      anchor: { type: 'string' },
      'min-evals': { type: 'string', default: '0' },
      'prior-sd': { type: 'string' },
      significant: { type: 'boolean', default: false },
      slug: { type: 'string', default: 'overall' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(RANK_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one battles file');
  const file = positionals[0] as string;
  const rounds = integerOption('--bootstrap', values.bootstrap, 0);
  const seed = integerOption('--seed', values.seed, 0);
  const minBattles = integerOption('--min-evals', values['min-evals'], 0);
  const priorSd =
    values['prior-sd'] === undefined ? undefined : positiveNumber('--prior-sd', values['prior-sd']);
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);

  const progress = new Progress(io.stderr, !values.quiet);
  const builder = new PairCountsBuilder();
  const judges = new Map<string, number>();
  try {
    for await (const battle of parseJsonl(createReadStream(file, { highWaterMark: 1 << 20 }), Battle, {
      onProgress: (n) => {
        progress.update(`reading battles: ${n.toLocaleString('en-US')} lines`);
      },
    })) {
      builder.add(battle.model_a, battle.model_b, battle.winner);
      if (battle.judge_model) judges.set(battle.judge_model, (judges.get(battle.judge_model) ?? 0) + 1);
    }
  } catch (error) {
    progress.done();
    if (error instanceof JsonlError) throw new UsageError(`${file}:${error.line}: ${error.reason}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory, not a battles file`);
    throw error;
  }
  const counts = builder.build();
  let report: RatingReport;
  try {
    report = rateBattles(counts, {
      bootstrapRounds: rounds,
      seed,
      minBattles,
      significant: values.significant,
      ...(anchor ? { anchor } : {}),
      ...(priorSd !== undefined ? { priorSd } : {}),
      onRound: (done, total) => progress.update(`bootstrap: round ${done}/${total}`),
    });
  } catch (error) {
    // The data cannot be rated as asked: say why, as for any other bad input.
    if (error instanceof AnchorNotRated || error instanceof BootstrapIllPosed)
      throw new UsageError(error.message);
    throw error;
  } finally {
    progress.done();
  }
  io.stdout.write(renderRatings(report, rounds));
  if (builder.selfBattles > 0)
    io.stderr.write(`note: ${builder.selfBattles} battles of a model against itself were left out\n`);
  if (report.redrawnRounds > 0) {
    io.stderr.write(
      `note: ${report.redrawnRounds} bootstrap resamples left a model without a win or a loss and were drawn again\n`,
    );
  }
  if (values.out) {
    const ratings: RatingsFile = {
      slug: values.slug,
      judge_model: mostCommon(judges),
      n_bootstraps: rounds,
      seed,
      ratings: toRatingEntries(report),
      unranked: report.unranked,
    };
    await writeFileAtomic(join(values.out, 'ratings.json'), `${JSON.stringify(ratings, null, 2)}\n`);
  }
  return 0;
}

export function renderRatings(report: RatingReport, rounds: number): string {
  const rows = report.rated.map((r) => [
    String(r.rank),
    String(r.rankUpper),
    r.model,
    r.rating.toFixed(1),
    rounds > 0 ? `+${(r.ciHigh - r.rating).toFixed(1)}/-${(r.rating - r.ciLow).toFixed(1)}` : '-',
    String(r.nBattles),
  ]);
  let out = formatTable(['rank', 'rank UB', 'model', 'rating', '95% CI', 'battles'], rows, [
    'r',
    'r',
    'l',
    'r',
    'l',
    'r',
  ]);
  if (report.unranked.length > 0) {
    out += `\nnot ranked (${report.unranked.length}):\n`;
    for (const u of report.unranked) out += `  ${u.model} (${u.n_battles} battles): ${u.reason}\n`;
  }
  return out;
}

function parseAnchor(text: string): { model: string; rating: number } {
  const at = text.lastIndexOf('=');
  const model = text.slice(0, at);
  const rating = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isFinite(rating) || text.slice(at + 1).trim() === '') {
    throw new UsageError(`--anchor must be MODEL=RATING, got ${JSON.stringify(text)}`);
  }
  return { model, rating };
}

function integerOption(name: string, text: string, min: number): number {
  // Number('') is 0: an unset shell variable must not silently mean "no bootstrap".
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return value;
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}

function mostCommon(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}
