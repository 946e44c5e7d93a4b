import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{participant-account,leaderboard-account,shared,scripts}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
