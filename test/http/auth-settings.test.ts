import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp } from '../helpers/app.js';
import { seedAdmin, seedTenant, TEST_PASSWORD } from '../helpers/fixtures.js';
import { admins, auditLog, sessions, tenants, type Admin, type Tenant } from '../../src/db/schema.js';
import { formatDateTime, Time } from '../../views/components/time.js';
import { getPage, postForm, postLogin, sessionCookieOf, sessionFor } from './auth-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

let octet = 0;
function ip() {
  octet += 1;
  return `198.18.0.${octet}`;
}

async function fresh(admin: Admin): Promise<Admin> {
  const [row] = await database.db.select().from(admins).where(eq(admins.id, admin.id));
  return row;
}

async function auditActions(tenantId: string): Promise<string[]> {
  const rows = await database.db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(auditLog.id);
  return rows.map((row) => row.action);
}

async function tenantWithAdmins(): Promise<{ tenant: Tenant; global: Admin; reader: Admin; cookie: string }> {
  const tenant = await seedTenant(database.db, 'basic');
  const global = await seedAdmin(database.db, tenant, 'global_admin');
  const reader = await seedAdmin(database.db, tenant, 'security_reader');
  return { tenant, global, reader, cookie: await sessionFor(database, global) };
}

describe('times in the admin’s timezone', () => {
  it('formats an instant in the given IANA timezone, and in UTC for an unknown one', () => {
    const instant = new Date('2026-07-01T12:34:56Z');
    expect(formatDateTime(instant, 'UTC')).toBe('2026-07-01 12:34:56 UTC');
    expect(formatDateTime(instant, 'Europe/Paris')).toBe('2026-07-01 14:34:56 CEST');
    expect(formatDateTime(instant, 'Asia/Kolkata')).toBe('2026-07-01 18:04:56 GMT+5:30');
    expect(formatDateTime(instant, 'Not/AZone')).toBe('2026-07-01 12:34:56 UTC');
  });

  it('renders <time> with the exact instant in datetime', async () => {
    const html = String(Time({ date: new Date('2026-01-02T03:04:05Z'), timeZone: 'America/New_York' }));
    expect(html).toBe('<time datetime="2026-01-02T03:04:05.000Z">2026-01-01 22:04:05 GMT-5</time>');
  });
});

