import { get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { rows, type Db } from '../../src/db/client.js';
import { EXPORT_BATCH } from '../../src/queries/risky-sign-in-export.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { signIn } from '../helpers/session.js';
import { NOW, ago } from './report-fixtures.js';

// The app served the way src/server.ts serves it, on loopback, and a database that goes away while a
// download is under way: PGlite is closed; on PostgreSQL the test's own database is dropped, which
// ends the pool's connections and refuses new ones. The download spans many keyset pages and more
// bytes than the sockets buffer, so the server is still reading pages when the database goes.
const ROWS = 12 * EXPORT_BATCH;
const PATH = '/security/risky-sign-ins/export.csv';

interface Transfer {
  status: number;
  encoding: string | undefined;
  body: Buffer;
  /** Node's own word: the body ended as HTTP says a whole one ends (the last, zero-length chunk). */
  complete: boolean;
  /** What the client saw go wrong: 'aborted', or the response stream's error. */
  failure: string | null;
}

interface Served {
  url: string;
  cookie: string;
  breakDatabase(): Promise<void>;
  close(): Promise<void>;
}

let served: Served | null = null;
afterEach(async () => {
  await served?.close();
  served = null;
});

/** A database of its own with ROWS risky sign-ins, the app listening on a loopback port, and a reader signed in. */
async function serveExport(): Promise<Served> {
  const database = await createTestDatabase();
  const app = buildTestApp(database, { now: () => NOW });
  const tenant = await seedTenant(database.db, 'premium_p1');
  const cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
  // One statement writes them (insertRisky, 500 rows a statement, took seconds). Each app name is 1 KB of
  // hex that does not repeat, so gzip shrinks the file only about twice and a paused client holds the
  // server back through the zlib stream as well.
  await database.db.execute(sql`
    insert into sign_ins (tenant_id, id, created_date_time, user_id, user_principal_name, user_display_name, app_display_name, ip_address, country_or_region, risk_level, risk_status, risk_event_types, risk_updated_at)
    select ${tenant.id}, 's-' || lpad(n::text, 6, '0'), ${ago(5).toISOString()}::timestamptz - n * interval '1 second', 'user-1', 'alice@contoso.com', 'Alice Archer',
      (select string_agg(md5(n || '-' || i), '') from generate_series(1, 32) as i), '198.51.100.7', 'PT', 'medium', 'active', array['unfamiliarFeatures'], now()
    from generate_series(1, ${ROWS}) as n`);
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server)) as Server;
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cookie,
    breakDatabase: () => (inject('postgresTemplate') ? dropPostgresDatabase(database.db) : database.close()),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await database.destroy().catch(() => {});
    },
  };
}

/** Drops the test's own PostgreSQL database under the server: its connections end, new ones are refused. */
async function dropPostgresDatabase(db: Db): Promise<void> {
  const [{ name }] = await rows<{ name: string }>(db, sql`select current_database() as name`);
  const maintenance = new URL(inject('postgresTemplate'));
  maintenance.pathname = maintenance.pathname === '/postgres' ? '/template1' : '/postgres';
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * A GET with node:http, reading the whole answer. With an outage, reading pauses once `afterBytes` of
 * the body have arrived, while `run` takes the database away, then goes on. Meanwhile the server gets
 * only as far ahead as sockets and streams buffer (about 5 of the 12 pages with Linux's default 4 MB
 * send buffer), so it still has pages to read.
 */
function download(served: Served, headers: Record<string, string>, outage?: { afterBytes: number; run: () => Promise<void> }): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${served.url}${PATH}`, { headers: { Cookie: served.cookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let pending = outage;
      let failure: string | null = null;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (!pending || received < pending.afterBytes) return;
        const { run } = pending;
        pending = undefined;
        res.pause();
        run().then(() => res.resume(), reject);
      });
      res.on('aborted', () => (failure ??= 'aborted'));
      res.on('error', (error) => (failure ??= error.message));
      res.on('close', () =>
        resolve({ status: res.statusCode!, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks), complete: res.complete, failure }),
      );
    });
    request.on('error', reject);
  });
}

function csvLines(body: Buffer): number {
  return body.toString('utf8').split('\r\n').length - 1;
}

describe('a CSV download over a real connection', () => {
  it('ends complete, with status 200 and every row, when nothing goes wrong', async () => {
    served = await serveExport();
    const plain = await download(served, {});
    expect(plain).toMatchObject({ status: 200, complete: true, failure: null, encoding: undefined });
    expect(csvLines(plain.body)).toBe(ROWS + 1);
    const gzipped = await download(served, { 'Accept-Encoding': 'gzip' });
    expect(gzipped).toMatchObject({ status: 200, complete: true, failure: null, encoding: 'gzip' });
    expect(csvLines(gunzipSync(gzipped.body))).toBe(ROWS + 1);
  });

  it('is cut off, not ended, when the database goes away part-way', async () => {
    served = await serveExport();
    // A page is about 2.4 MB: the database goes once the first has arrived.
    const transfer = await download(served, {}, { afterBytes: 3_000_000, run: served.breakDatabase });
    expect(transfer.status).toBe(200);
    expect(csvLines(transfer.body)).toBeGreaterThan(EXPORT_BATCH);
    expect(csvLines(transfer.body)).toBeLessThan(ROWS + 1);
    expect(transfer.complete, 'the body ended as a whole one').toBe(false);
    expect(transfer.failure).not.toBeNull();
  });

  it('is cut off, not ended, when the database goes away part-way through a gzipped download', async () => {
    served = await serveExport();
    // About a page, gzipped to half.
    const transfer = await download(served, { 'Accept-Encoding': 'gzip' }, { afterBytes: 1_200_000, run: served.breakDatabase });
    expect(transfer).toMatchObject({ status: 200, encoding: 'gzip' });
    expect(transfer.complete, 'the body ended as a whole one').toBe(false);
    expect(transfer.failure).not.toBeNull();
    // What arrived is not a whole gzip file either: a client that unpacks it is told so.
    expect(() => gunzipSync(transfer.body)).toThrow();
  });
});
