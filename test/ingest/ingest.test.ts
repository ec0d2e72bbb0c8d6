import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { parseGraphJson } from '../../src/ingest/parse.js';
import { importIpList } from '../../src/lists/ip-lists.js';
import { createTestDatabase } from '../helpers/db.js';
import { countRows, eventsOf, freshTenant } from '../helpers/ingest.js';
import { DAY, HOUR, MINUTE, PLACES, signIn, T0, toGraph } from '../helpers/sign-ins.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
  await importIpList(database.db, { kind: 'anonymous', name: 'test-anonymous', entries: ['203.0.113.0/26'] });
});
afterAll(() => database.destroy());

const TABLES = ['sign_ins', 'sign_in_ids', 'risk_events', 'directory_users', 'familiar_locations', 'audit_log'];

async function snapshot(tenantId: string) {
  return Promise.all(TABLES.map((table) => countRows(database.db, table, tenantId)));
}

/** Seattle history long enough to be past learning, then a risky mix. */
function scenario() {
  const history = Array.from({ length: 6 }, (_, i) => signIn({ atMs: T0 + i * 3 * DAY, place: PLACES.seattle }));
  const start = T0 + 15 * DAY + 2 * HOUR;
  return [
    ...history,
    signIn({ atMs: start, place: PLACES.london, ipAddress: '203.0.113.5' }),
    signIn({ atMs: start + HOUR, place: PLACES.tokyo }),
    ...Array.from({ length: 5 }, (_, i) => signIn({ atMs: start + 2 * HOUR + i * MINUTE, ipAddress: '192.0.2.1', errorCode: 50126, userId: `v${i}`, userPrincipalName: `v${i}@contoso.com` })),
    signIn({ atMs: start + 3 * HOUR, ipAddress: '192.0.2.1', place: PLACES.tokyo, userId: 'u-bob', userPrincipalName: 'bob@contoso.com', userDisplayName: 'Bob' }),
  ];
}

