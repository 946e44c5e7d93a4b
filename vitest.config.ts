import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{participant-account,leaderboard-account,shared,scripts}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Both web apps are built once per run, so the browser tests never see a stale build.
    globalSetup: ['scripts/test/build-web-apps.ts'],
    testTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
