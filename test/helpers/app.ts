import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';

/** A clock the test moves by hand. */
export function testClock(start = new Date('2026-11-27T12:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(date: Date) {
      current = date.getTime();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), ...overrides };
}

export function buildTestApp(database: Database, options: { config?: Partial<Config>; now?: () => Date } = {}) {
  return createApp({ database, config: testConfig(options.config), now: options.now ?? (() => new Date()) });
}
