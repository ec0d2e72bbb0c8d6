import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/http/**/*.test.{ts,tsx}', 'test/cli/**/*.test.{ts,tsx}', 'test/ingest/**/*.test.{ts,tsx}', 'test/hostile/**/*.test.{ts,tsx}', 'test/properties/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
