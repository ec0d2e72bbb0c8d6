import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditOf, getSignIn, getUser, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { DAY, getEvent } from './premium-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let other: Tenant;
let cookie: string;
let readerCookie: string;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const yesterday = new Date(clock.now().getTime() - DAY);
const HTMX = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
const path = (type: string, id: string) => `/security/risk-events/${type}/${id}/status`;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'premium_p1');
  other = await seedTenant(database.db, 'premium_p1');
  cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  readerCookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
});
afterAll(() => database.destroy());

async function seedOne(id: string, userId = 'u-status') {
  await seedRiskySignIn(database.db, tenant.id, { id, userId, events: [{ type: 'unfamiliarFeatures' }] }, yesterday);
  return getEvent(database.db, tenant.id, `${id}-e1`);
}

describe('closing and reactivating one event', () => {
  it('resolves through the status machine and answers a plain form with 303 back, rolling up sign-in and user', async () => {
    const event = await seedOne('st-1');
    const res = await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'resolve', version: String(event.version), returnTo: '/security/risk-events/unfamiliarFeatures?status=active' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/security/risk-events/unfamiliarFeatures?status=active');
    const after = await getEvent(database.db, tenant.id, event.id);
    expect(after).toMatchObject({ status: 'dismissedAsFixed', riskDetail: 'none', version: event.version + 1 });
    expect((await getSignIn(database.db, tenant.id, 'st-1')).riskStatus).toBe('dismissedAsFixed');
    expect(await getUser(database.db, tenant.id, 'u-status')).toMatchObject({ riskState: 'dismissed', riskLevel: 'none', activeEventCount: 0 });
    const audit = await auditOf(database.db, tenant.id, event.id);
    expect(audit.map((a) => a.action)).toContain('riskEvent.resolve');
  });

  it.each([
    ['falsePositive', 'dismissedAsFalsePositive', 'adminConfirmedSigninSafe'],
    ['ignore', 'dismissedAsIgnore', 'none'],
  ])('%s leads to %s', async (action, status, riskDetail) => {
    const event = await seedOne(`st-${action}`, `u-${action}`);
    const res = await post(app, cookie, path('unfamiliarFeatures', event.id), { action, version: String(event.version) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/security/risk-events/unfamiliarFeatures');
    expect(await getEvent(database.db, tenant.id, event.id)).toMatchObject({ status, riskDetail });
  });

  it('reactivates a closed event, and with htmx answers just the new row', async () => {
    const event = await seedOne('st-2');
    await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'ignore', version: String(event.version) });
    const res = await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'reactivate', version: String(event.version + 1) }, HTMX);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.trimStart()).toMatch(/^<tr id="event-st-2-e1"/);
    expect(html).not.toContain('<html');
    expect(html).toContain('Reactivated.');
    expect(html).toContain(`name="version" value="${event.version + 2}"`);
    expect(html).toContain('value="resolve"');
    expect((await getEvent(database.db, tenant.id, event.id)).status).toBe('active');
  });

  it('answers a stale version with 409 and the fresh row for htmx, and a page without JavaScript', async () => {
    const event = await seedOne('st-3');
    await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'ignore', version: String(event.version) });
    const stale = await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'resolve', version: String(event.version) }, HTMX);
    expect(stale.status).toBe(409);
    const row = await stale.text();
    expect(row.trimStart()).toMatch(/^<tr id="event-st-3-e1"/);
    expect(row).toContain('changed since you loaded it');
    expect(row).toContain('Ignored');
    const page = await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'resolve', version: String(event.version) });
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toContain('<html');
    expect(html).toContain('Nothing was changed');
    expect(html).toContain('id="event-st-3-e1"');
  });

  it('answers an action the status does not allow with 409', async () => {
    const event = await seedOne('st-4');
    const res = await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'reactivate', version: String(event.version) }, HTMX);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('cannot be reactivated');
    expect((await getEvent(database.db, tenant.id, event.id)).status).toBe('active');
  });

  it("answers 404 for another tenant's event and for an event under another type, changing nothing", async () => {
    await seedRiskySignIn(database.db, other.id, { id: 'foreign-1', userId: 'u-f', events: [{ type: 'unfamiliarFeatures' }] }, yesterday);
    const foreign = await post(app, cookie, path('unfamiliarFeatures', 'foreign-1-e1'), { action: 'resolve', version: '1' });
    expect(foreign.status).toBe(404);
    expect((await getEvent(database.db, other.id, 'foreign-1-e1')).status).toBe('active');
    const event = await seedOne('st-5');
    const wrongType = await post(app, cookie, path('unlikelyTravel', event.id), { action: 'resolve', version: String(event.version) });
    expect(wrongType.status).toBe(404);
    expect((await post(app, cookie, path('notAType', event.id), { action: 'resolve', version: '1' })).status).toBe(404);
    expect((await getEvent(database.db, tenant.id, event.id)).status).toBe('active');
  });

  it('names a bad action or version with 400', async () => {
    const event = await seedOne('st-6');
    expect((await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'delete', version: '1' })).status).toBe(400);
    expect((await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'resolve', version: 'x' })).status).toBe(400);
  });

  it('never sends the admin off-site with returnTo', async () => {
    const event = await seedOne('st-7');
    const res = await post(app, cookie, path('unfamiliarFeatures', event.id), { action: 'resolve', version: String(event.version), returnTo: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/security/risk-events/unfamiliarFeatures');
  });

  it('shows a reader no buttons, and refuses their POST with 403', async () => {
    const event = await seedOne('st-8');
    const html = await (await get(app, readerCookie, '/security/risk-events/unfamiliarFeatures')).text();
    expect(html).toContain('id="event-st-8-e1"');
    expect(html).not.toContain('name="action"');
    const details = await (await get(app, readerCookie, `/security/risk-events/unfamiliarFeatures/${event.id}`)).text();
    expect(details).not.toContain('name="action"');
    const res = await post(app, readerCookie, path('unfamiliarFeatures', event.id), { action: 'resolve', version: String(event.version) });
    expect(res.status).toBe(403);
  });
});

