import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { admins, tenants } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { DAY } from './premium-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let other: Tenant;
let cookie: string;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const now = clock.now();
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
const HTMX = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'premium_p2');
  other = await seedTenant(database.db, 'premium_p2');
  cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  const db = database.db;
  // Travel: 3 events for 2 users, one closed, one 20 days ago; anonymous IP: 1 event; leaked: none.
  await seedRiskySignIn(db, tenant.id, { id: 's-t1', userId: 'alice', userDisplayName: 'Alice', events: [{ type: 'unlikelyTravel' }] }, daysAgo(1));
  await seedRiskySignIn(db, tenant.id, { id: 's-t2', userId: 'alice', userDisplayName: 'Alice', events: [{ type: 'unlikelyTravel', status: 'dismissedAsFixed' }] }, daysAgo(2));
  await seedRiskySignIn(db, tenant.id, { id: 's-t3', userId: 'bob', userDisplayName: 'Bob', events: [{ type: 'unlikelyTravel' }] }, daysAgo(20));
  await seedRiskySignIn(db, tenant.id, { id: 's-a1', userId: 'bob', userDisplayName: 'Bob', events: [{ type: 'anonymizedIPAddress', level: 'medium' }] }, daysAgo(3));
  await seedRiskySignIn(db, tenant.id, { id: 's-m1', userId: 'carol', userDisplayName: 'Carol', events: [{ type: 'malwareInfectedIPAddress', level: 'low' }] }, daysAgo(4));
  // Another tenant's events never count.
  await seedRiskySignIn(db, other.id, { id: 'o-t1', userId: 'zed', events: [{ type: 'unlikelyTravel' }] }, daysAgo(1));
});
afterAll(() => database.destroy());

function typeRow(html: string, type: string): string {
  const match = html.match(new RegExp(`<tr id="type-${type}"[\\s\\S]*?</tr>`));
  return match?.[0] ?? '';
}

function cell(row: string, name: string): string {
  return row.match(new RegExp(`data-testid="${name}">\\s*(\\d+)`))?.[1] ?? '';
}

describe('the aggregate of risk event types', () => {
  it('counts active and closed events and affected users per type, with the 2017 names', async () => {
    const res = await get(app, cookie, '/security/risk-events');
    expect(res.status).toBe(200);
    const html = await res.text();
    const travel = typeRow(html, 'unlikelyTravel');
    expect(travel).toContain('Impossible travel to atypical locations');
    expect(travel).toContain('href="/security/risk-events/unlikelyTravel"');
    expect(cell(travel, 'active')).toBe('2');
    expect(cell(travel, 'closed')).toBe('1');
    expect(cell(travel, 'users')).toBe('2');
    expect(cell(typeRow(html, 'anonymizedIPAddress'), 'active')).toBe('1');
    expect(typeRow(html, 'leakedCredentials')).toBe('');
  });

  it('follows the period filter', async () => {
    const html = await (await get(app, cookie, '/security/risk-events?range=7d')).text();
    const travel = typeRow(html, 'unlikelyTravel');
    expect(cell(travel, 'active')).toBe('1');
    expect(cell(travel, 'closed')).toBe('1');
    expect(cell(travel, 'users')).toBe('1');
  });

  it('filters by status and by level at least', async () => {
    const closed = await (await get(app, cookie, '/security/risk-events?status=dismissedAsFixed')).text();
    expect(cell(typeRow(closed, 'unlikelyTravel'), 'closed')).toBe('1');
    expect(typeRow(closed, 'anonymizedIPAddress')).toBe('');
    const medium = await (await get(app, cookie, '/security/risk-events?level=medium')).text();
    expect(typeRow(medium, 'malwareInfectedIPAddress')).toBe('');
    expect(typeRow(medium, 'anonymizedIPAddress')).not.toBe('');
  });

  it('answers an htmx filter change with the results fragment only', async () => {
    const res = await get(app, cookie, '/security/risk-events?range=24h', HTMX);
    const html = await res.text();
    expect(res.headers.get('vary')).toContain('HX-Request');
    expect(html).not.toContain('<html');
    expect(html).toContain('type-unlikelyTravel');
  });

  it('caps a period past retention with a notice, and names a bad parameter with 400', async () => {
    const capped = await (await get(app, cookie, '/security/risk-events?from=2025-01-01')).text();
    expect(capped).toContain('data-testid="notice"');
    const bad = await get(app, cookie, '/security/risk-events?level=severe');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('level');
  });

  it('downloads the aggregate as CSV with the same filters', async () => {
    const res = await get(app, cookie, '/security/risk-events/export.csv?range=7d');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`${tenant.domain}-risk-events-`);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('Risk event type,Name,Risk level,Active,Closed,Users affected,Last detected');
    const travel = lines.find((line) => line.startsWith('unlikelyTravel,'));
    expect(travel).toMatch(/^unlikelyTravel,Impossible travel to atypical locations,medium,1,1,1,2026-/);
    expect(lines).toHaveLength(4);
  });
});

