import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { auditLog, trustedLocationNames, trustedLocations, type Admin, type Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { eventsOf } from '../helpers/ingest.js';
import { get, post } from '../helpers/session.js';
import { DAY, HOUR, PLACES, signIn } from '../helpers/sign-ins.js';
import { sessionFor } from './auth-helpers.js';
import { textOf } from './settings-lists-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const NOW = clock.now().getTime();

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
});
afterAll(() => database.destroy());

async function tenantWith(role: Admin['role'] = 'global_admin', edition: Tenant['edition'] = 'basic') {
  const tenant = await seedTenant(database.db, edition);
  const admin = await seedAdmin(database.db, tenant, role);
  return { tenant, admin, cookie: await sessionFor(database, admin) };
}

async function locationsOf(tenantId: string) {
  return database.db.select().from(trustedLocationNames).where(eq(trustedLocationNames.tenantId, tenantId)).orderBy(trustedLocationNames.name);
}

async function rangesOf(tenantId: string, name: string): Promise<string[]> {
  const found = await database.db
    .select({ cidr: trustedLocations.cidr })
    .from(trustedLocations)
    .where(and(eq(trustedLocations.tenantId, tenantId), eq(trustedLocations.name, name)))
    .orderBy(trustedLocations.cidr);
  return found.map((row) => row.cidr);
}

async function auditOf(tenantId: string) {
  return database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.targetType, 'trustedLocation')))
    .orderBy(auditLog.id);
}

async function addLocation(cookie: string, name: string, ranges: string) {
  return post(app, cookie, '/settings/trusted-locations', { name, ranges });
}

describe('adding a trusted location', () => {
  it('saves the named ranges with an audit entry and lists them', async () => {
    const { tenant, cookie } = await tenantWith();
    const res = await addLocation(cookie, 'Office VPN', '# the VPN concentrators\n198.51.100.0/24\n\n203.0.113.7   # the proxy\n');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/trusted-locations?done=added&added=2');
    expect(await rangesOf(tenant.id, 'Office VPN')).toEqual(['198.51.100.0/24', '203.0.113.7/32']);
    expect((await auditOf(tenant.id)).map((row) => [row.action, row.targetId, row.after])).toEqual([
      ['trustedLocation.import', 'Office VPN', { added: 2, removed: 0, replace: false }],
    ]);
    const page = await (await get(app, cookie, res.headers.get('location')!)).text();
    expect(textOf(page)).toContain('Trusted location saved: 2 ranges added.');
    expect(page).toContain('Office VPN');
    expect(page).toContain('198.51.100.0/24, 203.0.113.7/32');
  });

  it('names every bad line by number and text, and saves nothing while any is bad', async () => {
    const { tenant, cookie } = await tenantWith();
    const res = await addLocation(cookie, 'Branch', '10.1.0.0/16\nnot-an-ip\n10.2.0.0/33\n<b>x</b>\n');
    expect(res.status).toBe(400);
    const page = await res.text();
    const text = textOf(page);
    expect(text).toContain('Line 2: not-an-ip is not an IP address or CIDR range');
    expect(text).toContain('Line 3: 10.2.0.0/33 is not an IP address or CIDR range');
    expect(page).toContain('Line 4: <code>&lt;b&gt;x&lt;/b&gt;</code>');
    expect(text).not.toContain('Line 1:');
    expect(text).toContain('Nothing was saved');
    // What the admin typed comes back to be fixed.
    expect(page).toMatch(/<textarea[^>]*name="ranges"[^>]*>10\.1\.0\.0\/16\nnot-an-ip/);
    expect(await locationsOf(tenant.id)).toEqual([]);
    expect(await auditOf(tenant.id)).toEqual([]);
  });

  it('needs a name and at least one range', async () => {
    const { tenant, cookie } = await tenantWith();
    const noName = await addLocation(cookie, '  ', '10.0.0.1');
    expect(noName.status).toBe(400);
    expect(textOf(await noName.text())).toContain('name is required');
    const noRanges = await addLocation(cookie, 'Empty', '# only a comment\n');
    expect(noRanges.status).toBe(400);
    expect(textOf(await noRanges.text())).toContain('ranges: paste at least one IP address or CIDR range');
    expect(await locationsOf(tenant.id)).toEqual([]);
  });

  it('is open to security admins; readers see the locations without forms and are refused with 403', async () => {
    const { tenant, cookie } = await tenantWith('security_admin');
    expect((await addLocation(cookie, 'HQ', '192.0.2.0/24')).status).toBe(303);
    const reader = await sessionFor(database, await seedAdmin(database.db, tenant, 'security_reader'));
    const page = await (await get(app, reader, '/settings/trusted-locations')).text();
    expect(page).toContain('HQ');
    expect(page).not.toContain('Add trusted location');
    expect(page).not.toContain('<form method="post" action="/settings/trusted-locations"');
    expect((await addLocation(reader, 'Sneaky', '0.0.0.0/0')).status).toBe(403);
    const [location] = await locationsOf(tenant.id);
    const detail = await (await get(app, reader, `/settings/trusted-locations/${location.id}`)).text();
    expect(detail).toContain('192.0.2.0/24');
    expect(detail).not.toContain('/remove');
    expect((await post(app, reader, `/settings/trusted-locations/${location.id}/remove`, { version: String(location.version) })).status).toBe(403);
    expect(await locationsOf(tenant.id)).toHaveLength(1);
  });
});

