import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { importIpList } from '../../src/lists/ip-lists.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { countRows } from '../helpers/ingest.js';
import { ORIGIN } from '../helpers/session.js';
import { HOUR, PLACES, T0, signIn, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
  await importIpList(database.db, { kind: 'anonymous', name: 'api-test-tor', entries: ['203.0.113.0/24'] });
});
afterAll(() => database.destroy());

async function tenantWithKey(): Promise<{ tenant: Tenant; key: string }> {
  const tenant = await seedTenant(database.db);
  return { tenant, key: await keyFor(database.db, tenant) };
}

const travel = () => [toGraph(signIn({ atMs: T0 })), toGraph(signIn({ atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.9' }))];

describe('POST /api/v1/sign-ins', () => {
  it('ingests a JSON array and counts what it received, inserted, dropped and detected', async () => {
    const { tenant, key } = await tenantWithKey();
    const records = travel();
    const res = await apiPost(app, key, '/api/v1/sign-ins', [...records, records[0]]);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ received: 3, inserted: 2, duplicates: 1 });
    expect(Number(body.riskDetections)).toBeGreaterThan(0);
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(2);
    const [audit] = await rows<{ actor_type: string }>(database.db, sql`select actor_type from audit_log where tenant_id = ${tenant.id} and action like 'riskEvent.%' limit 1`);
    expect(audit?.actor_type).toBe('apiKey');
  });

  it('takes a Graph page {"value": [...]}', async () => {
    const { tenant, key } = await tenantWithKey();
    const res = await apiPost(app, key, '/api/v1/sign-ins', { '@odata.context': 'x', value: travel() });
    expect(await res.json()).toMatchObject({ received: 2, inserted: 2, duplicates: 0 });
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(2);
  });

  it('takes NDJSON', async () => {
    const { tenant, key } = await tenantWithKey();
    const body = `${travel().map((record) => JSON.stringify(record)).join('\n')}\n`;
    const res = await apiPost(app, key, '/api/v1/sign-ins', body, 'application/x-ndjson');
    expect(await res.json()).toMatchObject({ received: 2, inserted: 2 });
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(2);
  });

  it('answers bad JSON with a JSON 400', async () => {
    const { key } = await tenantWithKey();
    const res = await apiPost(app, key, '/api/v1/sign-ins', '[{"id": ');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('not valid JSON');
  });

  it('rejects the whole batch for one bad record, naming its index and field, and writes nothing', async () => {
    const { tenant, key } = await tenantWithKey();
    const records = travel();
    const res = await apiPost(app, key, '/api/v1/sign-ins', [records[0], { ...records[1], createdDateTime: 'yesterday' }]);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'invalidRecord', index: 1, field: 'createdDateTime' });
    expect(error.message).toContain('record 1');
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(0);
    expect(await countRows(database.db, 'directory_users', tenant.id)).toBe(0);
  });

  it('answers 413 past 10,000 records and writes nothing', async () => {
    const { tenant, key } = await tenantWithKey();
    const one = toGraph(signIn({ atMs: T0 }));
    const records = Array.from({ length: 10_001 }, (_, i) => ({ ...one, id: `bulk-${i}` }));
    const res = await apiPost(app, key, '/api/v1/sign-ins', records);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payloadTooLarge');
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(0);
  });

  it('answers 413 to a body over 10 MB, by Content-Length and by streamed size', async () => {
    const { key } = await tenantWithKey();
    const declared = await app.request(`${ORIGIN}/api/v1/sign-ins`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': String(11 * 1024 * 1024) },
      body: '[]',
    });
    expect(declared.status).toBe(413);
    const chunk = new TextEncoder().encode(' '.repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 11) return controller.close();
        controller.enqueue(chunk);
      },
    });
    const streamed = await app.request(`${ORIGIN}/api/v1/sign-ins`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('needs no Origin header (no CSRF check for bearer keys)', async () => {
    const { key } = await tenantWithKey();
    const res = await app.request(`${ORIGIN}/api/v1/sign-ins`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: '[]',
    });
    expect(res.status).toBe(200);
  });
});

