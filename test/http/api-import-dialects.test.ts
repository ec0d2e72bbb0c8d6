import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { parseSignIns } from '../../src/ingest/parse.js';
import type { SignInRecord } from '../../src/ingest/types.js';
import { importIpList } from '../../src/lists/ip-lists.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { lines, servicePrincipalRecord, toAzureMonitor, toPortalCsv, toSentinel, toSentinelCsv } from '../helpers/dialects.js';
import { seedTenant } from '../helpers/fixtures.js';
import { countRows, eventsOf, freshTenant } from '../helpers/ingest.js';
import { HOUR, PLACES, signIn, T0, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
  await importIpList(database.db, { kind: 'anonymous', name: 'dialects-tor', entries: ['203.0.113.0/26'] });
});
afterAll(() => database.destroy());

const BOM = '\uFEFF';
const NO_SKIPS = { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 };
const travel = () => [signIn({ atMs: T0 }), signIn({ atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '203.0.113.9' })];

async function tenantWithKey(): Promise<{ tenant: Tenant; key: string }> {
  const tenant = await seedTenant(database.db);
  return { tenant, key: await keyFor(database.db, tenant) };
}

describe('POST /api/v1/sign-ins in every dialect', () => {
  const WITH_TRAVEL = ['anonymizedIPAddress', 'unlikelyTravel'];
  it.each([
    ['a Sentinel SigninLogs export with a BOM', (r: SignInRecord[]) => BOM + JSON.stringify(r.map((x) => toSentinel(x, true))), WITH_TRAVEL],
    ['an Event Hub message', (r: SignInRecord[]) => JSON.stringify({ records: r.map((x) => toAzureMonitor(x)) }), WITH_TRAVEL],
    ['PT1H.json lines with CRLF', (r: SignInRecord[]) => lines(r.map((x) => toAzureMonitor(x)), '\r\n'), WITH_TRAVEL],
    // No coordinates in the portal's CSV: no travel is judged (docs/detection.md).
    ['a portal CSV', (r: SignInRecord[]) => toPortalCsv(r, '\r\n'), ['anonymizedIPAddress']],
    ['a Log Analytics CSV', (r: SignInRecord[]) => toSentinelCsv(r), WITH_TRAVEL],
    ['a Graph page with a BOM', (r: SignInRecord[]) => BOM + JSON.stringify({ value: r.map(toGraph) }), WITH_TRAVEL],
  ])('ingests %s, whatever its Content-Type', async (_, body, types) => {
    const { tenant, key } = await tenantWithKey();
    const res = await apiPost(app, key, '/api/v1/sign-ins', body(travel()), 'application/octet-stream');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, inserted: 2, duplicates: 0, riskDetections: types.length, skipped: NO_SKIPS, truncated: 0 });
    expect((await eventsOf(database.db, tenant.id)).map((event) => event.riskEventType).sort()).toEqual(types);
  });

  it('counts the non-user records of a mixed diagnostic stream under skipped and judges the user ones', async () => {
    const { tenant, key } = await tenantWithKey();
    const [first, second] = travel();
    const audit = { time: '2026-01-01T00:00:00Z', category: 'AuditLogs', operationName: 'Add user', properties: { id: 'a1' } };
    const body = { records: [toAzureMonitor(first), servicePrincipalRecord('sp-1', '2026-01-01T00:10:00Z'), { ...servicePrincipalRecord('mi-1', '2026-01-01T00:20:00Z'), category: 'ManagedIdentitySignInLogs' }, audit, toAzureMonitor(second, 'NonInteractiveUserSignInLogs')] };
    const res = await apiPost(app, key, '/api/v1/sign-ins', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 5, inserted: 2, duplicates: 0, riskDetections: 2, skipped: { servicePrincipal: 1, managedIdentity: 1, otherLog: 1 }, truncated: 0 });
    const stored = await rows<{ id: string; interactive: boolean }>(database.db, sql`select id, is_interactive as interactive from sign_ins where tenant_id = ${tenant.id}::uuid order by created_date_time`);
    expect(stored).toEqual([{ id: first.id, interactive: true }, { id: second.id, interactive: false }]);
  });

  it('answers a body in no known shape with 400 listing the fields seen, and writes nothing', async () => {
    const { tenant, key } = await tenantWithKey();
    const res = await apiPost(app, key, '/api/v1/sign-ins', [{ TimeGenerated2: 'x', Identity: 'Alice', OperationName: 'Add member to group' }]);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toBe('not a sign-in log Riskdesk knows: first record has fields TimeGenerated2, Identity, OperationName — supported: Graph signIn, Sentinel SigninLogs, Azure Monitor diagnostic records, portal CSV');
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(0);
  });

  it('rejects a malformed user sign-in among skipped records, naming index and id, writing nothing', async () => {
    const { tenant, key } = await tenantWithKey();
    const [good, bad] = travel();
    const body = lines([toAzureMonitor(good), servicePrincipalRecord('sp-1', '2026-01-01T00:10:00Z'), toAzureMonitor({ ...bad, ipAddress: '10.0.0.999' })]);
    const res = await apiPost(app, key, '/api/v1/sign-ins', body, 'application/x-ndjson');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe(`record 2 (line 3, id ${bad.id}): ipAddress: not an IP address: "10.0.0.999"`);
    expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(0);
  });

  it('stores what Entra recorded, its risk apart from Riskdesk’s, and 7-digit times to the microsecond', async () => {
    const { tenant, key } = await tenantWithKey();
    const record = signIn({ atMs: T0 });
    const row = { ...toSentinel(record), CreatedDateTime: '2026-01-01T00:00:00.1234567Z', RiskLevelDuringSignIn: 'medium', RiskState: 'atRisk' };
    expect((await apiPost(app, key, '/api/v1/sign-ins', [row])).status).toBe(200);
    const [stored] = await rows(
      database.db,
      sql`select to_char(created_date_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at, user_agent, correlation_id, app_id, is_interactive,
            conditional_access_status, authentication_requirement, entra_risk_level_during_sign_in, entra_risk_state, risk_level
          from sign_ins where tenant_id = ${tenant.id}::uuid`,
    );
    expect(stored).toEqual({
      at: '2026-01-01T00:00:00.123456',
      user_agent: expect.stringContaining('Edg/120'),
      correlation_id: `corr-${record.id}`,
      app_id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      is_interactive: true,
      conditional_access_status: 'notApplied',
      authentication_requirement: 'singleFactorAuthentication',
      entra_risk_level_during_sign_in: 'medium',
      entra_risk_state: 'atRisk',
      risk_level: null,
    });
  });
});

