import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The two web apps, each built into its own `dist/`. */
export const WEB_APPS = ['leaderboard-account/web', 'participant-account/web'] as const;

/** Builds both web apps (once per test run, so browser tests never see a stale build). */
export async function buildWebApps(): Promise<void> {
  for (const app of WEB_APPS) {
    const root = join(REPO, app);
    if (!existsSync(join(root, 'vite.config.ts'))) throw new Error(`${app} has no vite.config.ts`);
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }
}

/** vitest `globalSetup`. */
export default async function setup(): Promise<void> {
  await buildWebApps();
}
