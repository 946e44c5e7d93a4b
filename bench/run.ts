/**
 * `npm run bench`: the ranking engine's speed and memory, printed as a table.
 *
 * For each generated dataset it measures, each in a fresh process:
 *  - the whole `league rank FILE --bootstrap 1000 --out DIR --quiet` run (the built CLI, as a user runs it),
 *  - the bootstrap phase alone, on pre-aggregated counts,
 *  - side by side, a few rounds of the textbook bootstrap (resample every battle row, refit cold),
 *    to give the speed-up per round.
 * Wall time is the parent's clock around the child; peak memory is the child's own maxRSS.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PairCountsBuilder } from '../leaderboard-account/ranking/pair-counts.js';
import { Battle } from '../shared/contracts/battle.js';
import { parseJsonl } from '../shared/jsonl/parse-jsonl.js';
import { generateBattles } from './generate-battles.js';
import { measureJudgeThroughput } from './judge-throughput.js';
import { measureLeaderboardUpdate } from './leaderboard-update.js';
import { formatSiteRender, measureSiteRender } from './site-render.js';
import { formatStartup, measureStartup } from './startup.js';
import {
  measureValidationThroughput,
  VALIDATION_MEMORY_TARGET_MB,
  VALIDATION_RATIO_TARGET,
} from './validation-throughput.js';

interface Dataset {
  readonly name: string;
  readonly battles: number;
  readonly models: number;
  readonly targetWholeS: number;
  readonly naiveRounds: number;
}

const DATASETS: Dataset[] = [
  { name: '100k battles / 50 models', battles: 100_000, models: 50, targetWholeS: 2, naiveRounds: 20 },
  { name: '1M battles / 130 models', battles: 1_000_000, models: 130, targetWholeS: 15, naiveRounds: 5 },
];
const ROUNDS = 1000;
const MEMORY_TARGET_MB = 1024;

const root = new URL('..', import.meta.url).pathname;
const dataDir = join(root, 'bench', '.data');
mkdirSync(dataDir, { recursive: true });
const probe = join(root, 'bench', 'rusage-probe.mjs');
const phaseBundle = join(dataDir, 'bootstrap-phase.js');
await build({
  entryPoints: [join(root, 'bench', 'bootstrap-phase.ts')],
  outfile: phaseBundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

function runMeasured(args: string[]): { wallS: number; peakMb: number; stdout: string } {
  const work = mkdtempSync(join(tmpdir(), 'league-bench-'));
  const rusageFile = join(work, 'rusage.json');
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [`--import=${probe}`, ...args], {
    env: { ...process.env, LEAGUE_BENCH_RUSAGE_FILE: rusageFile },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`benchmark child failed (${child.status}): ${child.stderr}`);
  const { maxRssKiB } = JSON.parse(readFileSync(rusageFile, 'utf8')) as { maxRssKiB: number };
  rmSync(work, { recursive: true, force: true });
  return { wallS, peakMb: maxRssKiB / 1024, stdout: child.stdout };
}

const rows: string[][] = [];
for (const dataset of DATASETS) {
  const file = join(dataDir, `battles-${dataset.battles}-${dataset.models}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${dataset.name} → ${file}\n`);
    await generateBattles(file, dataset.battles, dataset.models, 7);
  }
  process.stderr.write(`measuring ${dataset.name}\n`);
  const out = mkdtempSync(join(tmpdir(), 'league-bench-out-'));
  const whole = runMeasured([
    join(root, 'bin', 'league.js'),
    'rank',
    file,
    '--bootstrap',
    String(ROUNDS),
    '--seed',
    '0',
    '--out',
    out,
    '--quiet',
  ]);
  rmSync(out, { recursive: true, force: true });

  const builder = new PairCountsBuilder();
  for await (const battle of parseJsonl(createReadStream(file), Battle))
    builder.add(battle.model_a, battle.model_b, battle.winner);
  const counts = builder.build();
  const countsFile = join(dataDir, `counts-${dataset.battles}-${dataset.models}.json`);
  writeFileSync(
    countsFile,
    JSON.stringify({
      models: counts.models,
      i: [...counts.i],
      j: [...counts.j],
      winsI: [...counts.winsI],
      winsJ: [...counts.winsJ],
      ties: [...counts.ties],
    }),
  );
  const phase = runMeasured([phaseBundle, countsFile, String(ROUNDS), String(dataset.naiveRounds)]);
  const { bootstrapMs, naiveMsPerRound } = JSON.parse(phase.stdout) as {
    bootstrapMs: number;
    naiveMsPerRound: number;
  };
  const oursPerRound = bootstrapMs / ROUNDS;
  const ok = whole.wallS < dataset.targetWholeS && whole.peakMb < MEMORY_TARGET_MB;
  rows.push([
    dataset.name,
    `${ROUNDS}`,
    `${counts.i.length}`,
    whole.wallS.toFixed(2),
    whole.peakMb.toFixed(0),
    (bootstrapMs / 1000).toFixed(2),
    phase.peakMb.toFixed(0),
    `${oursPerRound.toFixed(2)} vs ${naiveMsPerRound.toFixed(1)} (${(naiveMsPerRound / oursPerRound).toFixed(0)}×)`,
    `< ${dataset.targetWholeS} s, < ${MEMORY_TARGET_MB} MB: ${ok ? 'met' : 'MISSED'}`,
  ]);
}

const headers = [
  'dataset',
  'rounds',
  'pairs',
  'whole run (s)',
  'whole peak (MB)',
  'bootstrap (s)',
  'bootstrap peak (MB)',
  'ms/round: ours vs row-resampling',
  'target',
];
const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
const line = (cells: string[]): string =>
  `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
process.stdout.write(
  `\nleague rank benchmark (node ${process.version}, single-threaded; whole run = the built CLI end to end)\n\n`,
);
process.stdout.write(
  `${[line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`,
);

// The judge: achieved judgments a minute against the emulator, as a fraction of min(R, C / L).
const JUDGE_CASES = [
  { requestsPerMinute: 2400, latencyMs: 50, concurrency: 8, judgments: 400, pacing: true }, // quota-bound
  { requestsPerMinute: 6000, latencyMs: 200, concurrency: 8, judgments: 400, pacing: true }, // concurrency-bound
  // Side by side: the quota-bound case without client-side pacing, left to the SDK's adaptive retries.
  { requestsPerMinute: 2400, latencyMs: 50, concurrency: 8, judgments: 400, pacing: false },
];
const judgeRows: string[][] = [];
for (const judgeCase of JUDGE_CASES) {
  process.stderr.write(
    `measuring judge throughput: R=${judgeCase.requestsPerMinute}/min, L=${judgeCase.latencyMs} ms, C=${judgeCase.concurrency}\n`,
  );
  const result = await measureJudgeThroughput(judgeCase);
  judgeRows.push([
    String(result.requestsPerMinute),
    String(result.latencyMs),
    String(result.concurrency),
    result.pacing ? 'paced at 0.95 R' : 'SDK retries only',
    String(result.judgments),
    result.boundPerMinute.toFixed(0),
    result.achievedPerMinute.toFixed(0),
    result.fraction.toFixed(3),
    String(result.throttled),
    result.tokensPerJudgment.toFixed(0),
    result.pacing ? (result.fraction >= 0.9 ? 'met (≥ 0.9)' : 'MISSED (< 0.9)') : 'comparison',
  ]);
}
const judgeHeaders = [
  'quota R (req/min)',
  'latency L (ms)',
  'concurrency C',
  'client',
  'judgments',
  'bound min(R, C/L) /min',
  'achieved /min',
  'fraction',
  'throttled',
  'tokens/judgment',
  'target',
];
const judgeWidths = judgeHeaders.map((h, c) =>
  Math.max(h.length, ...judgeRows.map((r) => (r[c] ?? '').length)),
);
const judgeLine = (cells: string[]): string =>
  `| ${cells.map((cell, c) => cell.padEnd(judgeWidths[c] ?? 0)).join(' | ')} |`;
process.stdout.write(
  '\njudge throughput (league judging code + Bedrock SDK client against the Converse emulator)\n\n',
);
process.stdout.write(
  `${[judgeLine(judgeHeaders), judgeLine(judgeWidths.map((w) => '-'.repeat(w))), ...judgeRows.map(judgeLine)].join('\n')}\n`,
);

// The leaderboard update path: record one judged evaluation and republish, 500 teams on the board.
process.stderr.write('measuring the leaderboard update path with 500 teams\n');
const update = await measureLeaderboardUpdate(500, 5);
process.stdout.write(
  `\nleaderboard update path (local S3; NUM_BOOTSTRAP 1000; 24 questions, ${update.boards} boards)\n\n` +
    '| teams on the board | record one evaluation and republish (median of 5) | of which: compute every board |\n' +
    '| --- | --- | --- |\n' +
    `| ${update.teams} | ${(update.recordMs / 1000).toFixed(2)} s | ${(update.computeBoardsMs / 1000).toFixed(2)} s |\n`,
);

// Testing-data validation throughput next to plain JSON.parse of the same lines.
process.stderr.write('measuring testing-data validation throughput (200 MB file)\n');
const validation = await measureValidationThroughput(200);
const validationOk =
  validation.ratio >= VALIDATION_RATIO_TARGET && validation.peakRssMb < VALIDATION_MEMORY_TARGET_MB;
process.stdout.write(
  `\ntesting-data validation (${validation.mb.toFixed(0)} MB valid file, 64 KiB reads, median of 3 runs, each in a fresh process)\n\n` +
    '| validate (MB/s) | split + JSON.parse (MB/s) | ratio | validate peak (MB) | target |\n' +
    '| --------------- | ------------------------- | ----- | ------------------ | ------ |\n' +
    `| ${validation.validateMbPerS.toFixed(0)} | ${validation.jsonParseMbPerS.toFixed(0)} | ${validation.ratio.toFixed(2)} | ${validation.peakRssMb.toFixed(0)} | ≥ ${VALIDATION_RATIO_TARGET}×, < ${VALIDATION_MEMORY_TARGET_MB} MB: ${validationOk ? 'met' : 'MISSED'} |\n`,
);

// The public site: the leaderboard page rendering 1,000 teams in headless Chromium.
process.stderr.write('measuring the leaderboard page with 1,000 teams in headless Chromium\n');
process.stdout.write(formatSiteRender(await measureSiteRender()));

// npm start: the whole local League, from spawn until both apps answer, `ready in` and the judged board.
process.stderr.write('measuring npm start: 3 fresh starts, each followed by a restart\n');
process.stdout.write(formatStartup(await measureStartup()));
