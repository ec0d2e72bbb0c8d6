import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { recomputeSignInRisk, recomputeUserRisk, userRiskUpdate } from '../../src/actions/rollups.js';
import { rows } from '../../src/db/client.js';
import { directoryUsers, riskEvents, signIns, type NewRiskEvent, type Tenant } from '../../src/db/schema.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let tenant: Tenant;
const t0 = new Date('2026-11-20T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await seedTenant(database.db);
  await database.db.insert(directoryUsers).values({ tenantId: tenant.id, id: 'u1', userPrincipalName: 'u1@x.example' });
  await database.db.insert(signIns).values({ tenantId: tenant.id, id: 's1', createdDateTime: t0, userId: 'u1', userPrincipalName: 'u1@x.example' });
});
afterAll(() => database.destroy());

function event(id: string, overrides: Partial<NewRiskEvent>): NewRiskEvent {
  return {
    tenantId: tenant.id, id, riskEventType: 'anonymizedIPAddress', riskLevel: 'medium', detectionTimingType: 'realtime', activity: 'signin',
    dedupeKey: `s1-${id}`, requestId: 's1', userId: 'u1', userPrincipalName: 'u1@x.example', activityDateTime: t0, detectedDateTime: t0,
    lastUpdatedDateTime: t0, ...overrides,
  };
}

async function user() {
  const [row] = await database.db.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenant.id), eq(directoryUsers.id, 'u1')));
  return row;
}
async function signIn() {
  const [row] = await database.db.select().from(signIns).where(and(eq(signIns.tenantId, tenant.id), eq(signIns.id, 's1')));
  return row;
}

describe('risk rollups', () => {
  it('gives a risky sign-in the highest level of its events and the user the highest active level', async () => {
    await database.db.insert(riskEvents).values([
      event('e1', { riskEventType: 'anonymizedIPAddress', riskLevel: 'medium' }),
      event('e2', { riskEventType: 'malwareInfectedIPAddress', riskLevel: 'low' }),
    ]);
    await recomputeSignInRisk(database.db, tenant.id, ['s1']);
    await recomputeUserRisk(database.db, tenant.id, ['u1'], t0);
    expect(await signIn()).toMatchObject({ riskLevel: 'medium', riskStatus: 'active', riskEventTypes: ['anonymizedIPAddress', 'malwareInfectedIPAddress'], version: 2 });
    expect(await user()).toMatchObject({ riskLevel: 'medium', riskState: 'atRisk', activeEventCount: 2, version: 2 });
  });

  it('keeps the sign-in level but lowers the user level when the higher event closes', async () => {
    const later = new Date(t0.getTime() + 60_000);
    await database.db.update(riskEvents).set({ status: 'dismissedAsFalsePositive', riskDetail: 'adminConfirmedSigninSafe', lastUpdatedDateTime: later }).where(eq(riskEvents.id, 'e1'));
    await recomputeSignInRisk(database.db, tenant.id, ['s1']);
    await recomputeUserRisk(database.db, tenant.id, ['u1'], later);
    expect(await signIn()).toMatchObject({ riskLevel: 'medium', riskStatus: 'active' });
    expect(await user()).toMatchObject({ riskLevel: 'low', riskState: 'atRisk', activeEventCount: 1 });
  });

  it('takes the state of the action that closed the last active event', async () => {
    const later = new Date(t0.getTime() + 120_000);
    await database.db.update(riskEvents).set({ status: 'remediated', riskDetail: 'adminGeneratedTemporaryPassword', lastUpdatedDateTime: later }).where(eq(riskEvents.id, 'e2'));
    await recomputeSignInRisk(database.db, tenant.id, ['s1']);
    await recomputeUserRisk(database.db, tenant.id, ['u1'], later);
    expect(await signIn()).toMatchObject({ riskLevel: 'medium', riskStatus: 'remediated' });
    expect(await user()).toMatchObject({ riskLevel: 'none', riskState: 'remediated', riskDetail: 'adminGeneratedTemporaryPassword', activeEventCount: 0 });
    expect((await user()).riskLastUpdatedAt?.toISOString()).toBe(later.toISOString());
  });

  it('marks a user confirmed compromised while that event is active', async () => {
    const later = new Date(t0.getTime() + 180_000);
    await database.db.insert(riskEvents).values(
      event('e3', { riskEventType: 'adminConfirmedUserCompromised', riskLevel: 'high', activity: 'user', requestId: null, dedupeKey: 'admin-1', detectionTimingType: 'offline', lastUpdatedDateTime: later }),
    );
    await recomputeUserRisk(database.db, tenant.id, ['u1'], later);
    expect(await user()).toMatchObject({ riskLevel: 'high', riskState: 'confirmedCompromised', riskDetail: 'adminConfirmedUserCompromised' });
  });
});