describe('/settings/account', () => {
  it('is open to a security reader, who can change their own timezone', async () => {
    const { tenant, reader } = await tenantWithAdmins();
    const cookie = await sessionFor(database, reader);
    const page = await getPage(app, '/settings/account', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<option value="Europe/Paris">');
    const res = await postForm(app, '/settings/account/timezone', { timezone: 'europe/paris', version: String(reader.version) }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/account?done=timezone');
    const after = await fresh(reader);
    expect(after.timezone).toBe('Europe/Paris');
    expect(after.version).toBe(reader.version + 1);
    expect(await (await getPage(app, '/settings/account', { cookie })).text()).toContain('<option value="Europe/Paris" selected="">');
    expect(await auditActions(tenant.id)).toContain('admin.setTimezone');
  });

  it.each(['Mars/Olympus', '+01:00', 'Europe/Paris; drop table admins', ''])('refuses the timezone %j with 400 naming it', async (timezone) => {
    const { reader } = await tenantWithAdmins();
    const res = await postForm(app, '/settings/account/timezone', { timezone, version: String(reader.version) }, { cookie: await sessionFor(database, reader) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('timezone must be an IANA timezone name');
  });

  it('answers a stale version with 409 and the current state', async () => {
    const { global, cookie } = await tenantWithAdmins();
    await postForm(app, '/settings/account/timezone', { timezone: 'Asia/Tokyo', version: String(global.version) }, { cookie });
    const stale = await postForm(app, '/settings/account/timezone', { timezone: 'Europe/Oslo', version: String(global.version) }, { cookie });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('<option value="Asia/Tokyo" selected="">');
    expect((await fresh(global)).timezone).toBe('Asia/Tokyo');
  });

  it('changes the password given the current one, keeps this session and ends the others', async () => {
    const { tenant, reader } = await tenantWithAdmins();
    const here = sessionCookieOf(await postLogin(app, { email: reader.email }, { ip: ip() }))!;
    const elsewhere = sessionCookieOf(await postLogin(app, { email: reader.email }, { ip: ip() }))!;
    const newPassword = 'a-much-better-passphrase';
    const form = (current: string, next: string, confirm = next) => ({ currentPassword: current, newPassword: next, confirmPassword: confirm, version: String(reader.version) });

    expect((await postForm(app, '/settings/account/password', form('wrong-current-pw', newPassword), { cookie: here, ip: ip() })).status).toBe(400);
    expect((await postForm(app, '/settings/account/password', form(TEST_PASSWORD, newPassword, 'something-else-entirely'), { cookie: here })).status).toBe(400);
    const short = await postForm(app, '/settings/account/password', form(TEST_PASSWORD, 'short'), { cookie: here });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 12 characters');

    const ok = await postForm(app, '/settings/account/password', form(TEST_PASSWORD, newPassword), { cookie: here, ip: ip() });
    expect(ok.status).toBe(303);
    expect((await getPage(app, '/settings/account', { cookie: here })).status).toBe(200);
    expect((await getPage(app, '/settings/account', { cookie: elsewhere })).status).toBe(302);
    expect((await postLogin(app, { email: reader.email }, { ip: ip() })).status).toBe(401);
    expect((await postLogin(app, { email: reader.email, password: newPassword }, { ip: ip() })).status).toBe(303);
    expect(await auditActions(tenant.id)).toContain('admin.changePassword');
  });
});

describe('/settings/admins', () => {
  it('adds an admin with a temporary password shown once, who must change it at first sign-in', async () => {
    const { tenant, cookie } = await tenantWithAdmins();
    const email = `new.admin@${tenant.domain}`;
    const res = await postForm(app, '/settings/admins', { email: email.toUpperCase(), role: 'security_admin' }, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const password = /<li>([a-z2-7]{20})<\/li>/.exec(html)![1];
    expect(await (await getPage(app, '/settings/admins', { cookie })).text()).not.toContain(password);
    expect(await auditActions(tenant.id)).toContain('admin.create');

    const login = await postLogin(app, { email, password, next: '/security/sign-ins' }, { ip: ip() });
    expect(login.status).toBe(303);
    const newCookie = sessionCookieOf(login)!;
    const blocked = await getPage(app, '/security/sign-ins', { cookie: newCookie });
    expect(blocked.headers.get('location')).toBe('/settings/account?required=password');
    const version = String((await database.db.select().from(admins).where(eq(admins.email, email)))[0].version);
    const changed = await postForm(
      app,
      '/settings/account/password',
      { currentPassword: password, newPassword: 'my-own-password-now', confirmPassword: 'my-own-password-now', version },
      { cookie: newCookie, ip: ip() },
    );
    expect(changed.status).toBe(303);
    expect((await getPage(app, '/security/sign-ins', { cookie: newCookie })).headers.get('location')).not.toBe('/settings/account?required=password');
  });

  it.each([
    [{ email: 'not-an-email', role: 'security_reader' }, 400, 'email must be an email address'],
    [{ email: 'someone@example.com', role: 'owner' }, 400, 'role must be one of'],
  ])('refuses %j with %i naming the problem', async (form, status, message) => {
    const { cookie } = await tenantWithAdmins();
    const res = await postForm(app, '/settings/admins', form, { cookie });
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message);
  });

  it('refuses an email that already belongs to an admin with 409', async () => {
    const { reader, cookie } = await tenantWithAdmins();
    expect((await postForm(app, '/settings/admins', { email: reader.email, role: 'security_reader' }, { cookie })).status).toBe(409);
  });

  it('changes a role, refusing a stale version and the demotion of the last global admin', async () => {
    const { tenant, global, reader, cookie } = await tenantWithAdmins();
    const promoted = await postForm(app, `/settings/admins/${reader.id}/role`, { role: 'security_admin', version: String(reader.version) }, { cookie });
    expect(promoted.status).toBe(303);
    expect((await fresh(reader)).role).toBe('security_admin');
    expect((await postForm(app, `/settings/admins/${reader.id}/role`, { role: 'security_reader', version: String(reader.version) }, { cookie })).status).toBe(409);
    const last = await postForm(app, `/settings/admins/${global.id}/role`, { role: 'security_reader', version: String(global.version) }, { cookie });
    expect(last.status).toBe(409);
    expect(await last.text()).toContain('last global administrator');
    expect(await auditActions(tenant.id)).toContain('admin.changeRole');
  });

  it('removes another admin and ends their sessions, but never oneself', async () => {
    const { tenant, global, reader, cookie } = await tenantWithAdmins();
    const readerCookie = await sessionFor(database, reader);
    expect((await postForm(app, `/settings/admins/${global.id}/remove`, { version: String(global.version) }, { cookie })).status).toBe(409);
    const res = await postForm(app, `/settings/admins/${reader.id}/remove`, { version: String(reader.version) }, { cookie });
    expect(res.status).toBe(303);
    expect(await database.db.select().from(admins).where(eq(admins.id, reader.id))).toHaveLength(0);
    expect(await database.db.select().from(sessions).where(eq(sessions.adminId, reader.id))).toHaveLength(0);
    expect((await getPage(app, '/settings/account', { cookie: readerCookie })).status).toBe(302);
    expect(await auditActions(tenant.id)).toContain('admin.remove');
  });

  it('answers another tenant’s admin id, or an id that is not one, with 404 and changes nothing', async () => {
    const { cookie } = await tenantWithAdmins();
    const other = await tenantWithAdmins();
    for (const id of [other.reader.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      for (const [action, form] of [
        ['role', { role: 'global_admin', version: '1' }],
        ['remove', { version: '1' }],
        ['reset-mfa', { version: '1' }],
      ] as const) {
        const res = await postForm(app, `/settings/admins/${id}/${action}`, form, { cookie });
        expect(res.status, `${action} ${id}`).toBe(404);
      }
    }
    const untouched = await fresh(other.reader);
    expect(untouched.role).toBe('security_reader');
    expect(await auditActions(other.tenant.id)).not.toContain('admin.remove');
    expect(await (await getPage(app, '/settings/admins', { cookie })).text()).not.toContain(other.reader.email);
  });

  it('requires MFA for the tenant only once the acting admin has it, and records it', async () => {
    const { tenant, cookie } = await tenantWithAdmins();
    const refused = await postForm(app, '/settings/admins/mfa-required', { mfaRequired: 'true' }, { cookie });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Turn on two-step verification for your own account first');
    const [row] = await database.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row.mfaRequired).toBe(false);
  });

  it('is for global admins only', async () => {
    const { tenant, reader } = await tenantWithAdmins();
    const securityAdmin = await seedAdmin(database.db, tenant, 'security_admin');
    for (const admin of [reader, securityAdmin]) {
      const cookie = await sessionFor(database, admin);
      expect((await getPage(app, '/settings/admins', { cookie })).status).toBe(403);
      expect((await postForm(app, '/settings/admins', { email: `x${admin.id.slice(0, 4)}@${tenant.domain}`, role: 'global_admin' }, { cookie })).status).toBe(403);
      expect(await database.db.select().from(admins).where(and(eq(admins.tenantId, tenant.id), eq(admins.role, 'global_admin')))).toHaveLength(1);
    }
  });
});
