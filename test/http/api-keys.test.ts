import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { validateApiKey } from '../../src/auth/api-keys.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { PLACES, signIn as signInRecord, HOUR, T0 } from '../helpers/sign-ins.js';
import { apiGet, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

describe('API keys', () => {
  it('refuses a request without a key, with a malformed one, or with a wrong secret, in JSON', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    const wrong = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    for (const candidate of [null, 'nonsense', wrong]) {
      const res = await apiGet(app, candidate, '/api/v1/risk-detections');
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect((await res.json()).error.code).toBe('unauthenticated');
    }
    expect((await apiGet(app, key, '/api/v1/risk-detections')).status).toBe(200);
  });

  it('stores only a hash of the secret and updates last_used_at at most once a minute', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    const id = key.slice(4, 28);
    const [stored] = await rows<{ secret_hash: unknown }>(database.db, sql`select secret_hash from api_keys where id = ${id}`);
    expect(JSON.stringify(stored)).not.toContain(key.slice(29));
    const t = new Date('2026-11-27T12:00:00Z');
    expect((await validateApiKey(database.db, key, t))?.apiKey.lastUsedAt).toEqual(t);
    expect((await validateApiKey(database.db, key, new Date(t.getTime() + 30_000)))?.apiKey.lastUsedAt).toEqual(t);
    const later = new Date(t.getTime() + 61_000);
    expect((await validateApiKey(database.db, key, later))?.apiKey.lastUsedAt).toEqual(later);
  });

  it("shows a key of tenant A only A's risk detections", async () => {
    const a = await seedTenant(database.db);
    const b = await seedTenant(database.db);
    for (const tenant of [a, b]) {
      await ingestSignIns(database.db, tenant, [
        signInRecord({ id: `${tenant.id}-1`, atMs: T0 }),
        signInRecord({ id: `${tenant.id}-2`, atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.7' }),
      ]);
    }
    const body = await (await apiGet(app, await keyFor(database.db, a), '/api/v1/risk-detections')).json();
    expect(body.value.length).toBeGreaterThan(0);
    for (const detection of body.value) expect(detection.requestId).toContain(a.id);
  });

  it('lets a global admin create a key shown once, list it and revoke it; a revoked key answers 401', async () => {
    const tenant = await seedTenant(database.db);
    const cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
    const created = await post(app, cookie, '/settings/api-keys', { name: 'Okta hook' });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const html = await created.text();
    const key = /rdk_[a-z0-9]{24}\.[a-z0-9]{24}/.exec(html)?.[0];
    expect(key).toBeDefined();
    expect((await apiGet(app, key!, '/api/v1/risky-users')).status).toBe(200);

    const list = await (await get(app, cookie, '/settings/api-keys')).text();
    expect(list).toContain('Okta hook');
    expect(list).toContain(key!.slice(4, 28));
    expect(list).not.toContain(key!.slice(29));

    const revoked = await post(app, cookie, `/settings/api-keys/${key!.slice(4, 28)}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await apiGet(app, key!, '/api/v1/risky-users')).status).toBe(401);

    const audit = await rows<{ action: string }>(database.db, sql`select action from audit_log where tenant_id = ${tenant.id} and target_type = 'apiKey' order by at, action`);
    expect(audit.map((entry) => entry.action)).toEqual(['apiKey.created', 'apiKey.revoked']);
  });

  it("answers 404 to revoking another tenant's key, which keeps working", async () => {
    const mine = await seedTenant(database.db);
    const other = await seedTenant(database.db);
    const otherKey = await keyFor(database.db, other);
    const cookie = await signIn(app, (await seedAdmin(database.db, mine, 'global_admin')).email);
    expect((await post(app, cookie, `/settings/api-keys/${otherKey.slice(4, 28)}/revoke`, {})).status).toBe(404);
    expect((await apiGet(app, otherKey, '/api/v1/risky-users')).status).toBe(200);
  });

  it('refuses /settings/api-keys to a security admin', async () => {
    const tenant = await seedTenant(database.db);
    const cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
    expect((await get(app, cookie, '/settings/api-keys')).status).toBe(403);
    expect((await post(app, cookie, '/settings/api-keys', { name: 'x' })).status).toBe(403);
  });

  it('refuses a key without a name', async () => {
    const tenant = await seedTenant(database.db);
    const cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
    const res = await post(app, cookie, '/settings/api-keys', { name: '  ' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('name is required');
  });
});

describe('the API surface', () => {
  it('serves openapi.json without a key, as valid OpenAPI 3.1 JSON naming every endpoint', async () => {
    const res = await apiGet(app, null, '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(await res.text());
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/sign-ins', '/api/v1/sign-ins/evaluate', '/api/v1/risk-detections', '/api/v1/risky-users', '/api/v1/risky-users/dismiss', '/api/v1/risk/users/{upn}']),
    );
  });

  it('answers an unknown API path with a JSON 404, never HTML', async () => {
    const key = await keyFor(database.db, await seedTenant(database.db));
    const res = await apiGet(app, key, '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('notFound');
  });
});