describe('ingestSignIns', () => {
  it('stores sign-ins, creates users, detects, and keeps risk summaries and user rollups', async () => {
    const tenant = await freshTenant(database.db);
    const records = scenario();
    const result = await ingestSignIns(database.db, tenant, records);
    expect(result).toEqual({ received: records.length, inserted: records.length, duplicates: 0, riskDetections: 6, skipped: { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 }, truncated: 0 });
    const events = await eventsOf(database.db, tenant.id);
    expect(events.map((event) => [event.requestId, event.riskEventType])).toEqual([
      [records[6].id, 'anonymizedIPAddress'],
      [records[6].id, 'unfamiliarFeatures'],
      [records[6].id, 'unlikelyTravel'],
      [records[7].id, 'unfamiliarFeatures'],
      [records[7].id, 'unlikelyTravel'],
      [records[13].id, 'suspiciousIPAddress'],
    ]);
    const [london] = await rows<{ risk_level: string; risk_event_types: string[] | string; risk_status: string; version: number; clean: boolean }>(
      database.db,
      sql`select risk_level, risk_event_types, risk_status, version, clean from sign_ins where tenant_id = ${tenant.id}::uuid and id = ${records[6].id}`,
    );
    expect(london).toMatchObject({ risk_level: 'medium', risk_status: 'active', version: 1, clean: false });
    const users = await rows<{ id: string; risk_level: string; risk_state: string; active_event_count: number; clean_count: number; risk_last_updated_at: unknown }>(
      database.db,
      sql`select id, risk_level, risk_state, active_event_count, clean_count, risk_last_updated_at from directory_users where tenant_id = ${tenant.id}::uuid order by id`,
    );
    expect(users.find((user) => user.id === 'u-alice')).toMatchObject({ risk_level: 'medium', risk_state: 'atRisk', active_event_count: 5, clean_count: 6 });
    expect(users.find((user) => user.id === 'u-bob')).toMatchObject({ risk_level: 'medium', risk_state: 'atRisk', active_event_count: 1 });
    expect(users.find((user) => user.id === 'v0')).toMatchObject({ risk_level: 'none', risk_state: 'none', risk_last_updated_at: null });
    const audit = await rows<{ action: string; actor_type: string; n: number }>(
      database.db,
      sql`select action, actor_type, count(*)::int as n from audit_log where tenant_id = ${tenant.id}::uuid group by 1, 2 order by 1`,
    );
    expect(audit).toEqual([
      { action: 'riskEvent.create', actor_type: 'system', n: 6 },
      { action: 'user.create', actor_type: 'system', n: 7 },
      { action: 'user.riskChanged', actor_type: 'system', n: 2 },
    ]);
  });

  it('drops duplicates within a batch and across batches, keeping the first, and re-import changes nothing', async () => {
    const tenant = await freshTenant(database.db);
    const records = scenario();
    const changed = { ...records[7], city: 'Somewhere else' };
    const first = await ingestSignIns(database.db, tenant, [...records.slice(0, 8), changed]);
    expect(first).toMatchObject({ received: 9, inserted: 8, duplicates: 1 });
    const before = await snapshot(tenant.id);
    const again = await ingestSignIns(database.db, tenant, records.slice(0, 8));
    expect(again).toEqual({ received: 8, inserted: 0, duplicates: 8, riskDetections: 0, skipped: { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 }, truncated: 0 });
    expect(await snapshot(tenant.id)).toEqual(before);
    const rest = await ingestSignIns(database.db, tenant, [changed, ...records]);
    expect(rest).toMatchObject({ received: records.length + 1, inserted: records.length - 8, duplicates: 9 });
    const [stored] = await rows<{ city: string }>(database.db, sql`select city from sign_ins where tenant_id = ${tenant.id}::uuid and id = ${records[7].id}`);
    expect(stored.city).toBe('Tokyo');
  });

  it('recognises ids whose rows retention removed', async () => {
    const tenant = await freshTenant(database.db);
    const records = scenario().slice(0, 3);
    await ingestSignIns(database.db, tenant, records);
    await database.db.execute(sql`delete from sign_ins where tenant_id = ${tenant.id}::uuid`);
    expect(await ingestSignIns(database.db, tenant, records)).toMatchObject({ inserted: 0, duplicates: 3 });
  });

  it('names each user as in their latest sign-in, keeps a stored display name a sign-in lacks, and creates only new users', async () => {
    const tenant = await freshTenant(database.db);
    const users = async () =>
      rows<{ id: string; user_principal_name: string; display_name: string | null }>(
        database.db,
        sql`select id, user_principal_name, display_name from directory_users where tenant_id = ${tenant.id}::uuid order by id`,
      );
    const creations = async () =>
      (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log where tenant_id = ${tenant.id}::uuid and action = 'user.create'`))[0].n;
    await ingestSignIns(database.db, tenant, [
      signIn({ atMs: T0, userId: 'u-a', userPrincipalName: 'a@contoso.com', userDisplayName: 'A' }),
      signIn({ atMs: T0, userId: 'u-b', userPrincipalName: 'b@contoso.com', userDisplayName: 'B' }),
      signIn({ atMs: T0, userId: 'u-c', userPrincipalName: 'c@contoso.com', userDisplayName: 'C' }),
    ]);
    await ingestSignIns(database.db, tenant, [
      signIn({ atMs: T0 + HOUR, userId: 'u-a', userPrincipalName: 'a@contoso.com', userDisplayName: 'A' }),
      signIn({ atMs: T0 + HOUR, userId: 'u-b', userPrincipalName: 'b.renamed@contoso.com', userDisplayName: 'B' }),
      signIn({ atMs: T0 + HOUR, userId: 'u-c', userPrincipalName: 'c@contoso.com', userDisplayName: null }),
      signIn({ atMs: T0 + 2 * HOUR, userId: 'u-c', userPrincipalName: 'c@contoso.com', userDisplayName: 'C. Renamed' }),
      signIn({ atMs: T0 + HOUR, userId: 'u-d', userPrincipalName: 'd@contoso.com', userDisplayName: null }),
    ]);
    expect(await users()).toEqual([
      { id: 'u-a', user_principal_name: 'a@contoso.com', display_name: 'A' },
      { id: 'u-b', user_principal_name: 'b.renamed@contoso.com', display_name: 'B' },
      { id: 'u-c', user_principal_name: 'c@contoso.com', display_name: 'C. Renamed' },
      { id: 'u-d', user_principal_name: 'd@contoso.com', display_name: null },
    ]);
    expect(await creations()).toBe(4);
    await ingestSignIns(database.db, tenant, [signIn({ atMs: T0 + 3 * HOUR, userId: 'u-c', userPrincipalName: 'c@contoso.com', userDisplayName: null })]);
    expect((await users())[2]).toEqual({ id: 'u-c', user_principal_name: 'c@contoso.com', display_name: 'C. Renamed' });
    expect(await creations()).toBe(4);
  });

  it('gives the same events for a newest-first Graph export as for the same data oldest-first', async () => {
    const graph = scenario().map(toGraph);
    const oldestFirst = await freshTenant(database.db);
    const newestFirst = await freshTenant(database.db);
    await ingestSignIns(database.db, oldestFirst, parseGraphJson(JSON.stringify(graph)));
    await ingestSignIns(database.db, newestFirst, parseGraphJson(JSON.stringify({ value: [...graph].reverse() })));
    const expected = await eventsOf(database.db, oldestFirst.id);
    expect(expected).toHaveLength(6);
    expect(await eventsOf(database.db, newestFirst.id)).toEqual(expected);
  });

  it('judges a late sign-in against the history before it, without judging later ones again', async () => {
    const tenant = await freshTenant(database.db);
    const seattle = signIn({ atMs: T0, place: PLACES.seattle });
    const london = signIn({ atMs: T0 + 5 * HOUR, place: PLACES.london });
    await ingestSignIns(database.db, tenant, [seattle, london]);
    expect((await eventsOf(database.db, tenant.id)).map((event) => event.riskEventType)).toEqual(['unlikelyTravel']);
    const lateTokyo = signIn({ atMs: T0 + 2 * HOUR, place: PLACES.tokyo });
    const lateParis = signIn({ atMs: T0 + 30 * HOUR, place: PLACES.paris });
    expect(await ingestSignIns(database.db, tenant, [lateTokyo, lateParis])).toMatchObject({ inserted: 2, riskDetections: 1 });
    const events = await eventsOf(database.db, tenant.id);
    expect(events.map((event) => [event.requestId, event.riskEventType])).toEqual(
      [[london.id, 'unlikelyTravel'], [lateTokyo.id, 'unlikelyTravel']].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    const [profile] = await rows<{ last_clean_sign_in_id: string; clean_count: number }>(
      database.db,
      sql`select last_clean_sign_in_id, clean_count from directory_users where tenant_id = ${tenant.id}::uuid and id = 'u-alice'`,
    );
    expect(profile).toEqual({ last_clean_sign_in_id: lateParis.id, clean_count: 2 });
  });

  it('treats a sign-in before a stored clean one without coordinates as late too', async () => {
    const tenant = await freshTenant(database.db);
    const settings = { learningDays: 0, learningMinSignIns: 2 };
    await database.db.execute(sql`update tenants set detection_settings = ${JSON.stringify(settings)}::jsonb where id = ${tenant.id}::uuid`);
    const lenient = { ...tenant, detectionSettings: settings };
    const seattle = signIn({ atMs: T0, place: PLACES.seattle });
    const unlocated = signIn({ atMs: T0 + 10 * HOUR, place: { ...PLACES.seattle, latitude: null, longitude: null } });
    await ingestSignIns(database.db, lenient, [seattle, unlocated]);
    const lateTokyo = signIn({ atMs: T0 + 5 * HOUR, place: PLACES.tokyo });
    await ingestSignIns(database.db, lenient, [lateTokyo]);
    expect((await eventsOf(database.db, tenant.id)).map((event) => event.riskEventType)).toEqual(['unlikelyTravel']);
  });

  it('counts credential failures of earlier batches for suspicious IPs', async () => {
    const tenant = await freshTenant(database.db);
    const records = scenario();
    await ingestSignIns(database.db, tenant, records.slice(0, 12));
    expect(await ingestSignIns(database.db, tenant, records.slice(12))).toMatchObject({ riskDetections: 1 });
    expect((await eventsOf(database.db, tenant.id)).map((event) => event.riskEventType)).toContain('suspiciousIPAddress');
  });

  it('rolls back the whole batch when a write fails, leaving the database unchanged', async () => {
    const tenant = await freshTenant(database.db);
    await ingestSignIns(database.db, tenant, scenario().slice(0, 3));
    const before = await snapshot(tenant.id);
    const tooLong = signIn({ atMs: T0 + DAY, ipAddress: '10.1.1.1' });
    const broken = { ...tooLong, errorCode: 2 ** 40 };
    await expect(ingestSignIns(database.db, tenant, [signIn({ atMs: T0 + DAY }), broken])).rejects.toThrow();
    expect(await snapshot(tenant.id)).toEqual(before);
  });
});
