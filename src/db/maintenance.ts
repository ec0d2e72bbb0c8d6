import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

/** Imports of at least this many sign-ins refresh the planner's statistics when they finish. */
export const BULK_IMPORT_ROWS = 10_000;

/**
 * Refreshes the planner's statistics of the tables an import grows. Until autovacuum gets to them,
 * a table that grew from nothing to a million rows still looks empty, and the planner then walks a
 * whole index where a few rows would do: the console's first minutes after a big import are slow.
 */
export async function analyzeAfterBulkImport(db: Db): Promise<void> {
  await db.execute(sql`analyze sign_ins, sign_in_ids, risk_events, directory_users, familiar_locations`);
}
