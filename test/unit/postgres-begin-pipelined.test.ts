import { connect, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// patches/postgres+3.4.9.patch: a transaction's BEGIN goes out with its first statements instead of
// alone, and its answer is awaited with theirs: one round trip less for every transaction. Counted
// here as writes to PostgreSQL's socket, and held to what a transaction must still do: run its
// statements inside it, and take none of them with it when one fails. PGlite does not go through
// postgres.js, so the run on PGlite (no DATABASE_URL) skips it.

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('a postgres.js transaction whose BEGIN is pipelined (patched), on PostgreSQL', () => {
  let writes = 0;
  let sql: postgres.Sql;
  beforeAll(() => {
    const { hostname, port } = new URL(url!);
    // `socket` (the connection's own socket, here with its writes counted) is an option of postgres.js that its types leave out.
    const options = {
      max: 1,
      onnotice: () => {},
      socket: () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(port || 5432), hostname, () => resolve(socket));
          socket.once('error', reject);
          const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
          socket.write = ((...args: unknown[]) => {
            writes += 1;
            return write(...args);
          }) as typeof socket.write;
        }),
    };
    sql = postgres(url!, options);
  });
  afterAll(() => sql.end());

  it('sends BEGIN in the same write as the first statement: two writes for a one-statement transaction', async () => {
    await sql`select 1`;
    const before = writes;
    await sql.begin((tx) => tx`select 1`);
    // BEGIN with the select, then COMMIT: unpatched, BEGIN is written alone and answered first (three).
    expect(writes - before).toBe(2);
  });

  it('runs the statements inside one transaction', async () => {
    const ids = await sql.begin(async (tx) => {
      const [first] = await tx`select txid_current() as id`;
      const [second] = await tx`select txid_current() as id`;
      return [first.id, second.id];
    });
    expect(ids[0]).toBe(ids[1]);
    const [alone] = await sql`select txid_current() as id`;
    expect(alone.id).not.toBe(ids[0]);
  });

  it('keeps nothing of a transaction whose later statement fails, and leaves the connection usable', async () => {
    await sql`create temporary table if not exists begin_patch (n int)`;
    await expect(
      sql.begin(async (tx) => {
        await tx`insert into begin_patch values (1)`;
        await tx`select 1 / 0`;
      }),
    ).rejects.toThrow(/division by zero/);
    await expect(
      sql.begin((tx) => [tx`insert into begin_patch values (2)`, tx`select 1 / 0`]),
    ).rejects.toThrow(/division by zero/);
    const [{ n }] = await sql`select count(*)::int as n from begin_patch`;
    expect(n).toBe(0);
    await sql.begin((tx) => tx`insert into begin_patch values (3)`);
    const [{ kept }] = await sql`select count(*)::int as kept from begin_patch`;
    expect(kept).toBe(1);
  });
});
