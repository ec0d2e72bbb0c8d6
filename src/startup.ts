import type { Config } from './config.js';
import type { Database } from './db/client.js';

/**
 * On an empty embedded database the first start creates the demo tenants and prints their logins
 * (PRODUCT.md section 10). With DATABASE_URL the server never creates demo data by itself.
 */
export async function seedDemoOnFirstStart(database: Database, config: Config): Promise<void> {
  if (config.databaseUrl) return;
  // The demo generator lands with ingestion (issue 3) and is called from here.
  void database;
}
