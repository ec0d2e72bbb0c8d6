import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { giveBulkFeedback } from '../../src/actions/feedback-bulk.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { HOUR, PLACES, signIn as signInRecord, T0 } from '../helpers/sign-ins.js';
import { apiGet, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

function travellers(tenant: Tenant, users: number, prefix: string) {
  return Array.from({ length: users }, (_, i) => [
    signInRecord({ id: `${tenant.id}-${prefix}${i}-a`, userId: `${prefix}${i}`, userPrincipalName: `${prefix}${i}@contoso.com`, atMs: T0 }),
    signInRecord({ id: `${tenant.id}-${prefix}${i}-b`, userId: `${prefix}${i}`, userPrincipalName: `${prefix}${i}@contoso.com`, atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.7' }),
  ]).flat();
}

interface Detection {
  id: string;
  riskState: string;
}

/** Follows @odata.nextLink to the end; answers every item in order and the deltaLink. */
async function readFeed(key: string, start: string, between?: (page: number) => Promise<void>): Promise<{ items: Detection[]; deltaLink: string; pages: number }> {
  const items: Detection[] = [];
  let url = start;
  for (let pages = 1; ; pages++) {
    const res = await apiGet(app, key, url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as unknown as { value: Detection[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
    items.push(...body.value);
    if (body['@odata.deltaLink']) {
      expect(body['@odata.nextLink']).toBeUndefined();
      return { items, deltaLink: body['@odata.deltaLink'], pages };
    }
    url = body['@odata.nextLink']!;
    await between?.(pages);
  }
}

async function eventIds(tenantId: string): Promise<string[]> {
  return (await rows<{ id: string }>(database.db, sql`select id from risk_events where tenant_id = ${tenantId} order by id`)).map((row) => row.id);
}

/** Users flying Seattle <-> Tokyo every hour: nearly every sign-in raises a detection. */
function commuters(tenant: Tenant, users: number, trips: number, prefix: string) {
  return Array.from({ length: users }, (_, u) =>
    Array.from({ length: trips }, (_, t) =>
      signInRecord({
        id: `${tenant.id}-${prefix}${u}-${t}`,
        userId: `${prefix}${u}`,
        userPrincipalName: `${prefix}${u}@contoso.com`,
        atMs: T0 + t * HOUR,
        place: t % 2 === 0 ? PLACES.seattle : PLACES.tokyo,
        ipAddress: t % 2 === 0 ? '10.0.0.1' : '198.51.100.7',
      }),
    ),
  ).flat();
}

describe('GET /api/v1/risk-detections/delta', () => {
  it('pages through thousands of detections without loss or repeats, then returns exactly the later changes', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    for (let batch = 0; batch < 2; batch++) await ingestSignIns(database.db, tenant, commuters(tenant, 10, 210, `b${batch}u`));
    const all = await eventIds(tenant.id);
    expect(all.length).toBeGreaterThan(2000);

    const first = await readFeed(key, '/api/v1/risk-detections/delta?$top=500');
    expect(first.pages).toBe(Math.ceil((all.length + 1) / 500));
    expect(first.items.map((item) => item.id).sort()).toEqual(all);
    expect(new Set(first.items.map((item) => item.id)).size).toBe(all.length);
    expect(first.deltaLink).toMatch(/^http:\/\/localhost\/api\/v1\/risk-detections\/delta\?%24deltatoken=d1\./);

    const idle = await readFeed(key, first.deltaLink);
    expect(idle.items).toEqual([]);

    const resolved = await giveBulkFeedback(database.db, { tenantId: tenant.id, signInIds: Array.from({ length: 150 }, (_, i) => `${tenant.id}-b1u${i % 10}-${2 * Math.floor(i / 10) + 1}`), action: 'resolve', actor: SYSTEM, now: new Date() });
    expect(resolved.changed).toBe(150);
    await ingestSignIns(database.db, tenant, travellers(tenant, 50, 'late'));
    const changedIds = (
      await rows<{ id: string }>(database.db, sql`select id from risk_events where tenant_id = ${tenant.id} and (status <> 'active' or user_id like 'late%') order by id`)
    ).map((row) => row.id);
    const later = await readFeed(key, idle.deltaLink);
    expect(later.items.map((item) => item.id).sort()).toEqual(changedIds);
    expect(later.items.filter((item) => item.riskState === 'dismissed')).toHaveLength(150);
  }, 120_000);

  it('keeps a change made while a client pages: each change shows up after it happened, nothing is lost', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    await ingestSignIns(database.db, tenant, travellers(tenant, 200, 'u'));
    const all = await eventIds(tenant.id);
    const touched: string[] = [];
    const { items } = await readFeed(key, '/api/v1/risk-detections/delta?$top=100', async (page) => {
      if (page !== 1) return;
      // One sign-in already read on page 1, one not read yet.
      const signInIds = [`${tenant.id}-u0-b`, `${tenant.id}-u199-b`];
      await giveBulkFeedback(database.db, { tenantId: tenant.id, signInIds, action: 'ignore', actor: SYSTEM, now: new Date() });
      touched.push(...(await rows<{ id: string }>(database.db, sql`select id from risk_events where tenant_id = ${tenant.id} and status <> 'active'`)).map((row) => row.id));
    });
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(all));
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    for (const id of repeated) expect(touched).toContain(id);
    for (const id of touched) expect(items.filter((item) => item.id === id).at(-1)?.riskState).toBe('dismissed');
  });

  it.runIf(process.env.DATABASE_URL)("waits for a transaction still running rather than skip the change it will commit", async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    await ingestSignIns(database.db, tenant, travellers(tenant, 2, 'u'));
    const { deltaLink } = await readFeed(key, '/api/v1/risk-detections/delta');
    let seenWhileOpen: Detection[] = [];
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`update risk_events set risk_detail = 'slow' where tenant_id = ${tenant.id} and user_id = 'u0'`);
      // A later transaction commits while this one is still open.
      await database.db.execute(sql`update risk_events set risk_detail = 'fast' where tenant_id = ${tenant.id} and user_id = 'u1'`);
      seenWhileOpen = (await readFeed(key, deltaLink)).items;
    });
    expect(seenWhileOpen).toEqual([]);
    const after = await readFeed(key, deltaLink);
    expect(after.items.map((item) => item.id).sort()).toEqual(await eventIds(tenant.id));
  });

  it('starts from now with $deltatoken=latest and refuses a token it did not issue', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    await ingestSignIns(database.db, tenant, travellers(tenant, 3, 'old'));
    const latest = await readFeed(key, '/api/v1/risk-detections/delta?$deltatoken=latest');
    expect(latest.items).toEqual([]);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'new'));
    const fresh = await readFeed(key, latest.deltaLink);
    expect(fresh.items.length).toBeGreaterThan(0);
    expect(fresh.items.every((item) => item.id !== undefined)).toBe(true);
    const res = await apiGet(app, key, '/api/v1/risk-detections/delta?$deltatoken=forged');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('$deltatoken is not a token this feed issued');
    expect((await apiGet(app, key, '/api/v1/risk-detections/delta?$top=0')).status).toBe(400);
  });
});
