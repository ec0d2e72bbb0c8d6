import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

/** Imports of at least this many sign-ins refresh the planner's statistics when they finish. */
export const BULK_IMPORT_ROWS = 10_000;

/** Until autovacuum runs, a table that grew from nothing to a million rows looks empty to the planner, which then walks whole indexes. */
export async function analyzeAfterBulkImport(db: Db): Promise<void> {
  await db.execute(sql`analyze sign_ins, sign_in_ids, risk_events, directory_users, familiar_locations`);
}
