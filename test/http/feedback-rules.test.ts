import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRiskEventStatus } from '../../src/actions/feedback.js';
import { ActionError } from '../../src/actions/errors.js';
import { familiarLocations, type Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditCount, eventsOfSignIn, familiarOf, getSignIn, getUser, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { post, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let other: Tenant;
let cookie: string;
let readerCookie: string;
const clock = testClock();

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'premium_p2');
  other = await seedTenant(database.db, 'premium_p2');
  cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  readerCookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
});
afterAll(() => database.destroy());

const feedback = (id: string, form: Record<string, string>, as = cookie, headers: Record<string, string> = {}) =>
  post(app, as, `/security/risky-sign-ins/${id}/feedback`, form, headers);

describe('feedback refusals', () => {
  it('answers 409 to a stale version and changes nothing', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'stale-1', userId: 'stale-user', events: [{}] });
    const audits = await auditCount(database.db, tenant.id);
    const res = await feedback('stale-1', { action: 'resolve', version: String(row.version - 1) });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('changed since you loaded it');
    expect(await getSignIn(database.db, tenant.id, 'stale-1')).toEqual(row);
    expect((await eventsOfSignIn(database.db, tenant.id, 'stale-1'))[0].status).toBe('active');
    expect(await auditCount(database.db, tenant.id)).toBe(audits);
  });

  it("answers 404 for another tenant's sign-in, the same as for one that does not exist, and leaves it alone", async () => {
    const theirs = await seedRiskySignIn(database.db, other.id, { id: 'theirs-1', userId: 'their-user', events: [{}] });
    const foreign = await feedback('theirs-1', { action: 'resolve', version: String(theirs.version) });
    const missing = await feedback('no-such-sign-in', { action: 'resolve', version: '1' });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await foreign.text()).replaceAll('theirs-1', 'X')).toBe((await missing.text()).replaceAll('no-such-sign-in', 'X'));
    expect((await eventsOfSignIn(database.db, other.id, 'theirs-1'))[0].status).toBe('active');
    expect(await auditCount(database.db, other.id)).toBe(0);
  });

  it('answers 404 for a sign-in that is not risky', async () => {
    await seedRiskySignIn(database.db, tenant.id, { id: 'calm-1', userId: 'calm-user', events: [] });
    expect((await feedback('calm-1', { action: 'resolve', version: '1' })).status).toBe(404);
  });

  it('answers 400 naming the field for an unknown action or a version that is not a whole number', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'bad-1', userId: 'bad-user', events: [{}] });
    const unknown = await feedback('bad-1', { action: 'delete', version: String(row.version) });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('action must be one of resolve, falsePositive, ignore, reactivate');
    for (const version of ['', 'abc', '1.5', '-1', '1e3']) {
      const res = await feedback('bad-1', { action: 'resolve', version });
      expect(res.status, version).toBe(400);
      expect(await res.text()).toContain('version');
    }
    expect((await eventsOfSignIn(database.db, tenant.id, 'bad-1'))[0].status).toBe('active');
  });

  it('lets only one of two simultaneous actions on the same version through', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'race-1', userId: 'race-user', events: [{}] });
    const form = { version: String(row.version) };
    const results = await Promise.all([feedback('race-1', { ...form, action: 'resolve' }), feedback('race-1', { ...form, action: 'ignore' })]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await getSignIn(database.db, tenant.id, 'race-1')).toMatchObject({ version: row.version + 1 });
  });

  it('refuses security readers with 403 and changes nothing', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'read-1', userId: 'read-user', events: [{}] });
    const single = await feedback('read-1', { action: 'resolve', version: String(row.version) }, readerCookie);
    const bulk = await post(app, readerCookie, '/security/risky-sign-ins/bulk-feedback', { action: 'resolve', signInId: 'read-1' });
    expect(single.status).toBe(403);
    expect(bulk.status).toBe(403);
    expect(await getSignIn(database.db, tenant.id, 'read-1')).toEqual(row);
  });
});

describe('where feedback sends the admin back', () => {
  it.each(['//evil.example', 'https://evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x'])(
    'falls back to the list for returnTo %s',
    async (returnTo) => {
      const id = `ret-${Math.random().toString(36).slice(2, 8)}`;
      const row = await seedRiskySignIn(database.db, tenant.id, { id, userId: 'ret-user', events: [{}] });
      const res = await feedback(id, { action: 'ignore', version: String(row.version), returnTo });
      expect(res.status).toBe(303);
      const location = res.headers.get('location') ?? '';
      expect(location.startsWith('/') && !location.startsWith('//')).toBe(true);
      if (!returnTo.startsWith('/%0d')) expect(location.split('?')[0]).toBe('/security/risky-sign-ins');
    },
  );
});

