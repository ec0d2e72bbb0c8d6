import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTenantByDomain } from '../../src/queries/tenants.js';
import { rows } from '../../src/db/client.js';
import { RISK_EVENT_TYPES, type Tenant } from '../../src/db/schema.js';
import { generateDemoTenant } from '../../src/demo/generate.js';
import { seedDemo } from '../../src/demo/seed.js';
import { createTestDatabase } from '../helpers/db.js';
import { detectSignInRisks } from '../helpers/demo-reference-detector.js';

const NOW = new Date('2026-11-27T04:00:00.000Z');
const DETECTED = RISK_EVENT_TYPES.filter((type) => type !== 'adminConfirmedUserCompromised');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const loaded: { tenant: Tenant; kind: 'contoso' | 'fabrikam' }[] = [];

async function typesSince(tenant: Tenant, days: number): Promise<string[]> {
  const since = new Date(NOW.getTime() - days * 86_400_000);
  const found = await rows<{ type: string }>(
    database.db,
    sql`select distinct risk_event_type as type from risk_events
        where tenant_id = ${tenant.id}::uuid and activity_date_time >= ${since.toISOString()}::timestamptz`,
  );
  return found.map((row) => row.type).sort();
}

beforeAll(async () => {
  database = await createTestDatabase();
  const result = await seedDemo(database.db, { seed: 1, now: NOW });
  if (!result.created) throw new Error('the demo tenants existed already');
  for (const kind of ['contoso', 'fabrikam'] as const) {
    const tenant = await getTenantByDomain(database.db, `${kind}.com`);
    if (!tenant) throw new Error(`${kind}.com was not created`);
    loaded.push({ tenant, kind });
  }
}, 300_000);

afterAll(async () => {
  await database?.destroy();
});

describe('demo tenants seeded through lists, directory, ingestion and detection', () => {
  it('stores every generated sign-in', async () => {
    for (const { tenant, kind } of loaded) {
      const [{ count }] = await rows<{ count: number }>(database.db, sql`select count(*)::int as count from sign_ins where tenant_id = ${tenant.id}::uuid`);
      expect(count).toBe([...generateDemoTenant(kind, { seed: 1, now: NOW }).signIns].length);
    }
  });

  it('leaves the planner statistics current, so the console is fast right after the demo loads', async () => {
    const [{ stored }] = await rows<{ stored: number }>(database.db, sql`select count(*)::int as stored from sign_ins`);
    const [{ estimated }] = await rows<{ estimated: number }>(database.db, sql`select reltuples::int as estimated from pg_class where relname = 'sign_ins'`);
    expect(estimated).toBeGreaterThan(stored * 0.9);
    expect(estimated).toBeLessThan(stored * 1.1);
  });

  it('raises every detected risk event type in both tenants within the last 30 days', async () => {
    for (const { tenant } of loaded) expect(await typesSince(tenant, 30), tenant.domain).toEqual([...DETECTED].sort());
  });

  it('raises every detected risk event type in both tenants within the last 7 days, what a free tenant keeps', async () => {
    for (const { tenant } of loaded) expect(await typesSince(tenant, 7), tenant.domain).toEqual([...DETECTED].sort());
  });

  it('finds active medium-or-higher sign-in risks from Russia within the last 7 days in both tenants', async () => {
    for (const { tenant } of loaded) {
      const since = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
      const [{ count }] = await rows<{ count: number }>(
        database.db,
        sql`select count(*)::int as count from risk_events
            where tenant_id = ${tenant.id}::uuid and country_or_region = 'RU' and status = 'active'
              and risk_level in ('medium', 'high') and activity_date_time >= ${since}::timestamptz`,
      );
      expect(count, tenant.domain).toBeGreaterThan(0);
    }
  });

  it('raises risks only for the planted incidents, not for ordinary office, mobile, VPN or travel sign-ins', async () => {
    for (const { tenant } of loaded) {
      const [{ count }] = await rows<{ count: number }>(
        database.db,
        sql`select count(*)::int as count from risk_events where tenant_id = ${tenant.id}::uuid and activity = 'signin'`,
      );
      expect(count, tenant.domain).toBeLessThan(tenant.domain === 'contoso.com' ? 60 : 40);
    }
  });

  it('raises exactly the sign-in risks that the spec rules, applied by hand, find in the same data', async () => {
    for (const { tenant, kind } of loaded) {
      const data = generateDemoTenant(kind, { seed: 1, now: NOW });
      const expected = detectSignInRisks(data.signIns, { anonymous: data.anonymousIps, malware: data.malwareIps, trusted: data.trusted.flatMap((location) => location.ranges) });
      const found = await rows<{ type: string; requestId: string }>(
        database.db,
        sql`select risk_event_type as type, request_id as "requestId" from risk_events where tenant_id = ${tenant.id}::uuid and activity = 'signin'`,
      );
      const key = (type: string, id: string) => `${type} ${id}`;
      expect(found.map((event) => key(event.type, event.requestId)).sort(), tenant.domain).toEqual(
        expected.map((detection) => key(detection.type, detection.signIn.id)).sort(),
      );
    }
  });
});
