import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Admin, Tenant } from './db/schema.js';

/** What createApp needs from the outside world; tests pass their own database and clock. */
export interface AppDeps {
  database: Database;
  config: Config;
  /** The current time; injectable so session expiry and retention can be tested. */
  now?: () => Date;
}

export interface AppEnv {
  Variables: {
    deps: Required<AppDeps>;
    admin: Admin;
    tenant: Tenant;
    sessionId: string;
  };
}
