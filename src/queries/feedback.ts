import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { signIns } from '../db/schema.js';

/**
 * How many risky sign-ins a bulk action on "all matching" would touch. Exact, unlike the list's
 * bounded count: the admin confirms this number, and it is asked once, not on every page.
 */
export async function countBulkFeedbackTargets(db: Queryable, where: SQL): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, sql`select count(*)::int as n from ${signIns} where ${where}`);
  return Number(row?.n ?? 0);
}