describe("a user's last risk update", () => {
  it('is when the risky sign-in happened, not when a batch import stored it, and moves on when an admin acts', async () => {
    const imported = new Date('2026-11-27T09:00:00Z');
    const happened = new Date('2026-11-22T08:30:00Z');
    await database.db.insert(directoryUsers).values({ tenantId: tenant.id, id: 'u2', userPrincipalName: 'u2@x.example' });
    await database.db.insert(riskEvents).values([
      event('late-1', { userId: 'u2', requestId: null, dedupeKey: 'late-1', activityDateTime: new Date('2026-11-21T08:00:00Z'), detectedDateTime: imported, lastUpdatedDateTime: imported }),
      event('late-2', { userId: 'u2', requestId: null, dedupeKey: 'late-2', activityDateTime: happened, detectedDateTime: imported, lastUpdatedDateTime: imported }),
    ]);
    const readUser = async () => (await database.db.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenant.id), eq(directoryUsers.id, 'u2'))))[0];
    await recomputeUserRisk(database.db, tenant.id, ['u2'], imported);
    expect((await readUser()).riskLastUpdatedAt?.toISOString()).toBe(happened.toISOString());

    const dismissed = new Date('2026-11-28T10:00:00Z');
    await database.db.update(riskEvents).set({ status: 'dismissedAsIgnore', lastUpdatedDateTime: dismissed }).where(eq(riskEvents.id, 'late-1'));
    await recomputeUserRisk(database.db, tenant.id, ['u2'], dismissed);
    expect((await readUser()).riskLastUpdatedAt?.toISOString()).toBe(dismissed.toISOString());
  });
});

type PlanNode = { 'Node Type'?: string; 'CTE Name'?: string; 'Relation Name'?: string; 'Actual Loops'?: number; 'Actual Rows'?: number; 'Rows Removed by Filter'?: number; Plans?: PlanNode[] };
function allNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(allNodes)];
}
function relationScans(node: PlanNode, relation: string): PlanNode[] {
  const own = node['Relation Name'] === relation ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => relationScans(child, relation))];
}

