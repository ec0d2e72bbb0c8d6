import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { namedStatements } from './prepared.js';
import * as schema from './schema.js';

/** One Drizzle type over both drivers: PGlite (embedded) and postgres.js (a PostgreSQL server). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Answers whether the database responds, for /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseLimits {
  max?: number;
  /** Milliseconds; every statement of every connection is cancelled past it. */
  statementTimeoutMs?: number;
}

export function openPostgres(url: string, options: DatabaseLimits = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // An unreachable server fails a request in seconds instead of leaving it waiting.
    connect_timeout: 5,
    // postgres.js waits up to 20 s between reconnects by default; requests would hang that long
    // after an outage. A quarter of a second at most keeps answers (503 or the data) prompt.
    backoff: (retries: number) => Math.min(0.05 * retries, 0.25),
    connection: {
      application_name: 'riskdesk',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
  const db = drizzlePostgres(namedStatements(client), { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    ping: () => pingWith(db),
    close: () => client.end({ timeout: 5 }),
  };
}

export function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    ping: () => pingWith(db),
    close: () => client.close(),
  };
}

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  return wrapPglite(client);
}

async function pingWith(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}


/**
 * Hands a query to the driver now rather than when it is first awaited. Drizzle's queries are lazy:
 * awaited, or put in a Promise.all, each reaches the driver a number of microtask turns later that
 * depends on how it was built (a prepared read reached postgres.js before a raw update sent ahead
 * of it, and an evaluation answered with the user's risk from before its own events). Sent with
 * this, queries reach the driver in the order of the calls, and on a transaction's connection both
 * drivers run them in that order: postgres.js pipelines them, PGlite queues them.
 */
export function send<T>(query: { execute(): Promise<T> }): Promise<T> {
  return query.execute();
}

/** Runs raw SQL, sent at once (send), and returns its rows, whichever driver answers (PGlite returns {rows}, postgres.js an array). */
export async function rows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await send(db.execute(query))) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else PGlite under DATA_DIR. */
export async function openDatabase(config: { databaseUrl: string | null; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
