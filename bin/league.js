#!/usr/bin/env node
// The `league` command: a thin launcher for the bundle that `npm install` builds (scripts/build-cli.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The SDK's notice about Node 20 support is for SDK maintainers, not for League organisers.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const bundle = fileURLToPath(new URL('../dist/league.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('league: the CLI is not built yet; run `npm run build` (npm install does it too)\n');
  process.exit(2);
}
const { main } = await import(bundle);
process.exitCode = await main(process.argv.slice(2));