describe('a trusted location', () => {
  it('counts the sign-ins of the last 7 days from inside its ranges', async () => {
    const { tenant, cookie } = await tenantWith();
    await addLocation(cookie, 'Office VPN', '198.51.100.0/24\n198.51.100.0/25');
    await addLocation(cookie, 'Lab', '192.0.2.1');
    await ingestSignIns(database.db, tenant, [
      signIn({ atMs: NOW - DAY, ipAddress: '198.51.100.10' }),
      signIn({ atMs: NOW - 2 * DAY, ipAddress: '198.51.100.200', errorCode: 50126, failureReason: 'Invalid password' }),
      signIn({ atMs: NOW - 8 * DAY, ipAddress: '198.51.100.11' }),
      signIn({ atMs: NOW - HOUR, ipAddress: '203.0.113.5' }),
    ]);
    const page = await (await get(app, cookie, '/settings/trusted-locations')).text();
    const coverage = [...page.matchAll(/data-testid="coverage">\s*(\d+)/g)].map((match) => Number(match[1]));
    // Sorted by name: Lab, then Office VPN (the overlapping /25 counts its sign-in once).
    expect(coverage).toEqual([0, 2]);
    const [, office] = await locationsOf(tenant.id);
    expect(textOf(await (await get(app, cookie, `/settings/trusted-locations/${office.id}`)).text())).toContain('it covers 2 sign-ins of the last 7 days');
  });

  it('is renamed and given new ranges with its version; a stale version answers 409 and changes nothing', async () => {
    const { tenant, cookie } = await tenantWith();
    await addLocation(cookie, 'Office', '198.51.100.0/24');
    const [location] = await locationsOf(tenant.id);
    const res = await post(app, cookie, `/settings/trusted-locations/${location.id}`, { version: String(location.version), name: 'Office VPN', ranges: '198.51.100.0/24\n2001:db8::/32' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/settings/trusted-locations/${location.id}?done=saved`);
    expect((await locationsOf(tenant.id)).map((row) => [row.id, row.name, row.version])).toEqual([[location.id, 'Office VPN', location.version + 1]]);
    expect(await rangesOf(tenant.id, 'Office VPN')).toEqual(['198.51.100.0/24', '2001:db8::/32']);
    expect(await rangesOf(tenant.id, 'Office')).toEqual([]);

    const stale = await post(app, cookie, `/settings/trusted-locations/${location.id}`, { version: String(location.version), name: 'Old name', ranges: '10.0.0.0/8' });
    expect(stale.status).toBe(409);
    const stalePage = await stale.text();
    expect(textOf(stalePage)).toContain('changed by someone else');
    expect(stalePage).toContain(`name="version" value="${location.version + 1}"`);
    expect((await locationsOf(tenant.id))[0].name).toBe('Office VPN');

    const bad = await post(app, cookie, `/settings/trusted-locations/${location.id}`, { version: String(location.version + 1), name: 'Office VPN', ranges: '198.51.100.0/24\n300.1.1.1' });
    expect(bad.status).toBe(400);
    expect(textOf(await bad.text())).toContain('Line 2: 300.1.1.1');
    expect(await rangesOf(tenant.id, 'Office VPN')).toEqual(['198.51.100.0/24', '2001:db8::/32']);

    const missingVersion = await post(app, cookie, `/settings/trusted-locations/${location.id}`, { name: 'X', ranges: '10.0.0.1' });
    expect(missingVersion.status).toBe(400);
    expect((await auditOf(tenant.id)).map((row) => row.action)).toEqual(['trustedLocation.import', 'trustedLocation.update']);
    const [, update] = await auditOf(tenant.id);
    expect(update.before).toEqual({ name: 'Office', ranges: ['198.51.100.0/24'] });
    expect(update.after).toEqual({ name: 'Office VPN', ranges: ['198.51.100.0/24', '2001:db8::/32'] });
  });

  it('cannot take the name of another location', async () => {
    const { tenant, cookie } = await tenantWith();
    await addLocation(cookie, 'A', '10.0.0.1');
    await addLocation(cookie, 'B', '10.0.0.2');
    const [a] = await locationsOf(tenant.id);
    const res = await post(app, cookie, `/settings/trusted-locations/${a.id}`, { version: String(a.version), name: 'B', ranges: '10.0.0.1' });
    expect(res.status).toBe(409);
    expect(textOf(await res.text())).toContain('a trusted location named "B" already exists');
  });

  it('is removed with its ranges and an audit entry', async () => {
    const { tenant, cookie } = await tenantWith();
    await addLocation(cookie, 'Old office', '192.0.2.0/24');
    const [location] = await locationsOf(tenant.id);
    const res = await post(app, cookie, `/settings/trusted-locations/${location.id}/remove`, { version: String(location.version) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/trusted-locations?done=removed');
    expect(await locationsOf(tenant.id)).toEqual([]);
    expect(await rangesOf(tenant.id, 'Old office')).toEqual([]);
    const last = (await auditOf(tenant.id)).at(-1)!;
    expect([last.action, last.targetId, last.before]).toEqual(['trustedLocation.remove', location.id, { name: 'Old office', ranges: ['192.0.2.0/24'] }]);
    expect((await get(app, cookie, `/settings/trusted-locations/${location.id}`)).status).toBe(404);
  });

  it("of another tenant answers 404, the same as one that does not exist", async () => {
    const owner = await tenantWith();
    await addLocation(owner.cookie, 'Private', '192.0.2.0/24');
    const [location] = await locationsOf(owner.tenant.id);
    const other = await tenantWith();
    expect((await get(app, other.cookie, `/settings/trusted-locations/${location.id}`)).status).toBe(404);
    expect((await get(app, other.cookie, '/settings/trusted-locations/not-a-uuid')).status).toBe(404);
    const rename = await post(app, other.cookie, `/settings/trusted-locations/${location.id}`, { version: String(location.version), name: 'Mine', ranges: '10.0.0.1' });
    expect(rename.status).toBe(404);
    const remove = await post(app, other.cookie, `/settings/trusted-locations/${location.id}/remove`, { version: String(location.version) });
    expect(remove.status).toBe(404);
    expect(await (await get(app, other.cookie, '/settings/trusted-locations')).text()).not.toContain('Private');
    expect((await locationsOf(owner.tenant.id)).map((row) => row.name)).toEqual(['Private']);
  });

  it('applies to the sign-ins imported after it is added, and no longer after it is removed', async () => {
    const { tenant, cookie } = await tenantWith('security_admin');
    const t = NOW - 3 * DAY;
    await ingestSignIns(database.db, tenant, [signIn({ atMs: t, place: PLACES.seattle, ipAddress: '10.0.0.1' })]);
    // Seattle to London in an hour, from the VPN: trusted, so no impossible travel.
    await addLocation(cookie, 'Office VPN', '198.51.100.32/28');
    expect(await ingestSignIns(database.db, tenant, [signIn({ atMs: t + HOUR, place: PLACES.london, ipAddress: '198.51.100.40' })])).toMatchObject({ riskDetections: 0 });
    // The same trip from outside the range is judged as usual.
    const outside = signIn({ atMs: t + 2 * HOUR, place: PLACES.london, ipAddress: '203.0.113.9' });
    expect(await ingestSignIns(database.db, tenant, [outside])).toMatchObject({ riskDetections: 1 });
    const [location] = await locationsOf(tenant.id);
    await post(app, cookie, `/settings/trusted-locations/${location.id}/remove`, { version: String(location.version) });
    const afterRemoval = signIn({ atMs: t + 3 * HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.40' });
    await ingestSignIns(database.db, tenant, [afterRemoval]);
    expect((await eventsOf(database.db, tenant.id)).map((event) => [event.riskEventType, event.requestId])).toEqual([
      ['unlikelyTravel', outside.id],
      ['unlikelyTravel', afterRemoval.id],
    ]);
  });
});
