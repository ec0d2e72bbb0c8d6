import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, passwordHandoffs, riskEvents, type Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditOf, getSignIn, getUser, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { DAY } from './premium-fixtures.js';

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
  await seedRiskySignIn(database.db, tenant.id, { id: `${userId}-s1`, userId, userDisplayName: `Name ${userId}`, events: [{ type: 'unlikelyTravel', level: 'medium' }] }, daysAgo(1));
  await seedRiskySignIn(database.db, tenant.id, { id: `${userId}-s2`, userId, events: [{ type: 'anonymizedIPAddress', level: 'high' }] }, daysAgo(2));
  await seedRiskySignIn(database.db, tenant.id, { id: `${userId}-s3`, userId, events: [{ type: 'malwareInfectedIPAddress', level: 'low', status: 'dismissedAsFixed' }] }, daysAgo(3));
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
    for (const action of ['reset-password', 'dismiss', 'confirm-compromised']) expect(html).toContain(`href="/security/users/ub-1/${action}"`);
  });

  it("answers 404 for an unknown user and another tenant's user", async () => {
    await seedRiskySignIn(database.db, other.id, { id: 'foreign-s1', userId: 'foreign-user', events: [{}] }, daysAgo(1));
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

/** Presses Reset password as a plain form and follows the 303 to the page that shows the password. */
async function resetPassword(userId: string, version: number) {
  const res = await post(app, cookie, `/security/users/${userId}/reset-password`, { version: String(version) });
  expect(res.status).toBe(303);
  const location = res.headers.get('location') ?? '';
  expect(location).toMatch(new RegExp(`^/security/users/${userId}/temporary-password/[A-Za-z0-9_-]{43}$`));
  return location;
}

describe('reset password', () => {
  it('asks first: a GET confirmation page says what will happen and holds the POST button, changing nothing', async () => {
    const user = await seedUser('rp-0');
    const res = await get(app, cookie, '/security/users/rp-0/reset-password');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Reset password for Name rp-0?');
    expect(html).toContain('shows it to you once');
    expect(html).toContain('2 active risk events become Remediated');
    expect(html).toContain('action="/security/users/rp-0/reset-password"');
    expect(html).toContain(`name="version" value="${user.version}"`);
    expect(html).toContain('href="/security/users/rp-0"');
    expect((await getUser(database.db, tenant.id, 'rp-0')).passwordResetRequired).toBe(false);
    // With htmx the same box comes alone, to open in place on the blade.
    const fragment = await (await get(app, cookie, '/security/users/rp-0/reset-password', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' })).text();
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('data-testid="confirm-box"');
    expect(fragment).toContain('hx-swap="delete"');
  });

  it('shows a temporary password once on a GET page, requires a change, remediates every active event, rolls up and audits', async () => {
    const user = await seedUser('rp-1');
    const location = await resetPassword('rp-1', user.version);
    const res = await get(app, cookie, location);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const password = html.match(/data-testid="temporary-password">([^<]+)</)?.[1] ?? '';
    expect(password).toMatch(/^[a-z2-7]{20}$/);
    expect(html).toContain('2 active risk events were remediated');

    // A reload shows it no more and resets nothing again.
    const again = await get(app, cookie, location);
    expect(again.status).toBe(410);
    const gone = await again.text();
    expect(gone).toContain('already been shown');
    expect(gone).not.toContain(password);
    expect((await auditOf(database.db, tenant.id, 'rp-1')).filter((a) => a.action === 'user.resetPassword')).toHaveLength(1);

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

    // Never stored in the clear, never shown again: not in the database, not on any later page.
    const everything = JSON.stringify(await database.db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id)));
    expect(everything).not.toContain(password);
    expect(await database.db.select().from(passwordHandoffs).where(eq(passwordHandoffs.tenantId, tenant.id))).toHaveLength(0);
    for (const path of ['/security/users/rp-1', '/audit', '/security/risky-sign-ins', '/security/risk-events/unlikelyTravel']) {
      expect(await (await get(app, cookie, path)).text(), path).not.toContain(password);
    }
    const blade = await (await get(app, cookie, '/security/users/rp-1')).text();
    expect(blade).toMatch(/Password reset required<\/dt><dd[^>]*>Yes/);
    // Remediated is final: nothing to reactivate.
    expect(blade).not.toContain('action="/security/risk-events/unlikelyTravel/rp-1-s1-e1/status"');
  });

  it('keeps the token hashed and the password sealed, for the admin who reset it, for 10 minutes', async () => {
    const user = await seedUser('rp-3');
    const location = await resetPassword('rp-3', user.version);
    const token = location.split('/').pop()!;
    const [row] = await database.db.select().from(passwordHandoffs).where(eq(passwordHandoffs.userId, 'rp-3'));
    expect(Buffer.from(row.tokenHash).toString('base64url')).not.toBe(token);
    expect(Buffer.from(row.sealedPassword).toString('utf8')).not.toMatch(/[a-z2-7]{20}/);
    expect(row.expiresAt.getTime() - clock.now().getTime()).toBe(10 * 60_000);

    // Another admin of the tenant, a wrong token, another user: nothing shown, and it stays for its owner.
    const colleague = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
    expect((await get(app, colleague, location)).status).toBe(410);
    expect((await get(app, cookie, `/security/users/rp-3/temporary-password/${'A'.repeat(43)}`)).status).toBe(410);
    expect((await get(app, cookie, `/security/users/rp-3/temporary-password/short`)).status).toBe(404);
    expect((await get(app, cookie, location)).status).toBe(200);

    const later = await resetPassword('rp-3', (await getUser(database.db, tenant.id, 'rp-3')).version);
    clock.advance(10 * 60_000 + 1);
    const expired = await get(app, cookie, later);
    expect(expired.status).toBe(410);
    expect(await expired.text()).not.toContain('data-testid="temporary-password"');
  });

  it('sends a boosted form on to the same GET page, and a partial htmx request there with HX-Redirect', async () => {
    const user = await seedUser('rp-4');
    const boosted = await post(app, cookie, '/security/users/rp-4/reset-password', { version: String(user.version) }, { 'HX-Request': 'true', 'HX-Request-Type': 'full' });
    expect(boosted.status).toBe(303);
    expect(boosted.headers.get('location')).toMatch(/^\/security\/users\/rp-4\/temporary-password\/[A-Za-z0-9_-]{43}$/);
    const fresh = await getUser(database.db, tenant.id, 'rp-4');
    const partial = await post(app, cookie, '/security/users/rp-4/reset-password', { version: String(fresh.version) }, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(partial.headers.get('hx-redirect')).toMatch(/^\/security\/users\/rp-4\/temporary-password\/[A-Za-z0-9_-]{43}$/);
  });

  it('answers a stale version with 409 showing the fresh state, and changes nothing', async () => {
    const user = await seedUser('rp-2');
    const res = await post(app, cookie, '/security/users/rp-2/reset-password', { version: String(user.version - 1) });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('changed since you loaded');
    expect(html).not.toContain('data-testid="temporary-password"');
    expect(html).toContain(`href="/security/users/rp-2/reset-password"`);
    expect((await getUser(database.db, tenant.id, 'rp-2')).passwordResetRequired).toBe(false);
    expect((await eventsOfUser('rp-2')).filter((e) => e.status === 'active')).toHaveLength(2);
  });
});

describe('the confirmation pages', () => {
  it('say what Dismiss all events and Confirm compromised will do, and refuse readers with 403', async () => {
    await seedUser('cf-1');
    const dismiss = await (await get(app, cookie, '/security/users/cf-1/dismiss')).text();
    expect(dismiss).toContain('2 active risk events become Ignored');
    expect(dismiss).toContain('action="/security/users/cf-1/dismiss"');
    const confirm = await (await get(app, cookie, '/security/users/cf-1/confirm-compromised')).text();
    expect(confirm).toContain('risk level becomes High');
    expect(confirm).toContain('action="/security/users/cf-1/confirm-compromised"');
    const reader = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
    for (const action of ['reset-password', 'dismiss', 'confirm-compromised']) expect((await get(app, reader, `/security/users/cf-1/${action}`)).status).toBe(403);
    expect((await get(app, cookie, '/security/users/foreign-user/dismiss')).status).toBe(404);
    expect((await get(app, cookie, '/security/users/cf-1/explode')).status).toBe(404);
    expect((await getUser(database.db, tenant.id, 'cf-1')).activeEventCount).toBe(2);
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
    await seedRiskySignIn(database.db, tenant.id, { id: 'xss-1', userId: 'xss-user', userDisplayName: hostile, userPrincipalName: `"><img src=x onerror=alert(1)>@contoso.example`, city: hostile, appDisplayName: hostile, events: [{ type: 'unlikelyTravel' }], evidence: [{ key: 'previousLocation', value: hostile }, { key: 'previousLatitude', value: '1' }, { key: 'previousLongitude', value: '2' }] }, daysAgo(1));
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
