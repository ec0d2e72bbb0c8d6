import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Db, Queryable } from './client.js';

type Client = postgres.Sql | postgres.TransactionSql;

/**
 * postgres.js as Drizzle sees it, with every statement named: Drizzle sends its queries unnamed
 * (`prepare: false`) unless built with `.prepare()`, so PostgreSQL parses and plans each one again
 * and postgres.js spends a round trip describing it first. Named, a statement is parsed once per
 * connection and later runs are one round trip; postgres.js keys them by their text, which is the
 * same for every request of one filter shape. Transactions and savepoints get the same treatment.
 */
export function namedStatements<T extends Client>(client: T): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (query: string, params?: never[], options?: postgres.UnsafeQueryOptions) => target.unsafe(query, params, { ...options, prepare: true });
      }
      if (key === 'begin' || key === 'savepoint') {
        return (...args: unknown[]) => {
          const body = args.pop() as (inner: Client) => unknown;
          const open = Reflect.get(target, key) as (...a: unknown[]) => unknown;
          return open(...args, (inner: Client) => body(namedStatements(inner)));
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/** The driver's session under a Drizzle database or transaction: its client is postgres.js's or PGlite's, each transaction its own. */
const sessionOf = (db: Queryable) => (db as unknown as { session: { client: unknown } }).session;

/**
 * A query built once with `sql.placeholder`s and `.prepare()`d, then only bound per call: for the
 * hottest reads (the session, the API key, a risk decision), where assembling Drizzle's SQL tree each
 * time cost more than running the statement.
 * Built once per driver, not per database or transaction: a prepared query keeps its text, its
 * parameters and its result mapping, and the driver's client, so inside a transaction it is the same
 * query with the transaction's client in place of the pool's. Built per transaction, an evaluation's
 * reads of the risk decision cost 0.24 ms of CPU each time (BENCHMARKS.md).
 */
export function builtOnce<Q extends object>(build: (db: Db) => Q): (db: Queryable) => Q {
  const byDriver = new Map<unknown, Q>();
  return (db) => {
    const session = sessionOf(db);
    let query = byDriver.get(session.constructor);
    if (query === undefined) {
      query = build(db as Db);
      if (!('client' in query)) throw new Error('builtOnce: the query holds no driver client');
      byDriver.set(session.constructor, query);
    }
    return (query as { client: unknown }).client === session.client ? query : (Object.create(query, { client: { value: session.client } }) as Q);
  };
}

const dialect = new PgDialect();

/**
 * A fragment without parameters (a column list, say) rendered to SQL text once, at start: each
 * column reference in a template costs Drizzle a walk per query, and a 17-column list was as dear
 * as the rest of the list's query together.
 */
export function renderedOnce(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  if (params.length > 0) throw new Error('renderedOnce: the fragment has parameters');
  return sql.raw(text);
}
