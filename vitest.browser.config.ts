import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium through playwright-core against a real server.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