describe('the type blade', () => {
  it('says what the type detects, with the tenant thresholds over the defaults, and links the user risk policy', async () => {
    await database.db.update(tenants).set({ detectionSettings: { travelMaxSpeedKmh: 1200 } }).where(eq(tenants.id, tenant.id));
    const html = await (await get(app, cookie, '/security/risk-events/unlikelyTravel')).text();
    expect(html).toContain('Impossible travel to atypical locations');
    expect(html).toContain('more than 1200 km/h');
    expect(html).toContain('at least 500 km away');
    expect(html).toContain('href="/security/policies/user-risk"');
  });

  it('draws a detection timeline with one bar per day of the period, active and closed', async () => {
    const html = await (await get(app, cookie, '/security/risk-events/unlikelyTravel?range=7d')).text();
    const svg = html.match(/<svg[^>]*data-testid="timeline"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(svg.match(/data-day="/g)).toHaveLength(8);
    expect(svg).toContain('<title>2026-11-26: 1 active, 0 closed</title>');
    expect(svg).toContain('<title>2026-11-25: 0 active, 1 closed</title>');
    expect(svg.match(/data-series="active"/g)).toHaveLength(1);
    expect(svg.match(/data-series="closed"/g)).toHaveLength(1);
    expect(html).not.toMatch(/style="/);
    // The accessible fallback holds the same numbers.
    expect(html).toContain('The timeline as a table');
    const days30 = await (await get(app, cookie, '/security/risk-events/unlikelyTravel?range=30d')).text();
    expect(days30.match(/data-day="/g)).toHaveLength(31);
  });

  it("counts the timeline's days in the admin's timezone", async () => {
    const admin = await seedAdmin(database.db, tenant, 'security_reader');
    await database.db.update(admins).set({ timezone: 'Pacific/Auckland' }).where(eq(admins.id, admin.id));
    const auckland = await signIn(app, admin.email);
    // 2026-11-26T12:00Z is already the 27th in Auckland (UTC+13).
    const html = await (await get(app, auckland, '/security/risk-events/unlikelyTravel?range=7d')).text();
    expect(html).toContain('<title>2026-11-27: 1 active, 0 closed</title>');
    expect(html).toContain('<title>2026-11-26: 0 active, 1 closed</title>');
    expect(html.match(/data-day="/g)).toHaveLength(8);
  });

  it('lists the users it was detected for, linking to their blades, and its events', async () => {
    const html = await (await get(app, cookie, '/security/risk-events/unlikelyTravel')).text();
    expect(html).toContain('href="/security/users/alice"');
    expect(html).toMatch(/alice@contoso.example<\/a> <span[^>]*>\s*2 events, 1 active/);
    expect(html).toContain('id="event-s-t1-e1"');
    expect(html).toContain('id="event-s-t3-e1"');
    expect(html).not.toContain('id="event-s-a1-e1"');
    expect(html).not.toContain('o-t1');
    expect(html).toContain('href="/security/risk-events/unlikelyTravel/s-t1-e1"');
    expect(html).toContain('action="/security/risk-events/unlikelyTravel/s-t1-e1/status"');
    expect(html).toContain('value="reactivate"');
  });

  it('names each user by their latest event of the type, most events first', async () => {
    // Outside the 7-day downloads above: a user renamed between two events (the old name sorts after
    // the new one, so the greatest name is not the latest), and a user with a single event.
    await seedRiskySignIn(database.db, tenant.id, { id: 's-p1', userId: 'dave', userPrincipalName: 'david@contoso.example', events: [{ type: 'suspiciousIPAddress' }] }, daysAgo(12));
    await seedRiskySignIn(database.db, tenant.id, { id: 's-p2', userId: 'dave', userPrincipalName: 'dave@contoso.example', events: [{ type: 'suspiciousIPAddress', status: 'dismissedAsFixed' }] }, daysAgo(10));
    await seedRiskySignIn(database.db, tenant.id, { id: 's-p3', userId: 'erin', events: [{ type: 'suspiciousIPAddress' }] }, daysAgo(11));
    const html = await (await get(app, cookie, '/security/risk-events/suspiciousIPAddress')).text();
    const users = html.match(/<ul[^>]*data-testid="type-users"[\s\S]*?<\/ul>/)?.[0] ?? '';
    const entries = [...users.matchAll(/href="\/security\/users\/(\w+)"[^>]*>\s*([^<]+?)\s*<\/a> <span[^>]*>\s*([^<]+?)\s*<\/span>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(entries).toEqual([
      ['dave', 'dave@contoso.example', '2 events, 1 active'],
      ['erin', 'erin@contoso.example', '1 event, 1 active'],
    ]);
  });

  it('pages its events by cursor without repeating or losing any', async () => {
    const first = await (await get(app, cookie, '/security/risk-events/unlikelyTravel?limit=2')).text();
    const next = first.match(/href="([^"]*cursor=[^"]*)"/)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toBeTruthy();
    const second = await (await get(app, cookie, next!)).text();
    const ids = (html: string) => [...html.matchAll(/<tr id="event-([^"]+)"/g)].map((m) => m[1]);
    expect(ids(first)).toEqual(['s-t1-e1', 's-t2-e1']);
    expect(ids(second)).toEqual(['s-t3-e1']);
    expect(second).not.toContain('rel="next"');
  });

  it('filters its events by status, user, IP and country', async () => {
    const ids = async (query: string) => [...(await (await get(app, cookie, `/security/risk-events/unlikelyTravel?${query}`)).text()).matchAll(/<tr id="event-([^"]+)"/g)].map((m) => m[1]);
    expect(await ids('status=active')).toEqual(['s-t1-e1', 's-t3-e1']);
    expect(await ids('user=bo')).toEqual(['s-t3-e1']);
    expect(await ids('ip=203.0.113.0/24')).toHaveLength(3);
    expect(await ids('country=DE')).toEqual([]);
  });

  it('answers an htmx filter change with the events and, out of band, the timeline and users of the new period', async () => {
    const res = await get(app, cookie, '/security/risk-events/unlikelyTravel?range=7d', HTMX);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="event-s-t1-e1"');
    expect(html).not.toContain('id="event-s-t3-e1"');
    expect(html).toMatch(/<div id="type-summary" hx-swap-oob="true">/);
    expect(html.match(/data-day="/g)).toHaveLength(8);
  });

  it('answers an unknown type with 404', async () => {
    expect((await get(app, cookie, '/security/risk-events/notAType')).status).toBe(404);
  });
});