const places = [PLACES.seattle, PLACES.london, PLACES.tokyo, { city: 'Nowhere', state: null, countryOrRegion: 'NZ', latitude: null, longitude: null }];
const ips = ['10.0.0.1', '203.0.113.5', '192.0.2.1'];

const draft = fc.record({
  halfHour: fc.integer({ min: 0, max: 96 }),
  user: fc.integer({ min: 0, max: 2 }),
  place: fc.integer({ min: 0, max: places.length - 1 }),
  ip: fc.integer({ min: 0, max: ips.length - 1 }),
  failed: fc.boolean(),
});

const DIALECTS: [string, (records: SignInRecord[]) => string][] = [
  ['Graph', (r) => JSON.stringify(r.map(toGraph))],
  ['Sentinel JSON', (r) => JSON.stringify(r.map((x) => toSentinel(x, true)))],
  ['Sentinel CSV', (r) => toSentinelCsv(r, '\r\n')],
  ['Azure Monitor lines', (r) => BOM + lines(r.map((x) => toAzureMonitor(x)))],
  ['Event Hub', (r) => JSON.stringify({ records: r.map((x) => toAzureMonitor(x)) })],
];

async function storedOf(tenantId: string) {
  return rows(
    database.db,
    sql`select id, created_date_time, user_id, user_principal_name, user_display_name, app_display_name, client_app_used, host(ip_address) as ip,
          error_code, failure_reason, city, state, country_or_region, latitude, longitude, browser, operating_system, clean, risk_level, risk_event_types
        from sign_ins where tenant_id = ${tenantId}::uuid order by id`,
  );
}

describe('the same sign-ins in any dialect', () => {
  it('give the same stored rows and the same risk events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(draft, { minLength: 1, maxLength: 12 }), async (drafts) => {
        const records = drafts.map((d, i) =>
          signIn({ id: `p${i}`, atMs: T0 + (d.halfHour * HOUR) / 2, userId: `u${d.user}`, userPrincipalName: `u${d.user}@contoso.com`, place: places[d.place], ipAddress: ips[d.ip], errorCode: d.failed ? 50126 : 0, failureReason: d.failed ? 'Invalid username or password.' : null }),
        );
        const results = [];
        for (const [, write] of DIALECTS) {
          const tenant = await freshTenant(database.db);
          const parsed = parseSignIns(write(records));
          await ingestSignIns(database.db, tenant, parsed.records, { now: new Date(T0 + 100 * HOUR), skipped: parsed.skipped });
          results.push({ rows: await storedOf(tenant.id), events: await eventsOf(database.db, tenant.id) });
        }
        for (const result of results.slice(1)) expect(result).toEqual(results[0]);
        // The portal CSV has no coordinates: the same sign-ins without them give the same as Graph without them.
        const flat = records.map((record) => ({ ...record, latitude: null, longitude: null }));
        const pair = [];
        for (const text of [JSON.stringify(flat.map(toGraph)), toPortalCsv(flat)]) {
          const tenant = await freshTenant(database.db);
          await ingestSignIns(database.db, tenant, parseSignIns(text).records, { now: new Date(T0 + 100 * HOUR) });
          pair.push({ rows: await storedOf(tenant.id), events: await eventsOf(database.db, tenant.id) });
        }
        expect(pair[1]).toEqual(pair[0]);
      }),
      { numRuns: 8, seed: 8 },
    );
    // Seven tenants a run: slow on a loaded machine, not a timing assertion.
  }, 180_000);
});
