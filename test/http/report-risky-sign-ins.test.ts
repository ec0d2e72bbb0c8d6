import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { admins, type Tenant } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky, insertSignIns } from './report-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let admin: string;
let reader: string;
let emptyAdmin: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  tenant = await seedTenant(database.db, 'free');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  reader = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
  emptyAdmin = await signIn(app, (await seedAdmin(database.db, await seedTenant(database.db, 'free'))).email);
  await insertRisky(database.db, tenant.id, [
    { id: 'r-active', createdDateTime: ago(1), level: 'high', status: 'active', types: ['anonymizedIPAddress', 'unfamiliarFeatures'] },
    { id: 'r-dismissed', createdDateTime: ago(2), level: 'low', status: 'dismissedAsIgnore', userId: 'user-2', userPrincipalName: 'bob@contoso.com', userDisplayName: 'Bob' },
    { id: 'r-remediated', createdDateTime: ago(3), level: 'medium', status: 'remediated' },
  ]);
  await insertSignIns(database.db, tenant.id, [{ id: 'clean-1', createdDateTime: ago(1) }]);
});
afterAll(() => database.destroy());

describe('the risky sign-ins list', () => {
  it('shows only risky sign-ins, newest first, with level, status, types and result', async () => {
    const res = await get(app, admin, '/security/risky-sign-ins');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toMatch(/Security.*&#8250;.*Risky sign-ins/s);
    expect(html).not.toContain('sign-in-clean-1');
    const order = ['sign-in-r-active', 'sign-in-r-dismissed', 'sign-in-r-remediated'].map((id) => html.indexOf(`id="${id}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('Anonymous IP address, Unfamiliar location');
    expect(html).toContain('<time datetime="2026-11-27T11:00:00.000Z"');
    expect(html).toContain('3</strong> risky sign-ins');
  });

  it('renders one feedback button per allowed action and checkboxes for the bulk form', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins')).text();
    const row = (id: string) => html.slice(html.indexOf(`id="sign-in-${id}"`), html.indexOf('</tr>', html.indexOf(`id="sign-in-${id}"`)));
    expect(row('r-active')).toContain('value="resolve"');
    expect(row('r-active')).toContain('value="falsePositive"');
    expect(row('r-active')).toContain('value="ignore"');
    expect(row('r-active')).not.toContain('value="reactivate"');
    expect(row('r-active')).toContain('action="/security/risky-sign-ins/r-active/feedback"');
    expect(row('r-active')).toContain(`hx-boost="target:'closest tr' swap:outerHTML push:false"`);
    expect(row('r-dismissed')).toContain('value="reactivate"');
    expect(row('r-dismissed')).not.toContain('value="resolve"');
    expect(row('r-remediated')).not.toContain('<form');
    expect(html).toContain('name="signInId" value="r-active" form="bulk-form"');
    expect(html).toContain('id="bulk-form"');
    expect(html).toContain('name="scope" value="all"');
  });

  it('shows a security reader no action buttons and no checkboxes', async () => {
    const html = await (await get(app, reader, '/security/risky-sign-ins')).text();
    expect(html).toContain('id="sign-in-r-active"');
    expect(html).not.toContain('name="action"');
    expect(html).not.toContain('name="signInId"');
    expect(html).not.toContain('select-all');
    expect(html).not.toContain('bulk-form');
  });

  it('shows the outcome of a bulk action, without carrying it into returnTo or downloads', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins?level=low&feedback=resolve&changed=2&skipped=1&notFound=0')).text();
    expect(html).toContain('Resolved: 2 sign-ins.');
    expect(html).toContain('name="returnTo" value="/security/risky-sign-ins?level=low"');
    expect(html).toContain('name="filter" value="level=low"');
    expect(html).toContain('href="/security/risky-sign-ins/export.csv?level=low"');
    expect(html).not.toContain('changed=2');
  });

  it("renders times in the admin's timezone, with the instant in datetime", async () => {
    const paris = await seedAdmin(database.db, tenant, 'security_reader');
    await database.db.update(admins).set({ timezone: 'Europe/Paris' }).where(eq(admins.id, paris.id));
    const html = await (await get(app, await signIn(app, paris.email), '/security/risky-sign-ins')).text();
    expect(html).toMatch(/<time datetime="2026-11-27T11:00:00.000Z"[^>]*>2026-11-27 12:00:00 (CET|GMT\+1)<\/time>/);
  });

  it('links users to their sign-ins on a free tenant', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins')).text();
    expect(html).toContain('href="/security/sign-ins?userId=user-2"');
  });

  it('answers an htmx partial request with the results fragment only, and varies on both headers', async () => {
    const res = await get(app, admin, '/security/risky-sign-ins?level=high', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request, HX-Request-Type');
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="sign-in-r-active"');
    expect(html).not.toContain('id="sign-in-r-dismissed"');
  });

  it('answers a boosted full request with the whole page', async () => {
    const res = await get(app, admin, '/security/risky-sign-ins?level=high', { 'HX-Request': 'true', 'HX-Request-Type': 'full' });
    expect(res.headers.get('vary')).toContain('HX-Request-Type');
    const html = await res.text();
    expect(html).toContain('<html');
    expect(html).toContain('hx-push-url="true"');
  });

  it('explains an empty tenant with how to import', async () => {
    const html = await (await get(app, emptyAdmin, '/security/risky-sign-ins')).text();
    expect(html).toContain('No risky sign-ins yet');
    expect(html).toContain('npm run riskdesk -- import sign-ins --tenant DOMAIN FILE');
  });

  it('explains a filtered-out list with the active filters and a way to clear them', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins?country=RU&level=high')).text();
    expect(html).toContain('No risky sign-ins match these filters');
    expect(html).toContain('country: RU');
    expect(html).toContain('level: high or higher');
    expect(html).toContain('href="/security/risky-sign-ins"');
  });

  it('caps a free tenant asking for 30 days at its 7-day retention, with a notice', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins?range=30d')).text();
    expect(html).toContain('Showing the last 7 days only');
    const plain = await (await get(app, admin, '/security/risky-sign-ins?range=7d')).text();
    expect(plain).not.toContain('Showing the last 7 days only');
  });
});