describe('the details blade', () => {
  it('shows every field, the travel evidence with a map, distance and speed, the sign-in and the status history', async () => {
    await seedRiskySignIn(
      database.db,
      tenant.id,
      {
        id: 'tr-1',
        userId: 'u-travel',
        appDisplayName: 'Outlook',
        city: 'Sydney',
        countryOrRegion: 'AU',
        latitude: -33.87,
        longitude: 151.21,
        events: [{ type: 'unlikelyTravel' }],
        evidence: [
          { key: 'previousSignInId', value: 'prev-1' },
          { key: 'previousLocation', value: 'Paris, FR' },
          { key: 'previousLatitude', value: '48.86' },
          { key: 'previousLongitude', value: '2.35' },
          { key: 'distanceKm', value: '16960.2' },
          { key: 'elapsedMinutes', value: '60' },
          { key: 'speedKmh', value: '16960' },
        ],
      },
      yesterday,
    );
    const event = await getEvent(database.db, tenant.id, 'tr-1-e1');
    await post(app, cookie, path('unlikelyTravel', event.id), { action: 'resolve', version: String(event.version) });
    const res = await get(app, cookie, '/security/risk-events/unlikelyTravel/tr-1-e1');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Impossible travel to atypical locations');
    for (const text of ['Risk detail', 'Detection timing', 'realtime', 'Activity time', 'Detected', 'Last updated', '203.0.113.7', 'Sydney, AU', 'tr-1-e1']) expect(html).toContain(text);
    expect(html).toContain('href="/security/sign-ins/tr-1"');
    const map = html.match(/<figure[^>]*data-testid="travel-map"[\s\S]*?<\/figure>/)?.[0] ?? '';
    expect(map).toContain('<svg');
    expect(map).toContain('Paris, FR');
    expect(map).toContain('Sydney, AU');
    expect(map).toContain('16,960 km</dd>');
    expect(map).toContain('16,960 km/h');
    expect(map.match(/<circle/g)).toHaveLength(2);
    expect(map).toMatch(/data-testid="great-circle"/);
    // The evidence in words, the recorded values under them; prev-1 was never stored, so it is no link.
    expect(html).toContain('16,960 km from Paris, FR in 60 min: 16,960 km/h');
    expect(html).toContain('(past retention, no longer stored)');
    expect(html).toMatch(/data-testid="evidence"[\s\S]*previousSignInId[\s\S]*prev-1/);
    expect(html).toMatch(/data-testid="sign-in"[\s\S]*Outlook/);
    const history = html.match(/data-testid="history"[\s\S]*?<\/ol>/)?.[0] ?? '';
    expect(history).toContain('Resolved');
    expect(history).toContain('Resolved a risk event');
    expect(history).toMatch(/Status:<\/span> <del[^>]*title="active">active<\/del> &#8594; <ins[^>]*title="dismissedAsFixed">resolved<\/ins>/);
    expect(html).toContain('value="reactivate"');
    expect(html).not.toMatch(/style="/);
    expect(html).not.toMatch(/<script(?! src)/);
  });

  it('says when the sign-in is past retention, and answers 404 for an unknown event, a wrong type, or another tenant', async () => {
    const event = await seedOne('gone-1');
    await database.db.execute(`delete from sign_ins where tenant_id = '${tenant.id}' and id = 'gone-1'`);
    const html = await (await get(app, cookie, `/security/risk-events/unfamiliarFeatures/${event.id}`)).text();
    expect(html).toContain('no longer stored');
    expect((await get(app, cookie, '/security/risk-events/unfamiliarFeatures/nope')).status).toBe(404);
    expect((await get(app, cookie, `/security/risk-events/unlikelyTravel/${event.id}`)).status).toBe(404);
    expect((await get(app, cookie, '/security/risk-events/unfamiliarFeatures/foreign-1-e1')).status).toBe(404);
  });

  it('closes from the details blade and comes back to it', async () => {
    const event = await seedOne('det-1');
    const blade = `/security/risk-events/unfamiliarFeatures/${event.id}`;
    const html = await (await get(app, cookie, blade)).text();
    expect(html).toContain(`name="returnTo" value="${blade}"`);
    expect(html).not.toContain('hx-boost="target:');
    const res = await post(app, cookie, `${blade}/status`, { action: 'ignore', version: String(event.version), returnTo: blade });
    expect(res.headers.get('location')).toBe(blade);
  });
});
