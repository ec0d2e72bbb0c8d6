import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky, type RiskySpec } from './report-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let admin: string;
let otherAdmin: string;

const SPECS: RiskySpec[] = [
  { id: 'ru-high', createdDateTime: ago(2), level: 'high', status: 'active', countryOrRegion: 'RU', city: 'Moscow', ipAddress: '203.0.113.5', types: ['anonymizedIPAddress'] },
  { id: 'ru-medium-closed', createdDateTime: ago(3), level: 'medium', status: 'dismissedAsFalsePositive', countryOrRegion: 'RU', city: 'Moscow', ipAddress: '203.0.113.9' },
  { id: 'pt-low', createdDateTime: ago(4), level: 'low', status: 'dismissedAsIgnore', types: ['malwareInfectedIPAddress'] },
  { id: 'failed', createdDateTime: ago(5), level: 'medium', status: 'active', errorCode: 50126, failureReason: 'Invalid username or password', userId: 'user-9', userPrincipalName: 'zoe@contoso.com', userDisplayName: 'Zoë Zimmer' },
  { id: 'v6', createdDateTime: ago(6), level: 'medium', status: 'remediated', ipAddress: '2001:db8::1', types: ['unlikelyTravel', 'unfamiliarFeatures'] },
  { id: 'old', createdDateTime: ago(24 * 20), level: 'high', status: 'active' },
  { id: 'expired', createdDateTime: ago(24 * 40), level: 'high', status: 'active' },
];

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  tenant = await seedTenant(database.db, 'premium_p1');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  const other = await seedTenant(database.db, 'premium_p1');
  otherAdmin = await signIn(app, (await seedAdmin(database.db, other)).email);
  await insertRisky(database.db, tenant.id, SPECS);
  // The other tenant holds look-alike rows that must never leak across.
  await insertRisky(database.db, other.id, [{ id: 'foreign-ru', createdDateTime: ago(2), level: 'high', countryOrRegion: 'RU', userDisplayName: 'Foreign Fiona' }]);
});
afterAll(() => database.destroy());

async function idsFor(query: string, cookie = admin): Promise<string[]> {
  const res = await get(app, cookie, `/security/risky-sign-ins${query}`, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  expect(res.status, query).toBe(200);
  return [...(await res.text()).matchAll(/<tr id="sign-in-([^"]+)"/g)].map((m) => m[1]);
}

describe('risky sign-in filters', () => {
  it.each([
    ['', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6', 'old']],
    ['?range=24h', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6']],
    ['?range=7d', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6']],
    ['?range=90d', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6', 'old']],
    ['?from=2026-11-27T08:30:00Z&to=2026-11-27T10:30:00Z', ['ru-high', 'ru-medium-closed']],
    ['?from=2026-11-01&to=2026-11-10', ['old']],
    ['?status=active', ['ru-high', 'failed', 'old']],
    ['?status=active&status=dismissedAsIgnore&range=7d', ['ru-high', 'pt-low', 'failed']],
    ['?status=all&range=7d', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6']],
    ['?level=medium', ['ru-high', 'ru-medium-closed', 'failed', 'v6', 'old']],
    ['?level=high', ['ru-high', 'old']],
    ['?type=unfamiliarFeatures&range=7d', ['ru-medium-closed', 'failed', 'v6']],
    ['?type=malwareInfectedIPAddress&type=anonymizedIPAddress', ['ru-high', 'pt-low']],
    ['?user=ZO', ['failed']],
    ['?user=zoë%20z', ['failed']],
    ['?user=%25', []],
    ['?userId=user-9', ['failed']],
    ['?ip=203.0.113.0/24', ['ru-high', 'ru-medium-closed']],
    ['?ip=203.0.113.9', ['ru-medium-closed']],
    ['?ip=2001:db8::/32', ['v6']],
    ['?country=ru', ['ru-high', 'ru-medium-closed']],
    ['?result=failure', ['failed']],
    ['?result=success&country=PT&range=24h', ['pt-low', 'v6']],
    ['?sort=time', ['old', 'v6', 'failed', 'pt-low', 'ru-medium-closed', 'ru-high']],
    ['?sort=-level', ['ru-high', 'old', 'ru-medium-closed', 'failed', 'v6', 'pt-low']],
    ['?sort=level', ['pt-low', 'v6', 'failed', 'ru-medium-closed', 'old', 'ru-high']],
    ['?status=active&level=medium&country=RU&range=7d', ['ru-high']],
    ['?level=&status=&user=&range=7d', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6']],
    ['?from=2026-10-01', ['ru-high', 'ru-medium-closed', 'pt-low', 'failed', 'v6', 'old']],
  ])('%s lists the matching rows', async (query, expected) => {
    expect(await idsFor(query)).toEqual(expected);
  });

  it.each([
    ['range', '?range=1y'],
    ['from', '?from=yesterday'],
    ['from', '?from=2026-11-27&to=2026-11-01'],
    ['to', '?to=2026-13-45'],
    ['status', '?status=open'],
    ['level', '?level=severe'],
    ['level', '?level=low&level=high'],
    ['type', '?type=sqlInjection'],
    ['userId', '?userId=a%20b'],
    ['user', '?user=a%00b'],
    ['cursor', `?cursor=${Buffer.from(JSON.stringify({ s: '-time', k: ['1', 'a\u0000'] })).toString('base64url')}`],
    ['ip', '?ip=999.1.1.1'],
    ['ip', '?ip=10.0.0.0/33'],
    ['ip', '?ip=example.com'],
    ['country', '?country=RUS'],
    ['result', '?result=maybe'],
    ['sort', '?sort=name'],
    ['cursor', '?cursor=not-a-cursor'],
    ['limit', '?limit=0'],
    ['limit', '?limit=201'],
    ['limit', '?limit=ten'],
  ])('answers 400 naming %s for %s', async (parameter, query) => {
    const res = await get(app, admin, `/security/risky-sign-ins${query}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`Invalid value for ${parameter}`);
    expect(html).toContain('<html');
  });

  it('answers an htmx request with a bad value with a swappable 400 fragment', async () => {
    const res = await get(app, admin, '/security/risky-sign-ins?level=severe', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('Invalid value for level');
  });

  it('refuses a cursor made for another sort order', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins?limit=2')).text();
    const cursor = /cursor=([A-Za-z0-9_-]+)/.exec(html)![1];
    expect((await get(app, admin, `/security/risky-sign-ins?limit=2&cursor=${cursor}`)).status).toBe(200);
    expect((await get(app, admin, `/security/risky-sign-ins?limit=2&sort=-level&cursor=${cursor}`)).status).toBe(400);
  });

  it('answers 414 for a query string over 8 KB', async () => {
    const res = await get(app, admin, `/security/risky-sign-ins?user=${'a'.repeat(9000)}`);
    expect(res.status).toBe(414);
  });

  it("never shows another tenant's rows, and the same filters there show nothing of ours", async () => {
    expect(await idsFor('?country=RU')).not.toContain('foreign-ru');
    expect(await idsFor('?country=RU', otherAdmin)).toEqual(['foreign-ru']);
    expect(await idsFor('?userId=user-9', otherAdmin)).toEqual([]);
    const csv = await (await get(app, otherAdmin, '/security/risky-sign-ins/export.csv')).text();
    expect(csv).not.toContain('ru-high');
  });
});
