import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { publicDir } from '../../views/assets.js';
import { rows } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp } from '../helpers/app.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

describe('the schema', () => {
  it('has every table the data model names', async () => {
    const tables = await rows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = current_schema()`,
    );
    const names = tables.map((t) => t.table_name);
    for (const table of [
      'tenants', 'admins', 'recovery_codes', 'sessions', 'login_attempts', 'directory_users', 'sign_ins', 'sign_in_ids',
      'risk_events', 'familiar_locations', 'ip_lists', 'ip_list_entries', 'leak_list_entries', 'trusted_locations',
      'policies', 'api_keys', 'webhooks', 'webhook_deliveries', 'audit_log',
    ]) {
      expect(names).toContain(table);
    }
  });

  it('starts every key of a tenant-owned table with tenant_id', async () => {
    const keys = await rows<{ table_name: string; constraint_type: string; first_column: string }>(
      database.db,
      sql`select tc.table_name, tc.constraint_type, kcu.column_name as first_column
          from information_schema.table_constraints tc
          join information_schema.key_column_usage kcu
            on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema and kcu.ordinal_position = 1
          where tc.table_schema = current_schema() and tc.constraint_type in ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')`,
    );
    const installWide = ['tenants', 'admins', 'recovery_codes', 'sessions', 'login_attempts', 'ip_lists', 'ip_list_entries', 'api_keys'];
    const tenantOwned = keys.filter((k) => !installWide.includes(k.table_name));
    expect(tenantOwned.length).toBeGreaterThan(10);
    for (const key of tenantOwned) expect({ table: key.table_name, first: key.first_column }).toEqual({ table: key.table_name, first: 'tenant_id' });
  });

  it('applies migrations again without changing anything', async () => {
    await migrate(database);
    const [count] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(count.n).toBeGreaterThanOrEqual(2);
  });

  it('matches an IP against a CIDR list entry', async () => {
    const [hit] = await rows<{ inside: boolean }>(database.db, sql`select '203.0.113.7'::inet <<= '203.0.113.0/26'::cidr as inside`);
    expect(hit.inside).toBe(true);
  });
});

describe('GET /healthz', () => {
  it('answers 200 ok while the database answers', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('answers 503 when the database does not answer', async () => {
    const broken = buildTestApp({ ...database, ping: async () => false });
    const res = await broken.request('/healthz');
    expect(res.status).toBe(503);
  });
});

describe('security headers', () => {
  it('sends a CSP without inline script, no framing, nosniff and a strict referrer policy', async () => {
    const res = await app.request('/login');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });
});

describe('pages', () => {
  it('renders the login page with a form that posts email and password', async () => {
    const res = await app.request('/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/login"/);
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).toMatch(/<script src="\/static\/htmx\.min\.js\?v=[0-9a-f]+"/);
  });

  it('answers an unknown address with a 404 page that reveals nothing internal', async () => {
    const res = await app.request('/static/no-such-file.js');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Not found');
    expect(html).not.toMatch(/at .*\.ts:\d+/);
  });

  it('serves static files with a year of caching when the URL carries a version', async () => {
    const res = await app.request('/static/htmx.min.js?v=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age=31536000');
    expect(res.headers.get('content-type')).toContain('javascript');
  });

  it('serves static files precompressed: brotli when accepted, else gzip, else as they are', async () => {
    const original = readFileSync(`${publicDir}/htmx.min.js`);
    const br = await app.request('/static/htmx.min.js?v=1', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).equals(original)).toBe(true);
    const gzip = await app.request('/static/htmx.min.js?v=1', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).equals(original)).toBe(true);
    const plain = await app.request('/static/htmx.min.js?v=1');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);
  });

  it('gzips a page once for clients that accept it and leaves tiny bodies alone', async () => {
    const page = await app.request('/login', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(page.headers.get('content-encoding')).toBe('gzip');
    expect(page.headers.get('vary')).toContain('Accept-Encoding');
    expect(page.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(Number(page.headers.get('content-length'))).toBe((await page.clone().arrayBuffer()).byteLength);
    const unzipped = gunzipSync(Buffer.from(await page.arrayBuffer())).toString('utf8');
    expect(unzipped).toContain('</html>');
    const plainPage = await app.request('/login');
    expect(plainPage.headers.get('content-encoding')).toBeNull();
    expect((await plainPage.text()).replace(/name="csrf[^"]*" value="[^"]*"/g, '')).toBe(unzipped.replace(/name="csrf[^"]*" value="[^"]*"/g, ''));
    const missing = await app.request('/no/such/page', { headers: { 'Accept-Encoding': 'gzip', Accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await missing.arrayBuffer())).toString('utf8')).toContain('</html>');
    const tiny = await app.request('/healthz', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(tiny.headers.get('content-encoding')).toBeNull();
    expect(await tiny.text()).toBe('ok');
  });

  it('gzips JSON once for clients that accept it, the same JSON, and leaves a small answer alone', async () => {
    const zipped = await app.request('/api/v1/openapi.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-type')).toBe('application/json');
    expect(zipped.headers.get('vary')).toContain('Accept-Encoding');
    expect(Number(zipped.headers.get('content-length'))).toBe((await zipped.clone().arrayBuffer()).byteLength);
    const plain = await app.request('/api/v1/openapi.json');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toContain('Accept-Encoding');
    expect(JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8'))).toEqual(await plain.json());
    const small = await app.request('/api/v1/risky-users', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.status).toBe(401);
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(small.headers.get('content-type')).toBe('application/json');
    expect(small.headers.get('vary')).toContain('Accept-Encoding');
    expect(((await small.json()) as { error: unknown }).error).toMatchObject({ code: 'unauthenticated' });
  });

  it('answers a query string over 8 KB with 414', async () => {
    const res = await app.request(`/login?next=${'a'.repeat(9000)}`);
    expect(res.status).toBe(414);
  });
});
