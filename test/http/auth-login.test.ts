import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { seedAdmin, seedTenant, TEST_PASSWORD } from '../helpers/fixtures.js';
import { ORIGIN } from '../helpers/session.js';
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS, RENEW_INTERVAL_MS } from '../../src/auth/sessions.js';
import type { Admin } from '../../src/db/schema.js';
import { getPage, postForm, postLogin, sessionCookieOf } from './auth-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: Admin;
const MINUTE = 60 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = await seedAdmin(database.db, await seedTenant(database.db, 'premium_p2'));
});
afterAll(() => database.destroy());

/** Each test signs in from an address of its own, so throttling in one cannot affect another. */
let nextAddress = 1;
function address() {
  nextAddress += 1;
  return `198.51.100.${nextAddress}`;
}

describe('signing in', () => {
  it('answers a right email and password with 303 to the page asked for and a new session cookie', async () => {
    const app = buildTestApp(database);
    const res = await postLogin(app, { email: admin.email.toUpperCase(), next: '/security/sign-ins?user=ann' }, { ip: address() });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/security/sign-ins?user=ann');
    const cookie = sessionCookieOf(res)!;
    expect((await getPage(app, '/settings/account', { cookie })).status).toBe(200);
  });

  it.each([
    ['a wrong password', () => ({ email: admin.email, password: 'not-the-password' })],
    ['an unknown email', () => ({ email: 'nobody@nowhere.example', password: TEST_PASSWORD })],
    ['an empty password', () => ({ email: admin.email, password: '' })],
  ])('answers %s with 401, the same message, and no cookie', async (_, form) => {
    const res = await postLogin(buildTestApp(database), form(), { ip: address() });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Invalid email or password');
    expect(html).toContain('<form method="post" action="/login"');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and no Secure on localhost over http', async () => {
    const res = await postLogin(buildTestApp(database), { email: admin.email }, { ip: address() });
    const header = res.headers.get('set-cookie')!;
    expect(header).toMatch(/^riskdesk_session=[a-z2-9]{24}\.[a-z2-9]{24};/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Secure/);
  });

  it('adds Secure and the __Host- prefix when PUBLIC_ORIGIN is https, and reads that cookie back', async () => {
    const origin = 'https://riskdesk.example.com';
    const app = buildTestApp(database, { config: { publicOrigin: origin } });
    const res = await app.request(`${origin}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: new URLSearchParams({ email: admin.email, password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(303);
    const header = res.headers.get('set-cookie')!;
    expect(header).toMatch(/^__Host-riskdesk_session=/);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Domain=/);
    const page = await app.request(`${origin}/settings/account`, { headers: { Cookie: header.split(';')[0] } });
    expect(page.status).toBe(200);
  });

  it('ignores a session cookie planted before sign-in and issues a different one (no fixation)', async () => {
    const app = buildTestApp(database);
    const planted = 'riskdesk_session=aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb';
    const res = await postLogin(app, { email: admin.email }, { ip: address(), cookie: planted });
    expect(res.status).toBe(303);
    const issued = sessionCookieOf(res)!;
    expect(issued).not.toBe(planted);
    expect((await getPage(app, '/settings/account', { cookie: planted })).status).toBe(302);

    // Signing in again while signed in also gives a new session; the old one stays its own.
    const again = await postLogin(app, { email: admin.email }, { ip: address(), cookie: issued });
    expect(sessionCookieOf(again)).not.toBe(issued);
  });

  it('shows no demo logins outside a demo install', async () => {
    const html = await (await getPage(buildTestApp(database), '/login')).text();
    expect(html).not.toContain('riskdesk-demo');
  });

  it('lists the demo logins on an embedded install that has the demo admins', async () => {
    const tenant = await seedTenant(database.db, 'premium_p2');
    const { createAdmin } = await import('../../src/actions/admins.js');
    const { SYSTEM } = await import('../../src/actions/audit-record.js');
    await createAdmin(database.db, { tenantId: tenant.id, email: 'admin@contoso.com', role: 'global_admin', password: 'riskdesk-demo' }, SYSTEM);
    const embedded = await (await getPage(buildTestApp(database, { config: { databaseUrl: null } }), '/login')).text();
    expect(embedded).toContain('riskdesk-demo');
    expect(embedded).toContain('admin@contoso.com');
    const server = await (await getPage(buildTestApp(database, { config: { databaseUrl: 'postgres://x@localhost/y' } }), '/login')).text();
    expect(server).not.toContain('riskdesk-demo');
  });
});

describe('where sign-in leads (next)', () => {
  it.each([
    '//evil.example',
    'https://evil.example',
    '/\\evil',
    '%2F%2Fevil.example',
    'javascript:alert(1)',
    '/%5Cevil.example',
    '\\\\evil.example',
    ' //evil.example',
    '/\t/evil.example',
    'http:/evil.example',
  ])('never sends the browser off-site for next=%j', async (next) => {
    const res = await postLogin(buildTestApp(database), { email: admin.email, next }, { ip: address() });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location.startsWith('/')).toBe(true);
    expect(location.startsWith('//')).toBe(false);
    expect(location).not.toContain('\\');
    expect(new URL(location, ORIGIN).origin).toBe(ORIGIN);
  });

  it('keeps a local next through the login form', async () => {
    const app = buildTestApp(database);
    const form = await (await getPage(app, '/login?next=%2Fsecurity%2Fsign-ins%3Fuser%3Dx')).text();
    expect(form).toContain('name="next" value="/security/sign-ins?user=x"');
    const evil = await (await getPage(app, '/login?next=%2F%2Fevil.example')).text();
    expect(evil).not.toContain('evil.example');
  });
});

describe('session lifetime', () => {
  it('ends a session idle for 12 hours', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: address() }))!;
    clock.advance(IDLE_TIMEOUT_MS - MINUTE);
    expect((await getPage(app, '/settings/account', { cookie })).status).toBe(200);
    clock.advance(IDLE_TIMEOUT_MS);
    const res = await getPage(app, '/settings/account', { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fsettings%2Faccount');
  });

  it('renews an active session at most every 10 minutes, sending the cookie again', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: address() }))!;
    clock.advance(RENEW_INTERVAL_MS - MINUTE);
    expect((await getPage(app, '/settings/account', { cookie })).headers.get('set-cookie')).toBeNull();
    clock.advance(2 * MINUTE);
    const renewed = await getPage(app, '/settings/account', { cookie });
    expect(renewed.status).toBe(200);
    const header = renewed.headers.get('set-cookie')!;
    expect(header.split(';')[0]).toBe(cookie);
    expect(new Date(/Expires=([^;]+)/.exec(header)![1]).getTime()).toBe(clock.now().getTime() - (clock.now().getTime() % 1000) + IDLE_TIMEOUT_MS);
  });

  it('keeps a session used every few hours alive, but never past 7 days', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: address() }))!;
    const step = 6 * 60 * MINUTE;
    let elapsed = 0;
    while (elapsed + step < ABSOLUTE_LIFETIME_MS) {
      clock.advance(step);
      elapsed += step;
      expect((await getPage(app, '/settings/account', { cookie })).status, `after ${elapsed / 3600000} h`).toBe(200);
    }
    clock.advance(ABSOLUTE_LIFETIME_MS - elapsed);
    expect((await getPage(app, '/settings/account', { cookie })).status).toBe(302);
  });
});

describe('without a session', () => {
  it('tells htmx to load the login page as a whole page instead of swapping it into a fragment', async () => {
    const res = await getPage(buildTestApp(database), '/security/risky-sign-ins?level=high', { headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } });
    expect(res.headers.get('hx-redirect')).toBe('/login?next=%2Fsecurity%2Frisky-sign-ins%3Flevel%3Dhigh');
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('signing out', () => {
  it('deletes the session and the cookie', async () => {
    const app = buildTestApp(database);
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: address() }))!;
    const out = await postForm(app, '/logout', {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(out.headers.get('set-cookie')).toMatch(/riskdesk_session=;.*Max-Age=0/);
    expect((await getPage(app, '/settings/account', { cookie })).status).toBe(302);
  });
});

describe('cross-site requests', () => {
  it.each([
    [{ Origin: 'https://evil.example' }],
    [{ 'Sec-Fetch-Site': 'cross-site' }],
    [{ 'Sec-Fetch-Site': 'same-site' }],
    [{ Origin: 'null' }],
  ])('refuses a POST with %j with 403 and changes nothing', async (headers) => {
    const app = buildTestApp(database);
    const cookie = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: address() }))!;
    const res = await postForm(app, '/settings/account/timezone', { timezone: 'Europe/Paris', version: '1' }, { cookie, headers });
    expect(res.status).toBe(403);
    const login = await postForm(app, '/login', { email: admin.email, password: TEST_PASSWORD }, { headers, ip: address() });
    expect(login.status).toBe(403);
    expect((await getPage(app, '/settings/account', { cookie })).status).toBe(200);
  });
});
