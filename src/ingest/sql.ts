import { sql, type SQL } from 'drizzle-orm';

/**
 * Rows travel to PostgreSQL as one JSON parameter, unpacked with json_to_recordset: one statement
 * for thousands of rows, no parameter limit, and the same SQL on PGlite and postgres.js.
 */
export const jsonParam = (value: unknown): SQL => sql`${JSON.stringify(value)}::json`;

/** Epoch milliseconds of a timestamptz column, as a float8 both drivers return as a number. */
export const epochMs = (column: SQL): SQL => sql`(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The tenant's id as an uncorrelated subquery, for a statement that joins a batch's keys to the
 * tenant's rows. Written as a literal, PostgreSQL estimates the tenant's rows from the last ANALYZE:
 * a tenant newer than it (or than autovacuum's last pass) is "one row", and every index that starts
 * with tenant_id then looks as good as the right one, so each probe scanned the whole tenant (the
 * late-arrival check read all 100,000 sign-ins of a new tenant for each batch of 1,000). As a
 * subquery its value is unknown when planning, the estimate is an average tenant's, and each key
 * is one probe of the index that fits it.
 */
export const tenantParam = (tenantId: string): SQL => sql`(select ${tenantId}::uuid)`;

export const iso = (at: number | Date) => new Date(at).toISOString();

/** Splits rows into chunks so one statement's JSON stays a few megabytes. */
export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Sends one statement per chunk without waiting for an answer before building the next chunk's JSON:
 * postgres.js pipelines them on the connection, so the database works on one chunk while the next is built.
 */
export async function executeInChunks<T, R>(items: T[], size: number, statement: (part: T[]) => PromiseLike<R>): Promise<R[]> {
  const answers: Promise<R>[] = [];
  for (const part of chunk(items, size)) {
    const answer = Promise.resolve(statement(part));
    // A failure surfaces from Promise.all below, once every chunk is sent.
    answer.catch(() => {});
    answers.push(answer);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Promise.all(answers);
}
