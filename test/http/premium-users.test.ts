import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, riskEvents, type Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditOf, getSignIn, getUser } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { DAY, seedEvent } from './premium-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let other: Tenant;
let cookie: string;
let adminEmail: string;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const daysAgo = (n: number) => new Date(clock.now().getTime() - n * DAY);

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'premium_p2');
  other = await seedTenant(database.db, 'premium_p2');
  adminEmail = (await seedAdmin(database.db, tenant, 'security_admin')).email;
  cookie = await signIn(app, adminEmail);
});
afterAll(() => database.destroy());

/** A user with two active events on two sign-ins and one closed one. */
async function seedUser(userId: string) {
  await seedEvent(database.db, tenant.id, { id: `${userId}-s1`, userId, userDisplayName: `Name ${userId}`, events: [{ type: 'unlikelyTravel', level: 'medium' }] }, daysAgo(1));
  await seedEvent(database.db, tenant.id, { id: `${userId}-s2`, userId, events: [{ type: 'anonymizedIPAddress', level: 'high' }] }, daysAgo(2));
  await seedEvent(database.db, tenant.id, { id: `${userId}-s3`, userId, events: [{ type: 'malwareInfectedIPAddress', level: 'low', status: 'dismissedAsFixed' }] }, daysAgo(3));
  return getUser(database.db, tenant.id, userId);
}

async function eventsOfUser(userId: string) {
  return database.db.select().from(riskEvents).where(and(eq(riskEvents.tenantId, tenant.id), eq(riskEvents.userId, userId))).orderBy(riskEvents.id);
}

describe('the user blade', () => {
  it('shows risk level and state, the active events to investigate, the risky sign-ins, history and the way to All sign-ins', async () => {
    await seedUser('ub-1');
    const res = await get(app, cookie, '/security/users/ub-1');
    expect(res.status).toBe(200);
    const html = await res.text();
    const risk = html.match(/data-testid="user-risk"[\s\S]*?<\/dl>/)?.[0] ?? '';
    expect(risk).toContain('High');
    expect(risk).toContain('At risk');
    expect(html).toContain('href="/security/sign-ins?userId=ub-1"');
    expect(html).toContain('href="/security/risk-events/unlikelyTravel/ub-1-s1-e1"');
    expect(html).toContain('href="/security/risk-events/anonymizedIPAddress/ub-1-s2-e1"');
    expect(html).not.toContain('href="/security/risk-events/malwareInfectedIPAddress/ub-1-s3-e1"');
    for (const id of ['ub-1-s1', 'ub-1-s2', 'ub-1-s3']) expect(html).toContain(`id="sign-in-${id}"`);
    for (const action of ['reset-password', 'dismiss', 'confirm-compromised']) expect(html).toContain(`action="/security/users/ub-1/${action}"`);
  });

  it("answers 404 for an unknown user and another tenant's user", async () => {
    await seedEvent(database.db, other.id, { id: 'foreign-s1', userId: 'foreign-user', events: [{}] }, daysAgo(1));
    expect((await get(app, cookie, '/security/users/nobody')).status).toBe(404);
    expect((await get(app, cookie, '/security/users/foreign-user')).status).toBe(404);
    expect((await post(app, cookie, '/security/users/foreign-user/dismiss', { version: '1' })).status).toBe(404);
  });

  it('is where the users-at-risk and risky sign-ins lists send a premium admin', async () => {
    await seedUser('ub-link');
    expect(await (await get(app, cookie, '/security/users-at-risk')).text()).toContain('href="/security/users/ub-link"');
    expect(await (await get(app, cookie, '/security/risky-sign-ins')).text()).toContain('href="/security/users/ub-link"');
  });
});

describe('reset password', () => {
  it('shows a temporary password once, requires a change, remediates every active event, rolls up and audits', async () => {
    const user = await seedUser('rp-1');
    const res = await post(app, cookie, '/security/users/rp-1/reset-password', { version: String(user.version) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    const password = html.match(/data-testid="temporary-password">([^<]+)</)?.[1] ?? '';
    expect(password).toMatch(/^[a-z2-7]{20}$/);
    expect(html).toContain('2 active risk events were remediated');

    const events = await eventsOfUser('rp-1');
    expect(events.filter((e) => e.status === 'remediated').map((e) => e.riskDetail)).toEqual(['adminGeneratedTemporaryPassword', 'adminGeneratedTemporaryPassword']);
    expect(events.find((e) => e.id === 'rp-1-s3-e1')?.status).toBe('dismissedAsFixed');
    expect(await getUser(database.db, tenant.id, 'rp-1')).toMatchObject({
      passwordResetRequired: true,
      riskLevel: 'none',
      riskState: 'remediated',
      riskDetail: 'adminGeneratedTemporaryPassword',
      activeEventCount: 0,
    });
    expect((await getSignIn(database.db, tenant.id, 'rp-1-s1')).riskStatus).toBe('remediated');
    const audit = await auditOf(database.db, tenant.id, 'rp-1');
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.resetPassword', 'user.riskChanged']));
    expect((await auditOf(database.db, tenant.id, 'rp-1-s1-e1')).map((a) => a.action)).toContain('riskEvent.resetPassword');

    // Never stored, never shown again: not in the audit log, not on any later page.
    const everything = JSON.stringify(await database.db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id)));
    expect(everything).not.toContain(password);
    for (const path of ['/security/users/rp-1', '/audit', '/security/risky-sign-ins', '/security/risk-events/unlikelyTravel']) {
      expect(await (await get(app, cookie, path)).text(), path).not.toContain(password);
    }
    const blade = await (await get(app, cookie, '/security/users/rp-1')).text();
    expect(blade).toMatch(/Password reset required<\/dt><dd[^>]*>Yes/);
    // Remediated is final: nothing to reactivate.
    expect(blade).not.toContain('action="/security/risk-events/unlikelyTravel/rp-1-s1-e1/status"');
  });

  it('answers a stale version with 409 showing the fresh state, and changes nothing', async () => {
    const user = await seedUser('rp-2');
    const res = await post(app, cookie, '/security/users/rp-2/reset-password', { version: String(user.version - 1) });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('changed since you loaded');
    expect(html).not.toContain('data-testid="temporary-password"');
    expect(html).toContain(`name="version" value="${user.version}"`);
    expect((await getUser(database.db, tenant.id, 'rp-2')).passwordResetRequired).toBe(false);
    expect((await eventsOfUser('rp-2')).filter((e) => e.status === 'active')).toHaveLength(2);
  });
});

