import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { parseBulkOutcome } from '../../src/http/bulk-outcome.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditCount, eventsOfSignIn, getSignIn, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { post, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let cookie: string;
const clock = testClock();
const HTMX = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'free');
  cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
});
afterAll(() => database.destroy());

describe('feedback with htmx', () => {
  it('answers 200 with just the new row and its confirmation, no redirect', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'hx-1', userId: 'hx-user', events: [{}] });
    const res = await post(app, cookie, '/security/risky-sign-ins/hx-1/feedback', { action: 'falsePositive', version: String(row.version), returnTo: '/security/risky-sign-ins?level=medium' }, HTMX);
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html.trimStart()).toMatch(/^<tr id="sign-in-hx-1"/);
    expect(html).not.toContain('<html');
    expect(html).toContain('Marked as false positive');
    expect(html).toContain(`name="version" value="${row.version + 1}"`);
    expect(html).toContain('value="reactivate"');
    expect(html).not.toContain('value="resolve"');
  });

  it('answers a stale version with 409 and the fresh row, which htmx 4 swaps in', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'hx-2', userId: 'hx-user', events: [{}] });
    const first = await post(app, cookie, '/security/risky-sign-ins/hx-2/feedback', { action: 'ignore', version: String(row.version) }, HTMX);
    expect(first.status).toBe(200);
    const stale = await post(app, cookie, '/security/risky-sign-ins/hx-2/feedback', { action: 'resolve', version: String(row.version) }, HTMX);
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html.trimStart()).toMatch(/^<tr id="sign-in-hx-2"/);
    expect(html).toContain('changed since you loaded it');
    expect(html).toContain('Ignored');
    expect(html).toContain(`name="version" value="${row.version + 1}"`);
  });

  it('without JavaScript answers a stale version with a 409 page showing the fresh state and the way back', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'nojs-1', userId: 'hx-user', events: [{}] });
    await post(app, cookie, '/security/risky-sign-ins/nojs-1/feedback', { action: 'resolve', version: String(row.version) });
    const res = await post(app, cookie, '/security/risky-sign-ins/nojs-1/feedback', { action: 'ignore', version: String(row.version), returnTo: '/security/risky-sign-ins?status=active' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('<html');
    expect(html).toContain('id="sign-in-nojs-1"');
    expect(html).toContain('href="/security/risky-sign-ins?status=active"');
  });

  it('leaves the row in place for a refusal that has no row, and says why in the status region', async () => {
    const res = await post(app, cookie, '/security/risky-sign-ins/ghost/feedback', { action: 'resolve', version: '1' }, HTMX);
    expect(res.status).toBe(404);
    expect(res.headers.get('HX-Reswap')).toBe('none');
    expect(await res.text()).toMatch(/<div id="flash" hx-swap-oob="true"[^>]*>There is no risky sign-in ghost\.<\/div>/);
  });

  it('redirects a boosted form (HX-Request-Type: full) like a plain one', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'boost-1', userId: 'hx-user', events: [{}] });
    const res = await post(app, cookie, '/security/risky-sign-ins/boost-1/feedback', { action: 'resolve', version: String(row.version) }, { 'HX-Request': 'true', 'HX-Request-Type': 'full' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '', 'http://x');
    expect(location.pathname).toBe('/security/risky-sign-ins');
    expect(parseBulkOutcome(location.searchParams)).toEqual({ action: 'resolve', changed: 1, skipped: 0, notFound: 0 });
  });
});

describe('bulk feedback on all sign-ins matching the filter', () => {
  it('asks for confirmation with the count first, and changes nothing until confirmed', async () => {
    await seedRiskySignIn(database.db, tenant.id, { id: 'all-1', userId: 'all-u', countryOrRegion: 'RU', city: 'Moscow', events: [{ level: 'high' }] });
    await seedRiskySignIn(database.db, tenant.id, { id: 'all-2', userId: 'all-u', countryOrRegion: 'RU', city: 'Moscow', events: [{ level: 'medium', status: 'dismissedAsIgnore' }] });
    await seedRiskySignIn(database.db, tenant.id, { id: 'all-3', userId: 'all-u', countryOrRegion: 'RU', city: 'Moscow', events: [{ level: 'low' }] });
    await seedRiskySignIn(database.db, tenant.id, { id: 'all-4', userId: 'all-u', countryOrRegion: 'FR', events: [{ level: 'high' }] });
    const audits = await auditCount(database.db, tenant.id);
    const form = { action: 'falsePositive', scope: 'all', filter: 'country=RU&level=medium&range=7d&cursor=abc', returnTo: '/security/risky-sign-ins?country=RU&level=medium&range=7d' };

    const ask = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', form);
    expect(ask.status).toBe(200);
    const page = await ask.text();
    expect(page).toContain('Mark 2 sign-ins as false positive?');
    expect(page).toContain('name="confirm" value="yes"');
    expect(page).toContain('value="country=RU&amp;level=medium&amp;range=7d"');
    expect(await auditCount(database.db, tenant.id)).toBe(audits);
    expect((await eventsOfSignIn(database.db, tenant.id, 'all-1'))[0].status).toBe('active');

    const done = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { ...form, confirm: 'yes' });
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location') ?? '', 'http://x');
    expect(location.searchParams.get('country')).toBe('RU');
    expect(parseBulkOutcome(location.searchParams)).toEqual({ action: 'falsePositive', changed: 1, skipped: 1, notFound: 0 });
    expect((await eventsOfSignIn(database.db, tenant.id, 'all-1'))[0].status).toBe('dismissedAsFalsePositive');
    expect((await eventsOfSignIn(database.db, tenant.id, 'all-3'))[0].status).toBe('active');
    expect((await eventsOfSignIn(database.db, tenant.id, 'all-4'))[0].status).toBe('active');
  });

  it('offers nothing to confirm when no sign-in matches', async () => {
    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'ignore', scope: 'all', filter: 'country=ZZ' });
    const page = await res.text();
    expect(page).toContain('Ignore 0 sign-ins?');
    expect(page).toMatch(/<button type="submit"[^>]*disabled/);
    const some = await (await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'ignore', scope: 'all', filter: '' })).text();
    expect(some).not.toMatch(/<button type="submit"[^>]*disabled/);
  });

  it('answers 400 naming the parameter for a bad filter', async () => {
    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'resolve', scope: 'all', filter: 'level=extreme' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('level');
  });

  it('works through many chunks when everything matches', async () => {
    for (let i = 0; i < 12; i += 1) await seedRiskySignIn(database.db, tenant.id, { id: `many-${i}`, userId: 'many-u', appDisplayName: 'Many', events: [{}] });
    const before = await getSignIn(database.db, tenant.id, 'many-0');
    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'ignore', scope: 'all', filter: 'user=many-u&status=active', confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(parseBulkOutcome(new URL(res.headers.get('location') ?? '', 'http://x').searchParams)).toMatchObject({ changed: 12, skipped: 0 });
    expect((await getSignIn(database.db, tenant.id, 'many-0')).version).toBe(before.version + 1);
  });
});
