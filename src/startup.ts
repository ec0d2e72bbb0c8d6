import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { tenants } from './db/schema.js';
import { describeLogins, seedDemo } from './demo/seed.js';

/** Only on an empty embedded database outside production: the demo passwords are public. */
export async function seedDemoOnFirstStart(
  database: Database,
  config: Config,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  if (config.databaseUrl || database.driver !== 'pglite') return;
  const [anyTenant] = await database.db.select({ id: tenants.id }).from(tenants).limit(1);
  if (anyTenant) return;
  if (config.nodeEnv === 'production') {
    write('Empty database: no demo tenants in production (riskdesk demo --force creates them).\n');
    return;
  }
  write('Empty database: creating the demo tenants Contoso and Fabrikam...\n');
  const result = await seedDemo(database.db, { nodeEnv: config.nodeEnv });
  if (!result.created) return;
  write(`Demo tenants ready. Sign in at /login with:\n${describeLogins(result.logins)}\n`);
}