describe('POST /api/v1/sign-ins/evaluate', () => {
  it('answers the events of a sign-in from a listed anonymous IP, and the same events for a repeated id', async () => {
    const { tenant, key } = await tenantWithKey();
    const record = toGraph(signIn({ id: 'eval-1', atMs: T0, ipAddress: '203.0.113.50' }));
    const first = await apiPost(app, key, '/api/v1/sign-ins/evaluate', record);
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body.signIn).toEqual({ id: 'eval-1' });
    expect(body.riskDetections.map((event) => event.riskEventType)).toContain('anonymizedIPAddress');
    expect(body.riskDetections[0]).toMatchObject({ requestId: 'eval-1', riskState: 'atRisk' });
    expect(['low', 'medium', 'high']).toContain(body.riskLevel);
    expect(body.decision).toEqual({ userRisk: 'allow', signInRisk: 'allow' });

    const again = await apiPost(app, key, '/api/v1/sign-ins/evaluate', record);
    expect(await again.json()).toEqual(body);
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(1);
    const [events] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from risk_events where tenant_id = ${tenant.id} and request_id = 'eval-1'`);
    expect(events.n).toBe(body.riskDetections.length);
  });

  it('answers a clean sign-in with no events, level none and allow', async () => {
    const { key } = await tenantWithKey();
    const res = await apiPost(app, key, '/api/v1/sign-ins/evaluate', toGraph(signIn({ id: 'eval-clean', atMs: T0 })));
    expect(await res.json()).toMatchObject({ riskDetections: [], riskLevel: 'none', decision: { userRisk: 'allow', signInRisk: 'allow' } });
  });

  it('applies the sign-in risk policy to the sign-in level', async () => {
    const { tenant, key } = await tenantWithKey();
    await database.db.execute(
      sql`insert into policies (tenant_id, kind, enabled, include_all, threshold, control) values (${tenant.id}, 'signInRisk', true, true, 'low', 'requireMfa')`,
    );
    const res = await apiPost(app, key, '/api/v1/sign-ins/evaluate', toGraph(signIn({ id: 'eval-mfa', atMs: T0, ipAddress: '203.0.113.60' })));
    expect((await res.json()).decision).toMatchObject({ signInRisk: 'requireMfa' });
  });

  it("applies the user risk policy to the risk this sign-in just raised, as the decision API then answers", async () => {
    const { tenant, key } = await tenantWithKey();
    await database.db.execute(sql`insert into policies (tenant_id, kind, enabled, include_all, threshold, control) values (${tenant.id}, 'userRisk', true, true, 'low', 'block')`);
    const record = toGraph(signIn({ id: 'eval-user-risk', atMs: T0, ipAddress: '203.0.113.70' }));
    const res = await apiPost(app, key, '/api/v1/sign-ins/evaluate', record);
    const body = await res.json();
    expect(body.riskDetections.length).toBeGreaterThan(0);
    expect(body.decision).toMatchObject({ userRisk: 'block' });
    const decision = await app.request(`/api/v1/risk/users/${encodeURIComponent(String(record.userPrincipalName))}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(await decision.json()).toMatchObject({ decision: 'block' });
  });

  it("answers a known user's risky sign-in with the user risk it raised, not the risk before it", async () => {
    const { tenant, key } = await tenantWithKey();
    await database.db.execute(sql`insert into policies (tenant_id, kind, enabled, include_all, threshold, control) values (${tenant.id}, 'userRisk', true, true, 'low', 'block')`);
    const clean = await (await apiPost(app, key, '/api/v1/sign-ins/evaluate', toGraph(signIn({ id: 'eval-known-1', userId: 'u-known', userPrincipalName: 'known@contoso.com', atMs: T0 })))).json();
    expect(clean).toMatchObject({ riskDetections: [], decision: { userRisk: 'allow' } });
    // The same user an hour later, from an anonymous address: the events, the user's risk recomputed
    // and the answer's reads go out in one round trip, and the answer must come after the recompute.
    const risky = await (await apiPost(app, key, '/api/v1/sign-ins/evaluate', toGraph(signIn({ id: 'eval-known-2', userId: 'u-known', userPrincipalName: 'known@contoso.com', atMs: T0 + HOUR, ipAddress: '203.0.113.71' })))).json();
    expect(risky.riskDetections.map((detection: { [key: string]: unknown }) => detection.requestId)).toContain('eval-known-2');
    expect(risky.decision).toMatchObject({ userRisk: 'block' });
  });

  it('answers a bad sign-in with 400 naming the field', async () => {
    const { key } = await tenantWithKey();
    const res = await apiPost(app, key, '/api/v1/sign-ins/evaluate', { id: 'x', createdDateTime: '2026-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ index: 0, field: 'userPrincipalName' });
    expect((await apiPost(app, key, '/api/v1/sign-ins/evaluate', 'nope')).status).toBe(400);
  });
});