describe('user risk for a whole batch on a fresh tenant (no statistics)', () => {
  const levels = ['low', 'medium', 'high'] as const;
  const statuses = ['active', 'remediated', 'dismissedAsFalsePositive', 'dismissedAsIgnore'] as const;
  let fresh: Tenant;
  const users = Array.from({ length: 400 }, (_, i) => `b${String(i).padStart(3, '0')}`);
  // A quarter of the users with events have none active, so the state comes from their last change.
  const statusOf = (i: number, j: number) => statuses[(i * j + (i % 16 >= 12 ? 1 : 0)) % 4];
  const eventsOf = (i: number) => Array.from({ length: i % 4 }, (_, j) => ({ level: levels[(i + j) % 3], status: statusOf(i, j) }));

  beforeAll(async () => {
    fresh = await seedTenant(database.db);
    await database.db.insert(directoryUsers).values(users.map((id) => ({ tenantId: fresh.id, id, userPrincipalName: `${id}@fresh.example` })));
    // Each user i gets i % 4 events; event j of user i has level levels[(i + j) % 3] and status statusOf(i, j).
    const events: NewRiskEvent[] = users.flatMap((userId, i) =>
      Array.from({ length: i % 4 }, (_, j) => ({
        ...event(`${userId}-${j}`, {}), tenantId: fresh.id, requestId: null, activity: 'user' as const, dedupeKey: `${userId}-${j}`, userId,
        userPrincipalName: `${userId}@fresh.example`, riskLevel: levels[(i + j) % 3], status: statusOf(i, j),
        riskDetail: statusOf(i, j) === 'remediated' ? 'userPerformedSecuredPasswordReset' as const : 'none' as const,
        lastUpdatedDateTime: new Date(t0.getTime() + j * 1000),
      })),
    );
    await database.db.insert(riskEvents).values(events);
  });

  /** The plan of userRiskUpdate for these users, run and rolled back. */
  async function planOf(userIds: string[]): Promise<PlanNode> {
    let plan: PlanNode | undefined;
    await database.db.transaction(async (tx) => {
      const [first] = await rows<{ 'QUERY PLAN': unknown }>(tx, sql`explain (analyze, format json) ${userRiskUpdate(fresh.id, userIds, t0)}`);
      const raw = first['QUERY PLAN'];
      plan = ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0].Plan;
      tx.rollback();
    }).catch((error: unknown) => { if (!(error instanceof Error && /rollback/i.test(error.message))) throw error; });
    return plan!;
  }
  /** Rows read from risk_events, kept or filtered out, over all loops. */
  const eventsRead = (plan: PlanNode) => relationScans(plan, 'risk_events').reduce((sum, scan) => sum + ((scan['Actual Rows'] ?? 0) + (scan['Rows Removed by Filter'] ?? 0)) * (scan['Actual Loops'] ?? 1), 0);

  it("aggregates in a materialized CTE, reading each user's events once", async () => {
    const plan = await planOf(users);
    // Materialized, whatever the statistics say: inlined, the planner may re-run it per user.
    expect(allNodes(plan).some((node) => node['Node Type'] === 'CTE Scan' && node['CTE Name'] === 'agg')).toBe(true);
    // 400 users with 0-3 events each: 600 events in all, each read once, a user with none active too.
    expect(users.filter((_, i) => eventsOf(i).length > 0 && eventsOf(i).every((e) => e.status !== 'active')).length).toBeGreaterThan(10);
    expect(eventsRead(plan)).toBe(600);
  });

  it("reads only the user's own events for one user, as an evaluation recomputes it", async () => {
    // b003 has 3 events of the table's 600 or more. As an established table is, it is analyzed: with
    // statistics the probe takes the (tenant, user) index, where `user_id in (ids)` hashed them all.
    await database.db.execute(sql`analyze risk_events`);
    expect(eventsRead(await planOf(['b003']))).toBe(3);
    expect(eventsRead(await planOf(['b003', 'b003', 'b007']))).toBe(6);
    // b014's 2 events are none of them active: read once more, for the most recent change.
    expect(eventsOf(14).map((e) => e.status)).toEqual(['remediated', 'dismissedAsIgnore']);
    expect(eventsRead(await planOf(['b014']))).toBe(4);
  });

  it('gives each of a few users, probed one by one, the risk their own events imply', async () => {
    const few = ['b003', 'b013', 'b014', 'b015', 'b005'];
    await recomputeUserRisk(database.db, fresh.id, few, t0);
    for (const userId of few) {
      const mine = eventsOf(Number(userId.slice(1)));
      const active = mine.filter((e) => e.status === 'active');
      const last = mine.at(-1)?.status;
      const [row] = await database.db.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, fresh.id), eq(directoryUsers.id, userId)));
      const state = active.length > 0 ? 'atRisk' : last === 'remediated' ? 'remediated' : last === 'dismissedAsFalsePositive' ? 'confirmedSafe' : 'dismissed';
      expect({ userId, state: row.riskState, detail: row.riskDetail }).toEqual({ userId, state, detail: last === 'remediated' && active.length === 0 ? 'userPerformedSecuredPasswordReset' : 'none' });
    }
  });

  it('gives every user of the batch the risk their own events imply', async () => {
    await recomputeUserRisk(database.db, fresh.id, users, t0);
    const found = await database.db.select().from(directoryUsers).where(eq(directoryUsers.tenantId, fresh.id));
    const byId = new Map(found.map((row) => [row.id, row]));
    users.forEach((userId, i) => {
      const mine = eventsOf(i);
      const active = mine.filter((e) => e.status === 'active');
      const level = active.length === 0 ? 'none' : levels[Math.max(...active.map((e) => levels.indexOf(e.level)))];
      const last = mine.at(-1)?.status;
      const state = mine.length === 0 ? 'none' : active.length > 0 ? 'atRisk' : last === 'remediated' ? 'remediated' : last === 'dismissedAsFalsePositive' ? 'confirmedSafe' : 'dismissed';
      const row = byId.get(userId);
      expect({ userId, level: row?.riskLevel, state: row?.riskState, count: row?.activeEventCount }).toEqual({
        userId, level, state, count: mine.length === 0 ? 0 : active.length,
      });
    });
  });
});
