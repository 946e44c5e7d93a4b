// Bundles the `league` CLI to dist/league.js with esbuild (dependencies stay in node_modules).
// Runs on `npm install`/`npm ci` through the `prepare` script, so `npx league` works right away.
import { build } from 'esbuild';

await build({
  entryPoints: ['scripts/league/main.ts'],
  outfile: 'dist/league.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
