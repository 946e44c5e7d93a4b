// Preloaded into a benchmarked process (NODE_OPTIONS=--import=...): writes its peak RSS on exit.
import { writeFileSync } from 'node:fs';

const target = process.env.LEAGUE_BENCH_RUSAGE_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
