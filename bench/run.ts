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
import {
  QUESTIONS as ADJUSTED_QUESTIONS,
  measureLengthControlled,
  measureStyleControlled,
} from './adjusted-scores.js';
import { formatDetectorCorpus, measureDetectorCorpus } from './detector-corpus.js';
import { generateBattles } from './generate-battles.js';
import { measureJudgePanel, type PanelThroughputRow } from './judge-panel.js';
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

/** A Markdown-ish table, each column padded to its widest cell. */
function table(headers: readonly string[], body: readonly (readonly string[])[]): string {
  const w = headers.map((h, c) => Math.max(h.length, ...body.map((r) => (r[c] ?? '').length)));
  const row = (cells: readonly string[]): string =>
    `| ${cells.map((cell, c) => cell.padEnd(w[c] ?? 0)).join(' | ')} |`;
  return `${[row(headers), row(w.map((n) => '-'.repeat(n))), ...body.map(row)].join('\n')}\n`;
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

// A judge panel: one judge and a two-judge panel side by side, each judge its own emulator and quota.
const PANEL_CASES = [
  { latencyMs: 20, questions: 200 }, // short latency: this process's thread is the limit
  { latencyMs: 100, questions: 100 }, // latency-bound
];
const PANEL_CONCURRENCY = 8;
const PANEL_REPEATS = 3;
const panelRows: string[][] = [];
for (const panelCase of PANEL_CASES) {
  process.stderr.write(
    `measuring judge panel throughput: L=${panelCase.latencyMs} ms, C=${PANEL_CONCURRENCY} per judge\n`,
  );
  const comparison = await measureJudgePanel({
    ...panelCase,
    concurrency: PANEL_CONCURRENCY,
    repeats: PANEL_REPEATS,
  });
  const panelRow = (r: PanelThroughputRow, ratio: string): string[] => [
    String(r.latencyMs),
    String(r.concurrencyPerJudge),
    r.judges === 1 ? '1 judge' : `panel of ${r.judges} (median)`,
    String(r.tasks),
    String(r.calls),
    String(r.failed),
    r.boundTasksPerSecond.toFixed(0),
    r.tasksPerSecond.toFixed(0),
    r.callsPerSecond.toFixed(0),
    (r.tasksPerSecond / r.boundTasksPerSecond).toFixed(2),
    ratio,
  ];
  panelRows.push(panelRow(comparison.single, '1.00 (baseline)'));
  panelRows.push(panelRow(comparison.panel, `${comparison.taskRatio.toFixed(2)}×`));
}
process.stdout.write(
  `\njudge panel throughput (league judging code + Bedrock SDK client; each judge its own Converse emulator in this process; median of ${PANEL_REPEATS} runs, one judge and panel alternating, after a warm-up)\n\n`,
);
process.stdout.write(
  table(
    [
      'latency L (ms)',
      'C per judge',
      'judges',
      'tasks',
      'judge calls',
      'failed',
      'bound C/L tasks/s',
      'tasks/s',
      'calls/s',
      'fraction of bound',
      'tasks/s vs 1 judge (same run)',
    ],
    panelRows,
  ),
);
process.stdout.write(
  '\nA task is one combined judgment (a question in one order); a panel makes a call to each judge per task. ' +
    'Both emulators share this process with the client, so at short latencies the limit is its CPU, not C/L.\n',
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

// Adjusted scores: the length-controlled win rate and style-controlled ratings, each beside the raw
// score computed on the same games with the same rounds. The board runs length control with
// numBootstrap rounds (default 1000) and style control with min(numBootstrap, 200).
const LC_TEAMS = 500;
const LC_ROUNDS = 1000;
const STYLE_MODELS = [100, 300];
const STYLE_ROUNDS = 200;
const STYLE_BUDGET_S = 60;
const adjustedRows: string[][] = [];
const adjustedNotes: string[] = [];
const adjustedRow = (
  what: string,
  entries: string,
  r: { games: number; rounds: number; adjustedMs: number; rawMs: number },
): string[] => [
  what,
  entries,
  String(r.games),
  String(r.rounds),
  (r.adjustedMs / 1000).toFixed(2),
  (r.adjustedMs / r.rounds).toFixed(1),
  (r.rawMs / 1000).toFixed(2),
  `${(r.adjustedMs / r.rawMs).toFixed(1)}×`,
];
process.stderr.write(`measuring the length-controlled win rate: ${LC_TEAMS} teams, ${LC_ROUNDS} rounds\n`);
adjustedRows.push(
  adjustedRow(
    'length-controlled win rate vs raw win rate',
    `${LC_TEAMS} teams`,
    measureLengthControlled(LC_TEAMS, LC_ROUNDS),
  ),
);
for (const wanted of STYLE_MODELS) {
  // A guard for slow machines: the fit alone and a 5-round probe estimate the full run first,
  // and a size that would not finish within the budget is stepped down (by a fifth) until one does.
  let models = wanted;
  let estimateS = 0;
  const overBudget: string[] = [];
  for (;;) {
    const fitMs = measureStyleControlled(models, 0).adjustedMs;
    const probeMs = measureStyleControlled(models, 5).adjustedMs;
    estimateS = (fitMs + ((probeMs - fitMs) / 5) * STYLE_ROUNDS) / 1000;
    if (estimateS < STYLE_BUDGET_S || models <= 25) break;
    overBudget.push(`${models} models (≈ ${estimateS.toFixed(0)} s)`);
    models = Math.floor((models * 0.8) / 25) * 25;
  }
  if (models !== wanted)
    adjustedNotes.push(
      `Style control at ${overBudget.join(', ')} would take over ${STYLE_BUDGET_S} s (estimated from a 5-round probe); ${models} models is the largest size tried that runs within it.`,
    );
  process.stderr.write(`measuring style-controlled ratings: ${models} models, ${STYLE_ROUNDS} rounds\n`);
  const style = measureStyleControlled(models, STYLE_ROUNDS);
  adjustedRows.push(
    adjustedRow('style-controlled rating vs raw Bradley-Terry', `${models} models + reference`, style),
  );
  if (style.adjustedMs / 1000 >= STYLE_BUDGET_S)
    adjustedNotes.push(
      `style control with ${models} models took ${(style.adjustedMs / 1000).toFixed(0)} s, over the ${STYLE_BUDGET_S} s budget.`,
    );
}
process.stdout.write(
  `\nadjusted scores (single-threaded; synthetic seeded games, ${ADJUSTED_QUESTIONS} questions × 2 orders an entry; the raw score on the same games with the same rounds beside it)\n\n`,
);
process.stdout.write(
  table(
    [
      'adjusted score vs raw score',
      'entries',
      'games',
      'bootstrap rounds',
      'adjusted (s)',
      'adjusted ms/round',
      'raw (s)',
      'adjusted vs raw',
    ],
    adjustedRows,
  ),
);
process.stdout.write(
  `\nThe board bootstraps the length-controlled win rate with numBootstrap rounds (default 1000) and style control with min(numBootstrap, 200); style control solves the star of battles against the reference in time linear in the models.${adjustedNotes.length > 0 ? ` ${adjustedNotes.join(' ')}` : ` Every size ran within ${STYLE_BUDGET_S} s.`}\n`,
);

// The injection detector's recall and false-positive rate on its labelled corpus, both splits.
process.stderr.write('measuring the injection detector on its labelled corpus\n');
process.stdout.write(formatDetectorCorpus(measureDetectorCorpus(), table));

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