describe('dismiss all events', () => {
  it('ignores every active event with adminDismissedAllRiskForUser and leaves the user dismissed', async () => {
    const user = await seedUser('dm-1');
    const res = await post(app, cookie, '/security/users/dm-1/dismiss', { version: String(user.version) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/security/users/dm-1?done=dismissed');
    const events = await eventsOfUser('dm-1');
    expect(events.filter((e) => e.status === 'dismissedAsIgnore').map((e) => e.riskDetail)).toEqual(['adminDismissedAllRiskForUser', 'adminDismissedAllRiskForUser']);
    expect(await getUser(database.db, tenant.id, 'dm-1')).toMatchObject({ riskState: 'dismissed', riskLevel: 'none', riskDetail: 'adminDismissedAllRiskForUser', activeEventCount: 0 });
    expect((await auditOf(database.db, tenant.id, 'dm-1-s2-e1')).map((a) => a.action)).toContain('riskEvent.dismissAll');
    const html = await (await get(app, cookie, res.headers.get('location')!)).text();
    expect(html).toContain('were dismissed');
    expect(html).toContain('No active risk event.');
  });

  it('answers 409 when nothing is active, and for a stale version', async () => {
    const user = await seedUser('dm-2');
    await post(app, cookie, '/security/users/dm-2/dismiss', { version: String(user.version) });
    const stale = await post(app, cookie, '/security/users/dm-2/dismiss', { version: String(user.version) });
    expect(stale.status).toBe(409);
    const fresh = await getUser(database.db, tenant.id, 'dm-2');
    const nothing = await post(app, cookie, '/security/users/dm-2/dismiss', { version: String(fresh.version) });
    expect(nothing.status).toBe(409);
    expect(await nothing.text()).toContain('no active risk event');
  });
});

describe('confirm compromised', () => {
  it('creates a high, offline, user-activity event naming the admin; the user becomes confirmed compromised', async () => {
    const user = await seedUser('cc-1');
    const res = await post(app, cookie, '/security/users/cc-1/confirm-compromised', { version: String(user.version) });
    expect(res.status).toBe(303);
    const [created] = (await eventsOfUser('cc-1')).filter((e) => e.riskEventType === 'adminConfirmedUserCompromised');
    expect(created).toMatchObject({ riskLevel: 'high', detectionTimingType: 'offline', activity: 'user', requestId: null, status: 'active', riskDetail: 'adminConfirmedUserCompromised' });
    expect(created.evidence).toContainEqual({ key: 'confirmedBy', value: adminEmail });
    expect(await getUser(database.db, tenant.id, 'cc-1')).toMatchObject({ riskState: 'confirmedCompromised', riskLevel: 'high', activeEventCount: 3 });
    expect((await auditOf(database.db, tenant.id, created.id)).map((a) => a.action)).toContain('riskEvent.create');
    const html = await (await get(app, cookie, '/security/users/cc-1')).text();
    expect(html).toContain('Confirmed compromised');
    expect(html).toContain(`href="/security/risk-events/adminConfirmedUserCompromised/${created.id}"`);
    const details = await (await get(app, cookie, `/security/risk-events/adminConfirmedUserCompromised/${created.id}`)).text();
    expect(details).toContain(adminEmail);
  });

  it('answers a stale version with 409 and creates nothing', async () => {
    const user = await seedUser('cc-2');
    const res = await post(app, cookie, '/security/users/cc-2/confirm-compromised', { version: String(user.version + 5) });
    expect(res.status).toBe(409);
    expect((await eventsOfUser('cc-2')).some((e) => e.riskEventType === 'adminConfirmedUserCompromised')).toBe(false);
  });
});

describe('hostile text', () => {
  it('is escaped on the user blade, the type blade and the details blade', async () => {
    const hostile = '<script>alert(1)</script>';
    await seedEvent(database.db, tenant.id, { id: 'xss-1', userId: 'xss-user', userDisplayName: hostile, userPrincipalName: `"><img src=x onerror=alert(1)>@contoso.example`, city: hostile, appDisplayName: hostile, events: [{ type: 'unlikelyTravel' }], evidence: [{ key: 'previousLocation', value: hostile }, { key: 'previousLatitude', value: '1' }, { key: 'previousLongitude', value: '2' }] }, daysAgo(1));
    await database.db.update(riskEvents).set({ userDisplayName: hostile }).where(eq(riskEvents.tenantId, tenant.id));
    for (const path of ['/security/users/xss-user', '/security/risk-events/unlikelyTravel', '/security/risk-events/unlikelyTravel/xss-1-e1', '/security/risk-events']) {
      const html = await (await get(app, cookie, path)).text();
      expect(html, path).not.toContain('<script>alert');
      expect(html, path).not.toContain('<img src=x');
    }
    const details = await (await get(app, cookie, '/security/risk-events/unlikelyTravel/xss-1-e1')).text();
    expect(details).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
