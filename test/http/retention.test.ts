import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { runRetention } from '../../src/actions/retention.js';
import { riskEvents, signInIds, signIns, type NewRiskEvent, type Tenant } from '../../src/db/schema.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let free: Tenant;
let premium: Tenant;
const now = new Date('2026-11-27T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);

async function addSignIn(tenant: Tenant, id: string, at: Date) {
  await database.db.insert(signIns).values({ tenantId: tenant.id, id, createdDateTime: at, userId: 'u', userPrincipalName: 'u@x.example' });
  await database.db.insert(signInIds).values({ tenantId: tenant.id, id, createdDateTime: at });
}

function event(tenant: Tenant, id: string, overrides: Partial<NewRiskEvent>): NewRiskEvent {
  const at = daysAgo(200);
  return {
    tenantId: tenant.id, id, riskEventType: 'anonymizedIPAddress', riskLevel: 'medium', detectionTimingType: 'realtime', activity: 'signin',
    dedupeKey: id, requestId: null, userId: 'u', userPrincipalName: 'u@x.example', activityDateTime: at, detectedDateTime: at, lastUpdatedDateTime: at,
    ...overrides,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  free = await seedTenant(database.db, 'free');
  premium = await seedTenant(database.db, 'premium_p2');
  for (const tenant of [free, premium]) {
    await addSignIn(tenant, `${tenant.edition}-6d`, daysAgo(6.9));
    await addSignIn(tenant, `${tenant.edition}-8d`, daysAgo(8));
    await addSignIn(tenant, `${tenant.edition}-89d`, daysAgo(89));
    await addSignIn(tenant, `${tenant.edition}-91d`, daysAgo(91));
  }
  await database.db.insert(riskEvents).values([
    event(premium, 'active-old', {}),
    event(premium, 'closed-89d', { status: 'dismissedAsIgnore', closedAt: daysAgo(89) }),
    event(premium, 'closed-91d', { status: 'dismissedAsFixed', closedAt: daysAgo(91) }),
  ]);
});
afterAll(() => database.destroy());

describe('retention', () => {
  it('keeps 7 days of sign-ins for free tenants and 90 for premium P2, and every ingested id', async () => {
    const removed = await runRetention(database.db, now);
    expect(removed.signIns).toBe(4);
    const left = (tenant: Tenant) =>
      database.db.select({ id: signIns.id }).from(signIns).where(eq(signIns.tenantId, tenant.id)).then((r) => r.map((x) => x.id).sort());
    expect(await left(free)).toEqual(['free-6d']);
    expect(await left(premium)).toEqual(['premium_p2-6d', 'premium_p2-89d', 'premium_p2-8d']);
    expect(await database.db.select().from(signInIds)).toHaveLength(8);
  });

  it('keeps active events and events closed less than 90 days ago', async () => {
    const ids = (await database.db.select({ id: riskEvents.id }).from(riskEvents)).map((r) => r.id).sort();
    expect(ids).toEqual(['active-old', 'closed-89d']);
  });

  it('changes nothing when run again', async () => {
    expect(await runRetention(database.db, now)).toEqual({ signIns: 0, riskEvents: 0, sessions: 0, loginAttempts: 0 });
  });
});
