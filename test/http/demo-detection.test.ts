import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit.js';
import { createTenant } from '../../src/actions/tenants.js';
import { rows } from '../../src/db/client.js';
import { RISK_EVENT_TYPES, type Tenant } from '../../src/db/schema.js';
import { generateDemoTenant, type DemoTenantData, type GraphSignIn } from '../../src/demo/generate.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { validateSignIn } from '../../src/ingest/validate.js';
import { importIpList, importTrustedLocation } from '../../src/lists/ip-lists.js';
import { importLeakedCredentials } from '../../src/lists/leaked.js';
import { importDirectoryUsers } from '../../src/lists/users.js';
import { createTestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-27T04:00:00.000Z');
const BATCH = 5000;
const DETECTED = RISK_EVENT_TYPES.filter((type) => type !== 'adminConfirmedUserCompromised');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const loaded: { tenant: Tenant; data: DemoTenantData }[] = [];

// The order a demo load needs: global lists and trusted locations before the sign-ins they apply to,
// and the directory before its leak list, which is judged on import.
async function loadDemoTenant(kind: 'contoso' | 'fabrikam', edition: string): Promise<void> {
  const { db } = database;
  const data = generateDemoTenant(kind, { seed: 1, now: NOW });
  const tenant = await createTenant(db, { name: kind === 'contoso' ? 'Contoso' : 'Fabrikam', domain: `${kind}.com`, edition });
  await importIpList(db, { kind: 'anonymous', name: 'demo', entries: data.anonymousIps });
  await importIpList(db, { kind: 'malware', name: 'demo', entries: data.malwareIps });
  for (const location of data.trusted) await importTrustedLocation(db, tenant, { name: location.name, entries: location.ranges }, SYSTEM);
  await importDirectoryUsers(db, tenant, data.users, SYSTEM, NOW);
  await importLeakedCredentials(db, tenant, { entries: data.leaked }, SYSTEM, NOW);
  let batch: GraphSignIn[] = [];
  const flush = async () => {
    await ingestSignIns(db, tenant, batch.map((signIn, index) => validateSignIn(signIn, { index })), { now: NOW });
    batch = [];
  };
  for (const signIn of data.signIns) {
    batch.push(signIn);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  loaded.push({ tenant, data });
}

async function typesSince(tenant: Tenant, days: number): Promise<string[]> {
  const since = new Date(NOW.getTime() - days * 86_400_000);
  const found = await rows<{ type: string }>(
    database.db,
    sql`select distinct risk_event_type as type from risk_events
        where tenant_id = ${tenant.id}::uuid and (activity_date_time >= ${since.toISOString()}::timestamptz or risk_event_type = 'leakedCredentials')`,
  );
  return found.map((row) => row.type).sort();
}

beforeAll(async () => {
  database = await createTestDatabase();
  await loadDemoTenant('contoso', 'premium_p2');
  await loadDemoTenant('fabrikam', 'free');
}, 300_000);

afterAll(async () => {
  await database?.destroy();
});

describe('demo data through ingestion and detection', () => {
  it('stores every generated sign-in', async () => {
    for (const { tenant, data } of loaded) {
      const [{ count }] = await rows<{ count: number }>(database.db, sql`select count(*)::int as count from sign_ins where tenant_id = ${tenant.id}::uuid`);
      expect(count).toBe([...data.signIns].length);
    }
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
});
