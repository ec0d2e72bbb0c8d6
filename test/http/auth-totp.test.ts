import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { seedAdmin, seedTenant, TEST_PASSWORD } from '../helpers/fixtures.js';
import { totpCodeAt } from '../../src/auth/totp.js';
import { admins, auditLog, recoveryCodes, tenants, type Admin } from '../../src/db/schema.js';
import { getPage, hiddenValue, postForm, postLogin, sessionCookieOf } from './auth-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const STEP = 30 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

let octet = 0;
function ip() {
  octet += 1;
  return `192.0.2.${octet}`;
}

async function currentVersion(adminId: string): Promise<string> {
  const [row] = await database.db.select({ version: admins.version }).from(admins).where(eq(admins.id, adminId));
  return String(row.version);
}

/** Signs in with the password and turns MFA on through the pages; returns the key, the codes and the session. */
async function enrol(app: ReturnType<typeof buildTestApp>, clock: ReturnType<typeof testClock>, admin: Admin) {
  const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
  const setup = await getPage(app, '/settings/account/two-factor', { cookie, ip: ip() });
  expect(setup.status).toBe(200);
  expect(setup.headers.get('cache-control')).toBe('no-store');
  const html = await setup.text();
  const secret = hiddenValue(html, 'secret')!;
  expect(html).toContain(`otpauth://totp/Riskdesk:${encodeURIComponent(admin.email)}?`);
  expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
  const key = decodeBase32IgnorePadding(secret);
  const done = await postForm(app, '/settings/account/two-factor', { secret, code: totpCodeAt(key, clock.now()), version: hiddenValue(html, 'version')! }, { cookie, ip: ip() });
  expect(done.status).toBe(200);
  const codes = [...(await done.text()).matchAll(/<li>([a-z2-7]{5}-[a-z2-7]{5})<\/li>/g)].map((m) => m[1]);
  expect(codes).toHaveLength(10);
  return { key, codes, cookie };
}

async function newAdmin(edition: 'free' | 'premium_p2' = 'premium_p2', role: Admin['role'] = 'security_reader') {
  return seedAdmin(database.db, await seedTenant(database.db, edition), role);
}

describe('enrolling in two-step verification', () => {
  it('needs a right code before it saves the key, and stores recovery codes hashed', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    const html = await (await getPage(app, '/settings/account/two-factor', { cookie, ip: ip() })).text();
    const secret = hiddenValue(html, 'secret')!;
    const wrong = await postForm(app, '/settings/account/two-factor', { secret, code: '000000', version: hiddenValue(html, 'version')! }, { cookie, ip: ip() });
    expect(wrong.status).toBe(400);
    expect(hiddenValue(await wrong.text(), 'secret')).toBe(secret);
    const [row] = await database.db.select().from(admins).where(eq(admins.id, admin.id));
    expect(row.totpSecret).toBeNull();

    const { codes, cookie: enrolled } = await enrol(app, clock, admin);
    const stored = await database.db.select().from(recoveryCodes).where(eq(recoveryCodes.adminId, admin.id));
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.map((s) => s.codeHash)).not.toContain(code);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, admin.email));
    expect(audit.map((a) => a.action)).toContain('admin.enableMfa');
    expect(await (await getPage(app, '/settings/account', { cookie: enrolled })).text()).toContain('10 of 10 recovery codes left');
    // The session that signed in before enrolment must now prove the new factor.
    expect((await getPage(app, '/settings/account', { cookie, ip: ip() })).headers.get('location')).toBe('/login/two-factor?next=%2Fsettings%2Faccount');
  });
});

