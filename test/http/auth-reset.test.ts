import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp } from '../helpers/app.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { resetAdminPassword } from '../../src/actions/admins.js';
import { OPERATOR } from '../../src/actions/audit-record.js';
import { getPage, postForm, postLogin, sessionCookieOf } from './auth-helpers.js';

// What the operator's `riskdesk admin reset-password` does to a signed-in admin, through HTTP.

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe('an operator password reset', () => {
  it('ends every session, and the temporary password leads straight to choosing a new one', async () => {
    const app = buildTestApp(database);
    const admin = await seedAdmin(database.db, await seedTenant(database.db, 'premium_p1'));
    const before = sessionCookieOf(await postLogin(app, { email: admin.email }, { ip: '192.0.2.10' }))!;
    const { temporaryPassword, admin: reset } = await resetAdminPassword(database.db, admin.email, OPERATOR);
    expect((await getPage(app, '/settings/account', { cookie: before })).status).toBe(302);

    const login = await postLogin(app, { email: admin.email, password: temporaryPassword }, { ip: '192.0.2.11' });
    expect(login.status).toBe(303);
    const cookie = sessionCookieOf(login)!;
    expect((await getPage(app, '/security', { cookie })).headers.get('location')).toBe('/settings/account?required=password');
    const page = await (await getPage(app, '/settings/account?required=password', { cookie })).text();
    expect(page).toContain('Choose your own password to continue');
    const changed = await postForm(
      app,
      '/settings/account/password',
      { currentPassword: temporaryPassword, newPassword: 'chosen-by-me-at-last', confirmPassword: 'chosen-by-me-at-last', version: String(reset.version) },
      { cookie, ip: '192.0.2.12' },
    );
    expect(changed.status).toBe(303);
    expect((await getPage(app, '/security', { cookie })).headers.get('location')).toBe('/security/risk-events');
  });
});
