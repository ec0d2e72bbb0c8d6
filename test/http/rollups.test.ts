import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { recomputeSignInRisk, recomputeUserRisk } from '../../src/actions/rollups.js';
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
