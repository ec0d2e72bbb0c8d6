import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/app-env.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openPostgres, rows } from '../../src/db/client.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { MAX_FORM_BYTES, requestGate } from '../../src/http/limits.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { ORIGIN, post, signIn } from '../helpers/session.js';
import { apiPost, keyFor } from '../http/api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

const big = (bytes: number) => 'x'.repeat(bytes);

describe('body size caps', () => {
  it('answer 413 to a console form over 1 MB, before reading it, signed in or not', async () => {
    const login = await app.request(`${ORIGIN}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
      body: `email=a%40b.c&password=${big(MAX_FORM_BYTES)}`,
    });
    expect(login.status).toBe(413);
    expect(await login.text()).toContain('over 1 MB');
    const cookie = await signIn(app, (await seedAdmin(database.db, await seedTenant(database.db))).email);
    for (const path of ['/security/risky-sign-ins/bulk-feedback', '/settings/account/password', '/security/risky-sign-ins/x/feedback', '/logout']) {
      expect((await post(app, cookie, path, { action: 'ignore', filler: big(MAX_FORM_BYTES) })).status, path).toBe(413);
    }
  });

  it('answer 413 in JSON to an API body over its cap, streamed without a Content-Length', async () => {
    const key = await keyFor(database.db, await seedTenant(database.db));
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode(big(512 * 1024)));
        controller.close();
      },
    });
    const res = await app.request(`${ORIGIN}/api/v1/risky-users/dismiss`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payloadTooLarge');
    const tooMany = await apiPost(app, key, '/api/v1/risky-users/dismiss', { userIds: Array.from({ length: 1001 }, (_, i) => `u-${i}`) });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toContain('1 to 1000 user ids');
  });

  it('refuse a bulk selection past 10,000 sign-ins clearly, pointing at "all matching the filter"', async () => {
    const cookie = await signIn(app, (await seedAdmin(database.db, await seedTenant(database.db))).email);
    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'ignore', signInId: Array.from({ length: 10_001 }, (_, i) => `s-${i}`) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Select at most 10,000 sign-ins');
  });

  it('answer 414 to a query string over 8 KB', async () => {
    expect((await app.request(`${ORIGIN}/security/risky-sign-ins?user=${big(9000)}`)).status).toBe(414);
  });

  it('accept a selection of exactly 10,000 sign-ins and count the ones that are not risky sign-ins of the tenant', async () => {
    const cookie = await signIn(app, (await seedAdmin(database.db, await seedTenant(database.db))).email);
    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'ignore', signInId: Array.from({ length: 10_000 }, (_, i) => `s-${i}`) });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!, ORIGIN).searchParams.toString()).toContain('10000');
  });
});

/** Header and URL sizes are the HTTP server's to enforce: the app served the way src/server.ts serves it. */
describe('over a real HTTP connection', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server)) as Server;
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 431 to request headers over 16 KB, and keeps serving', async () => {
    const res = await fetch(`${url}/login`, { headers: { 'X-Filler': big(20 * 1024) } });
    expect(res.status).toBe(431);
    expect((await fetch(`${url}/login`)).status).toBe(200);
  });

  it('answers 431 to a cookie header over 16 KB, signed in or not', async () => {
    const res = await fetch(`${url}/security/risky-sign-ins`, { headers: { Cookie: `riskdesk_session=${big(17 * 1024)}` } });
    expect(res.status).toBe(431);
  });

  it('answers 414 naming the limit to a query string over 8 KB, and 431 to a URL past the header limit', async () => {
    const long = await fetch(`${url}/security/risky-sign-ins?user=${big(9000)}`, { redirect: 'manual' });
    expect(long.status).toBe(414);
    expect(await long.text()).toContain('The query string is over 8 KB');
    expect((await fetch(`${url}/security/risky-sign-ins?user=${big(20 * 1024)}`, { redirect: 'manual' })).status).toBe(431);
  });

  // capBody judges a body with a Content-Length by the header, and the handler then reads it from
  // node's request directly; a body without one is counted as it streams in.
  it('reads an evaluation by its Content-Length or streamed, and answers 413 past 64 KB either way', async () => {
    const key = await keyFor(database.db, await seedTenant(database.db));
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const record = (id: string, filler = '') => ({ id, createdDateTime: '2026-11-20T10:00:00Z', userId: 'u-limits', userPrincipalName: 'limits@contoso.com', ipAddress: '198.51.100.7', status: { errorCode: 0 }, appDisplayName: `App${filler}` });
    const streamOf = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(text);
          for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.subarray(i, i + 16 * 1024));
          controller.close();
        },
      });
    const post = (body: string, streamed: boolean) =>
      fetch(`${url}/api/v1/sign-ins/evaluate`, { method: 'POST', headers, body: streamed ? streamOf(body) : body, ...(streamed ? { duplex: 'half' } : {}) } as RequestInit);

    const declared = await post(JSON.stringify(record('limits-1')), false);
    expect(declared.status).toBe(200);
    expect(await declared.json()).toMatchObject({ signIn: { id: 'limits-1' }, riskLevel: expect.any(String) });
    const streamed = await post(JSON.stringify(record('limits-2')), true);
    expect(streamed.status).toBe(200);
    expect(await streamed.json()).toMatchObject({ signIn: { id: 'limits-2' } });

    for (const isStreamed of [false, true]) {
      const res = await post(JSON.stringify(record('limits-big', big(70 * 1024))), isStreamed);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'payloadTooLarge', message: 'The body is over 64 KB.' });
    }
    const [stored] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from sign_ins where user_id = 'u-limits'`);
    expect(stored.n).toBe(2);
  });
});

describe('the request gate', () => {
  it('serves at most N at once, queues M, and answers 503 with Retry-After past that, without waiting', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated = new Hono<AppEnv>()
      .use(requestGate({ maxInFlight: 2, maxQueued: 1 }, (c) => c.text('busy', 503)))
      .get('/', async (c) => {
        await gate;
        return c.text('ok');
      });
    const first = [1, 2, 3].map(() => gated.request('/'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = await gated.request('/');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('1');
    open();
    expect((await Promise.all(first)).map((res) => res.status)).toEqual([200, 200, 200]);
    expect((await gated.request('/')).status).toBe(200);
  });
});

describe('the statement timeout', () => {
  it('is configurable, 5 s by default, and validated', () => {
    expect(loadConfig({}).statementTimeoutMs).toBe(5000);
    expect(loadConfig({ STATEMENT_TIMEOUT_MS: '250', DB_POOL_SIZE: '4' })).toMatchObject({ statementTimeoutMs: 250, dbPoolSize: 4 });
    expect(() => loadConfig({ STATEMENT_TIMEOUT_MS: '5s' })).toThrow(ConfigError);
    expect(() => loadConfig({ DB_POOL_SIZE: '0' })).toThrow('DB_POOL_SIZE must be a whole number from 1 to 1000, got "0"');
    expect(() => loadConfig({ MAX_QUEUED_REQUESTS: '-1' })).toThrow(ConfigError);
  });

  // PGlite runs in one thread without timers, so PostgreSQL's statement_timeout never fires there.
  it.skipIf(!process.env.DATABASE_URL)('cancels a query that runs past it on PostgreSQL, as an error that answers 503 rather than 500', async () => {
    const limited = openPostgres(process.env.DATABASE_URL!, { max: 1, statementTimeoutMs: 200 });
    try {
      const error = await limited.db.execute(sql`select pg_sleep(2)`).then(() => null, (caught: unknown) => caught);
      expect(error).not.toBeNull();
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(await limited.ping()).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
