import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

// patches/postgres+3.4.9.patch: postgres.js 3.4.9 skips reserving a transaction's connection when its
// BEGIN fills the connection's pipeline (porsager/postgres#823, #1189). The transaction then fails
// with UNSAFE_TRANSACTION, or its connection goes back to the pool with BEGIN open and unrelated
// queries run inside it. The short soak met it once at 64 connections. This drives postgres.js to
// that boundary on purpose: every connection busy, a short pipeline, transactions among plain queries.

describe.skipIf(!process.env.DATABASE_URL)('postgres.js transactions on a busy pool (PostgreSQL)', () => {
  it('reserve their connection even when BEGIN fills its pipeline', async () => {
    // max_pipeline is an option of postgres.js that its types leave out.
    const options = { max: 3, max_pipeline: 2, onnotice: () => {} };
    const sql = postgres(process.env.DATABASE_URL!, options);
    try {
      for (let round = 0; round < 15; round += 1) {
        // Three connections, each one query running and two pipelined behind it: the pool is full.
        const busy = [1, 2, 3].map(() => sql`select pg_sleep(0.02)`.execute());
        // .execute() sends each now, in this order: a plain query otherwise waits for the next tick, and sql.begin does not.
        const plainQuery = () => sql`select txid_current_if_assigned() as tx`.execute();
        const plain = Array.from({ length: 6 }, plainQuery);
        // Then, queued, two plain queries before each BEGIN: a freed connection takes three, and the BEGIN fills its pipeline.
        const transactions: Promise<readonly [string, string]>[] = [];
        for (let i = 0; i < 4; i += 1) {
          plain.push(plainQuery(), plainQuery());
          transactions.push(
            sql.begin(async (tx) => {
              const [first] = await tx`select txid_current()::text as id`;
              const [second] = await tx`select txid_current()::text as id`;
              return [first.id, second.id] as const;
            }),
          );
        }
        const settled = await Promise.allSettled([...busy, ...plain, ...transactions]);
        expect(settled.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
        const ids = await Promise.all(transactions);
        // Each transaction ran both its statements in one transaction of its own.
        for (const [first, second] of ids) expect(second).toBe(first);
        expect(new Set(ids.map(([first]) => first)).size).toBe(ids.length);
        // No plain query ran inside somebody's transaction.
        for (const rows of await Promise.all(plain)) expect(rows[0].tx).toBeNull();
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 60_000);
});