describe('false positives teach familiarity', () => {
  it("makes the sign-in's location familiar to the user, and Reactivate does not unlearn it", async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, {
      id: 'fp-1',
      userId: 'fp-user',
      city: 'Nouméa',
      countryOrRegion: 'NC',
      latitude: -22.27,
      longitude: 166.44,
      events: [{ type: 'unfamiliarFeatures' }],
    });
    expect(await familiarOf(database.db, tenant.id, 'fp-user')).toHaveLength(0);
    const res = await feedback('fp-1', { action: 'falsePositive', version: String(row.version) });
    expect(res.status).toBe(303);
    const learned = await familiarOf(database.db, tenant.id, 'fp-user');
    expect(learned).toEqual([
      expect.objectContaining({ countryOrRegion: 'NC', city: 'Nouméa', latitude: -22.27, longitude: 166.44, source: 'feedback' }),
    ]);

    const again = await getSignIn(database.db, tenant.id, 'fp-1');
    expect((await feedback('fp-1', { action: 'reactivate', version: String(again.version) })).status).toBe(303);
    expect((await eventsOfSignIn(database.db, tenant.id, 'fp-1'))[0].status).toBe('active');
    expect(await familiarOf(database.db, tenant.id, 'fp-user')).toEqual(learned);
  });

  it('keeps a place the user already knew as it was, and other actions teach nothing', async () => {
    const seen = new Date('2026-11-01T00:00:00Z');
    await seedRiskySignIn(database.db, tenant.id, { id: 'fp-known', userId: 'fp-known-user', events: [] });
    await database.db.insert(familiarLocations).values({
      tenantId: tenant.id, userId: 'fp-known-user', countryOrRegion: 'FR', city: 'Lyon', latitude: 45.76, longitude: 4.84, source: 'clean', firstSeenAt: seen, lastSeenAt: seen,
    });
    const row = await seedRiskySignIn(database.db, tenant.id, { id: 'fp-2', userId: 'fp-known-user', events: [{}] });
    await feedback('fp-2', { action: 'falsePositive', version: String(row.version) });
    const [known] = await familiarOf(database.db, tenant.id, 'fp-known-user');
    expect(known).toMatchObject({ source: 'clean', firstSeenAt: seen });

    const resolved = await seedRiskySignIn(database.db, tenant.id, { id: 'res-1', userId: 'res-user', city: 'Oslo', countryOrRegion: 'NO', events: [{}] });
    await feedback('res-1', { action: 'resolve', version: String(resolved.version) });
    expect(await familiarOf(database.db, tenant.id, 'res-user')).toHaveLength(0);
  });
});

describe('a sign-in with events in different statuses', () => {
  it('applies the action to the events that allow it and skips the remediated one', async () => {
    const row = await seedRiskySignIn(database.db, tenant.id, {
      id: 'mix-1',
      userId: 'mix-user',
      events: [
        { id: 'mix-1-active', type: 'unfamiliarFeatures', level: 'medium' },
        { id: 'mix-1-remediated', type: 'anonymizedIPAddress', level: 'high', status: 'remediated' },
      ],
    });
    const [activeBefore, remediatedBefore] = await eventsOfSignIn(database.db, tenant.id, 'mix-1');
    clock.advance(60_000);
    const res = await feedback('mix-1', { action: 'falsePositive', version: String(row.version) });
    expect(res.status).toBe(303);
    const [active, remediated] = await eventsOfSignIn(database.db, tenant.id, 'mix-1');
    expect(active).toMatchObject({ status: 'dismissedAsFalsePositive', riskDetail: 'adminConfirmedSigninSafe', version: activeBefore.version + 1 });
    expect(remediated).toEqual(remediatedBefore);
    expect(await getSignIn(database.db, tenant.id, 'mix-1')).toMatchObject({ riskStatus: 'dismissedAsFalsePositive', riskLevel: 'high' });
    expect(await getUser(database.db, tenant.id, 'mix-user')).toMatchObject({ riskState: 'confirmedSafe', riskLevel: 'none' });

    const now = await getSignIn(database.db, tenant.id, 'mix-1');
    expect((await feedback('mix-1', { action: 'resolve', version: String(now.version) })).status).toBe(409);
  });
});

describe('status of one risk event (the event blade)', () => {
  it('changes one event, checks its version and refuses what its status does not allow', async () => {
    await seedRiskySignIn(database.db, tenant.id, { id: 'ev-1', userId: 'ev-user', events: [{ id: 'ev-1-a' }, { id: 'ev-1-b' }] });
    const actor = { type: 'admin' as const, id: 'a', label: 'a@example.com' };
    const base = { tenantId: tenant.id, eventId: 'ev-1-a', actor, now: clock.now() };
    const event = await setRiskEventStatus(database.db, { ...base, action: 'ignore', version: 1 });
    expect(event).toMatchObject({ status: 'dismissedAsIgnore', version: 2 });
    expect((await eventsOfSignIn(database.db, tenant.id, 'ev-1'))[1].status).toBe('active');
    expect(await getSignIn(database.db, tenant.id, 'ev-1')).toMatchObject({ riskStatus: 'active' });

    await expect(setRiskEventStatus(database.db, { ...base, action: 'reactivate', version: 1 })).rejects.toMatchObject({ status: 409 });
    await expect(setRiskEventStatus(database.db, { ...base, action: 'resolve', version: 2 })).rejects.toMatchObject({ status: 409 });
    await expect(setRiskEventStatus(database.db, { ...base, tenantId: other.id, action: 'reactivate', version: 2 })).rejects.toSatisfy((e) => e instanceof ActionError && e.status === 404);
    expect(await setRiskEventStatus(database.db, { ...base, action: 'reactivate', version: 2 })).toMatchObject({ status: 'active', version: 3 });
  });
});
