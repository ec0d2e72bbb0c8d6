import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userRiskUpdate } from '../../src/actions/rollups.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { usersWithCleanSince } from '../../src/ingest/load.js';
import { createTestDatabase } from '../helpers/db.js';
import { freshTenant } from '../helpers/ingest.js';
import { MINUTE, PLACES, signIn, T0 } from '../helpers/sign-ins.js';

// A tenant whose sign-ins arrived after the last ANALYZE (a new tenant beside an analyzed one, or
// autovacuum not yet by): the planner believes it has one row. The batch's statements must still
// probe per key, not read all of the tenant's rows for each batch (docs/ingestion-performance.md).

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let tenant: Tenant;
const USERS = 200;
const PER_USER = 10;
const users = Array.from({ length: USERS }, (_, i) => `p${String(i).padStart(3, '0')}`);

function batch(prefix: string, round: number) {
  return users.map((userId, i) =>
    signIn({ id: `${prefix}-${round}-${i}`, userId, userPrincipalName: `${userId}@plans.example`, atMs: T0 + (round * USERS + i) * MINUTE, place: PLACES.seattle }),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  // An established tenant the statistics know, with 50,000 sign-ins, users and risk events: tables big
  // enough that one probe per key is the cheap plan, as it is for a production database.
  const known = await freshTenant(database.db);
  await ingestSignIns(database.db, known, batch('k', 0));
  await database.db.execute(sql`insert into sign_ins (tenant_id, id, created_date_time, user_id, user_principal_name, clean)
    select ${known.id}::uuid, 'bulk-' || g, now() - g * interval '1 second', 'k' || (g % 5000), 'k' || (g % 5000) || '@known.example', true
    from generate_series(1, 50000) g`);
  await database.db.execute(sql`insert into directory_users (tenant_id, id, user_principal_name)
    select ${known.id}::uuid, 'k' || g, 'k' || g || '@known.example' from generate_series(0, 49999) g`);
  await database.db.execute(sql`insert into risk_events (tenant_id, id, risk_event_type, risk_level, detection_timing_type, activity, dedupe_key,
      user_id, user_principal_name, activity_date_time, detected_date_time, last_updated_date_time, status, risk_detail)
    select ${known.id}::uuid, 'bulk-' || g, 'unfamiliarFeatures', 'low', 'realtime', 'signin', 'bulk-' || g, 'k' || g, 'k' || g || '@known.example',
      now(), now(), now(), 'active', 'none'
    from generate_series(1, 50000) g`);
  await database.db.execute(sql`analyze sign_ins, directory_users, familiar_locations, risk_events`);
  tenant = await freshTenant(database.db);
  for (let round = 0; round < PER_USER; round++) await ingestSignIns(database.db, tenant, batch('n', round));
  // One risk event for each of its users, as a risky day would leave.
  await database.db.execute(sql`insert into risk_events (tenant_id, id, risk_event_type, risk_level, detection_timing_type, activity, dedupe_key,
      user_id, user_principal_name, activity_date_time, detected_date_time, last_updated_date_time, status, risk_detail)
    select ${tenant.id}::uuid, 'e-' || u.id, 'unfamiliarFeatures', 'low', 'realtime', 'signin', u.id, u.id, u.user_principal_name, now(), now(), now(), 'active', 'none'
    from directory_users u where u.tenant_id = ${tenant.id}::uuid`);
});
afterAll(() => database.destroy());

type PlanNode = { 'Relation Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Rows Removed by Filter'?: number; 'Rows Removed by Join Filter'?: number; Plans?: PlanNode[] };

/** Rows the statement read from `relation` (kept or filtered out), and rows its joins threw away. */
async function rowsTouched(statement: SQL, relation: string): Promise<number> {
  let touched = 0;
  await database.db
    .transaction(async (tx) => {
      const [first] = await rows<{ 'QUERY PLAN': unknown }>(tx, sql`explain (analyze, format json) ${statement}`);
      const raw = first['QUERY PLAN'];
      const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
      const walk = (node: PlanNode) => {
        const loops = node['Actual Loops'] ?? 1;
        if (node['Relation Name'] === relation) touched += ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * loops;
        touched += (node['Rows Removed by Join Filter'] ?? 0) * loops;
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(plan[0].Plan);
      tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Error && /rollback/i.test(error.message))) throw error;
    });
  return touched;
}

describe('a batch of a tenant newer than the statistics', () => {
  it('checks for late arrivals with one probe per user, not by reading all the tenant’s sign-ins', async () => {
    const after = new Map(users.slice(0, 5).map((userId) => [userId, T0 + PER_USER * USERS * MINUTE]));
    expect(await rowsTouched(usersWithCleanSince(tenant.id, after), 'sign_ins')).toBeLessThan(USERS / 2);
  });

  it('recomputes user risk reading only the batch’s users and their events', async () => {
    const few = users.slice(0, 5);
    expect(await rowsTouched(userRiskUpdate(tenant.id, few, new Date(T0)), 'directory_users')).toBeLessThan(USERS / 2);
    expect(await rowsTouched(userRiskUpdate(tenant.id, few, new Date(T0)), 'risk_events')).toBeLessThan(USERS / 2);
  });
});
