import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp } from '../helpers/app.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { ORIGIN, get, post, signIn } from '../helpers/session.js';
import type { Admin } from '../../src/db/schema.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let premiumAdmin: Admin;
let freeAdmin: Admin;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
  premiumAdmin = await seedAdmin(database.db, await seedTenant(database.db, 'premium_p2'));
  freeAdmin = await seedAdmin(database.db, await seedTenant(database.db, 'free'));
});
afterAll(() => database.destroy());

describe('signing in and out', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie for Path=/ on success', async () => {
    const res = await app.request(`${ORIGIN}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
      body: new URLSearchParams({ email: premiumAdmin.email, password: 'correct-horse-battery' }),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^riskdesk_session=[a-z2-9]{24}\.[a-z2-9]{24};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
  });

  it('re-renders the form with 401 and one message for a wrong password or an unknown email', async () => {
    for (const [email, password] of [[premiumAdmin.email, 'wrong-password-here'], ['nobody@example.com', 'whatever-password']]) {
      const res = await app.request(`${ORIGIN}/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
        body: new URLSearchParams({ email, password }),
      });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Invalid email or password');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('sends a visitor without a session to /login with the page to come back to', async () => {
    const res = await app.request(`${ORIGIN}/security/risky-sign-ins?level=high`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fsecurity%2Frisky-sign-ins%3Flevel%3Dhigh');
  });

  it('lands premium admins on risk events and free admins on risky sign-ins', async () => {
    const premium = await signIn(app, premiumAdmin.email);
    const free = await signIn(app, freeAdmin.email);
    expect((await get(app, premium, '/security')).headers.get('location')).toBe('/security/risk-events');
    expect((await get(app, free, '/security')).headers.get('location')).toBe('/security/risky-sign-ins');
  });

  it('ends the session on sign-out', async () => {
    const cookie = await signIn(app, premiumAdmin.email);
    const out = await post(app, cookie, '/logout', {});
    expect(out.status).toBe(303);
    const after = await get(app, cookie, '/security');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  });

  it('refuses a cross-site POST with 403', async () => {
    const cookie = await signIn(app, premiumAdmin.email);
    const res = await post(app, cookie, '/logout', {}, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
    expect((await get(app, cookie, '/security')).status).toBe(302);
    expect((await get(app, cookie, '/security')).headers.get('location')).toBe('/security/risk-events');
  });

  it('answers a free tenant asking for a premium blade with 403 naming the edition that has it', async () => {
    const cookie = await signIn(app, freeAdmin.email);
    const res = await get(app, cookie, '/security/risk-events');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Premium P1 and Premium P2');
  });
});