describe('signing in with two-step verification', () => {
  it('asks for the code after the password, and lets nothing else through until it is given', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { key } = await enrol(app, clock, admin);
    clock.advance(STEP);

    const first = await postLogin(app, { email: admin.email, next: '/security/sign-ins' }, { ip: ip() });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login/two-factor?next=%2Fsecurity%2Fsign-ins');
    const cookie = sessionCookieOf(first)!;
    for (const path of ['/security/sign-ins', '/settings/account', '/settings/account/two-factor']) {
      const res = await getPage(app, path, { cookie, ip: ip() });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toMatch(/^\/login\/two-factor/);
    }
    const removal = await postForm(app, '/settings/account/two-factor/remove', { password: TEST_PASSWORD, version: '2' }, { cookie, ip: ip() });
    expect(removal.status).toBe(303);
    expect(removal.headers.get('location')).toBe('/login/two-factor');

    const page = await getPage(app, '/login/two-factor?next=%2Fsecurity%2Fsign-ins', { cookie, ip: ip() });
    expect(page.status).toBe(200);
    const form = await page.text();
    expect(form).toContain('name="code"');
    expect(form).toContain('name="next" value="/security/sign-ins"');

    const wrong = await postForm(app, '/login/two-factor', { code: '123456', next: '/security/sign-ins' }, { cookie, ip: ip() });
    expect(wrong.status).toBe(401);
    const right = await postForm(app, '/login/two-factor', { code: totpCodeAt(key, clock.now()), next: '/security/sign-ins' }, { cookie, ip: ip() });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/security/sign-ins');
    expect((await getPage(app, '/settings/account', { cookie, ip: ip() })).status).toBe(200);
  });

  it('refuses a code already used in the same 30-second window', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { key } = await enrol(app, clock, admin);
    clock.advance(STEP);
    const code = totpCodeAt(key, clock.now());

    const a = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    expect((await postForm(app, '/login/two-factor', { code }, { cookie: a, ip: ip() })).status).toBe(303);
    clock.advance(5000);
    const b = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    const replay = await postForm(app, '/login/two-factor', { code }, { cookie: b, ip: ip() });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('Invalid code');
    expect((await getPage(app, '/settings/account', { cookie: b, ip: ip() })).status).toBe(302);

    // The code enrolment used cannot be replayed either; the next window's code works.
    clock.advance(STEP);
    expect((await postForm(app, '/login/two-factor', { code: totpCodeAt(key, clock.now()) }, { cookie: b, ip: ip() })).status).toBe(303);
  });

  it('accepts a code one step early or late (clock drift) but not two', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { key } = await enrol(app, clock, admin);
    clock.advance(10 * STEP);
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    expect((await postForm(app, '/login/two-factor', { code: totpCodeAt(key, new Date(clock.now().getTime() - 2 * STEP)) }, { cookie, ip: ip() })).status).toBe(401);
    expect((await postForm(app, '/login/two-factor', { code: totpCodeAt(key, new Date(clock.now().getTime() + STEP)) }, { cookie, ip: ip() })).status).toBe(303);
  });

  it('accepts each recovery code once, in any case and with or without its dash', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { codes } = await enrol(app, clock, admin);

    const a = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    expect((await postForm(app, '/login/two-factor', { code: codes[3].toUpperCase().replace('-', '') }, { cookie: a, ip: ip() })).status).toBe(303);
    const b = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    expect((await postForm(app, '/login/two-factor', { code: codes[3] }, { cookie: b, ip: ip() })).status).toBe(401);
    expect((await postForm(app, '/login/two-factor', { code: codes[4] }, { cookie: b, ip: ip() })).status).toBe(303);
    expect(await (await getPage(app, '/settings/account', { cookie: b, ip: ip() })).text()).toContain('8 of 10 recovery codes left');
  });

  it('takes email, password and code in one POST /login too, with one message for any wrong part', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { key } = await enrol(app, clock, admin);
    clock.advance(STEP);
    const wrong = await postLogin(app, { email: admin.email, code: '111111' }, { ip: ip() });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Invalid email or password');
    const right = await postLogin(app, { email: admin.email, code: totpCodeAt(key, clock.now()), next: '/settings/account' }, { ip: ip() });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/settings/account');
    expect((await getPage(app, '/settings/account', { cookie: sessionCookieOf(right)! })).status).toBe(200);
  });

  it('throttles wrong codes like wrong passwords', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { key } = await enrol(app, clock, admin);
    clock.advance(STEP);
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: ip() }))!;
    for (let i = 0; i < 5; i++) expect((await postForm(app, '/login/two-factor', { code: String(100000 + i) }, { cookie, ip: ip() })).status).toBe(401);
    const blocked = await postForm(app, '/login/two-factor', { code: totpCodeAt(key, clock.now()) }, { cookie, ip: ip() });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The password step is slowed as well: it is the same account.
    expect((await postLogin(app, { email: admin.email }, { ip: ip() })).status).toBe(429);
  });
});

describe('turning two-step verification off', () => {
  it('needs the current password or a code', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { key, cookie } = await enrol(app, clock, admin);
    const version = await currentVersion(admin.id);
    expect((await postForm(app, '/settings/account/two-factor/remove', { password: 'not-my-password', version }, { cookie, ip: ip() })).status).toBe(400);
    expect((await postForm(app, '/settings/account/two-factor/remove', { version }, { cookie, ip: ip() })).status).toBe(400);
    clock.advance(STEP);
    const off = await postForm(app, '/settings/account/two-factor/remove', { code: totpCodeAt(key, clock.now()), version }, { cookie, ip: ip() });
    expect(off.status).toBe(303);
    const [row] = await database.db.select().from(admins).where(eq(admins.id, admin.id));
    expect(row.totpSecret).toBeNull();
    expect(await database.db.select().from(recoveryCodes).where(eq(recoveryCodes.adminId, admin.id))).toHaveLength(0);
    // Signing in again needs only the password.
    const again = await postLogin(app, { email: admin.email, next: '/settings/account' }, { ip: ip() });
    expect(again.headers.get('location')).toBe('/settings/account');
  });

  it('answers a stale form with 409', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin();
    const { cookie } = await enrol(app, clock, admin);
    const res = await postForm(app, '/settings/account/two-factor/remove', { password: TEST_PASSWORD, version: '1' }, { cookie, ip: ip() });
    expect(res.status).toBe(409);
  });
});

describe('a tenant that requires two-step verification', () => {
  it('sends an admin without it to set it up before anything else, then lets them in', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await newAdmin('free', 'security_admin');
    await database.db.update(tenants).set({ mfaRequired: true }).where(eq(tenants.id, admin.tenantId));
    const login = await postLogin(app, { email: admin.email, next: '/security/sign-ins' }, { ip: ip() });
    expect(login.status).toBe(303);
    const cookie = sessionCookieOf(login)!;
    const res = await getPage(app, '/security/sign-ins', { cookie, ip: ip() });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/settings/account?required=mfa');
    const page = await (await getPage(app, '/settings/account?required=mfa', { cookie, ip: ip() })).text();
    expect(page).toContain('Your organisation requires two-step verification');
    expect((await postForm(app, '/logout', {}, { cookie, ip: ip() })).status).toBe(303);

    const { cookie: enrolled } = await enrol(app, clock, admin);
    expect((await getPage(app, '/security/sign-ins', { cookie: enrolled })).status).not.toBe(302);
  });
});
