import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, DEFAULT_DETECTION_SETTINGS, tenants, type Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { replayDetection } from '../../src/queries/detection-replay.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn as signInAs } from '../helpers/session.js';
import { HOUR, MINUTE, PLACES, signIn, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from './api-helpers.js';

// /settings/detection: thresholds with a replay preview of the retained history.

const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const T = clock.now().getTime() - 3 * 86_400_000;
const PARTIAL = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let contoso: Tenant;
let admin: string;
let securityAdmin: string;
let reader: string;

const defaults = Object.fromEntries(Object.entries(DEFAULT_DETECTION_SETTINGS).map(([k, v]) => [k, String(v)]));
const draft = { ...defaults, travelMaxSpeedKmh: '500', sprayMinDistinctUpns: '6' };

/**
 * The small history, worked by hand with the defaults (900 km/h, 5 distinct UPNs in 60 minutes):
 * - alice, Seattle then London 10 h later: 7,699.6 km at 770 km/h. No event now; at 500 km/h, unlikelyTravel on "s-london".
 * - five failures for five UPNs from 192.0.2.10, then dave succeeds there: suspiciousIPAddress on "s-dave" now; at 6 UPNs, none.
 * Nobody is past learning (14 days), so no unfamiliarFeatures either way.
 */
async function seedHistory(tenant: Tenant) {
  const records = [
    signIn({ id: 's-seattle', atMs: T, place: PLACES.seattle }),
    signIn({ id: 's-london', atMs: T + 10 * HOUR, place: PLACES.london }),
    ...[1, 2, 3, 4, 5].map((n) =>
      signIn({ id: `s-fail-${n}`, atMs: T + n * MINUTE, userId: `u-${n}`, userPrincipalName: `user${n}@contoso.com`, ipAddress: '192.0.2.10', errorCode: 50126, failureReason: 'Invalid username or password' }),
    ),
    signIn({ id: 's-dave', atMs: T + 20 * MINUTE, userId: 'u-dave', userPrincipalName: 'dave@contoso.com', userDisplayName: 'Dave', ipAddress: '192.0.2.10', place: PLACES.portland }),
  ];
  await ingestSignIns(database.db, tenant, records, { now: clock.now() });
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  contoso = await seedTenant(database.db, 'premium_p2', 'Contoso');
  await seedHistory(contoso);
  admin = await signInAs(app, (await seedAdmin(database.db, contoso, 'global_admin')).email);
  securityAdmin = await signInAs(app, (await seedAdmin(database.db, contoso, 'security_admin')).email);
  reader = await signInAs(app, (await seedAdmin(database.db, contoso, 'security_reader')).email);
  // Another tenant's history must not enter Contoso's replay.
  const other = await seedTenant(database.db, 'premium_p2', 'Other');
  await seedHistory(other);
});
afterAll(() => database.destroy());

function typeRow(html: string, type: string): string[] {
  const row = new RegExp(`<tr[^>]*data-type="${type}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
}

describe('/settings/detection', () => {
  it('lists each threshold with its value, default, unit and range, and says saving applies afterwards', async () => {
    const res = await get(app, admin, '/settings/detection');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/name="travelMaxSpeedKmh" value="900" min="100" max="5000"/);
    expect(html).toContain('900 km/h');
    expect(html).toContain('100–5000');
    for (const name of Object.keys(DEFAULT_DETECTION_SETTINGS)) expect(html).toContain(`name="${name}"`);
    expect(html).toContain('Saving applies to sign-ins ingested afterwards');
    expect(html).toContain('value="save"');
  });

  it('replays the retained history with a lower travel speed and shows the events it adds and removes (hand-computed)', async () => {
    const res = await post(app, admin, '/settings/detection/preview', { version: '1', ...draft }, PARTIAL);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(/Replayed <strong>8<\/strong> retained sign-ins/);
    expect(typeRow(html, 'unlikelyTravel')).toEqual(['Impossible travel', '0', '1', '+1']);
    expect(typeRow(html, 'suspiciousIPAddress')).toEqual(['Suspicious IP address', '1', '0', '-1']);
    expect(typeRow(html, 'unfamiliarFeatures')).toEqual(['Unfamiliar location', '0', '0', '—']);
    const gained = /data-testid="replay-gained"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(gained).toContain('href="/security/sign-ins/s-london"');
    expect(gained).toContain('speedKmh 770');
    const lost = /data-testid="replay-lost"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(lost).toContain('href="/security/sign-ins/s-dave"');
    expect(lost).toContain('Suspicious IP address: Dave');
  });

  it('gives the same replay whatever the chunk size, and reads no other tenant', async () => {
    const current = DEFAULT_DETECTION_SETTINGS;
    const lower = { ...current, travelMaxSpeedKmh: 500, sprayMinDistinctUpns: 6 };
    const whole = await replayDetection(database.db, contoso.id, current, lower);
    for (const size of [1, 2, 3]) expect(await replayDetection(database.db, contoso.id, current, lower, size)).toEqual(whole);
    expect(whole.signIns).toBe(8);
    expect(whole.gained.map((e) => [e.signInId, e.riskEventType])).toEqual([['s-london', 'unlikelyTravel']]);
    expect(whole.lost.map((e) => [e.signInId, e.riskEventType])).toEqual([['s-dave', 'suspiciousIPAddress']]);
  });

  it('keeps the draft in the form when previewed without JavaScript', async () => {
    const res = await post(app, admin, '/settings/detection', { version: '1', ...draft, action: 'preview' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html');
    expect(html).toMatch(/name="travelMaxSpeedKmh" value="500"/);
    expect(html).toContain('Replay of the draft (not saved)');
  });

  it('answers 400 naming the bad field, and saves nothing', async () => {
    const res = await post(app, admin, '/settings/detection', { version: '1', ...defaults, travelMaxSpeedKmh: 'fast', action: 'save' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('travelMaxSpeedKmh must be a whole number from 100 to 5000 (km/h), got &quot;fast&quot;');
    expect(html).toMatch(/name="travelMaxSpeedKmh" value="fast"/);
    const preview = await post(app, admin, '/settings/detection/preview', { version: '1', ...defaults, learningDays: '91' }, PARTIAL);
    expect(preview.status).toBe(400);
    expect(await preview.text()).toContain('learningDays must be a whole number from 0 to 90 (days)');
    const [row] = await database.db.select().from(tenants).where(eq(tenants.id, contoso.id));
    expect(row.detectionSettings).toEqual({});
  });

  it('lets a security admin preview but not save, and a reader only read', async () => {
    expect((await post(app, securityAdmin, '/settings/detection/preview', { version: '1', ...draft }, PARTIAL)).status).toBe(200);
    expect((await post(app, securityAdmin, '/settings/detection', { version: '1', ...draft, action: 'save' })).status).toBe(403);
    const html = await (await get(app, reader, '/settings/detection')).text();
    expect(html).not.toContain('Preview replay');
    expect(html).not.toContain('value="save"');
    expect(html).toMatch(/name="travelMaxSpeedKmh" value="900"[^>]*disabled/);
    expect((await post(app, reader, '/settings/detection/preview', { version: '1', ...draft })).status).toBe(403);
  });

  it('saves with an audit entry, refuses a stale version with 409, and judges sign-ins ingested afterwards with the new thresholds', async () => {
    const saved = await post(app, admin, '/settings/detection', { version: '1', ...draft, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/settings/detection?done=saved');
    const [row] = await database.db.select().from(tenants).where(eq(tenants.id, contoso.id));
    expect(row.detectionSettings).toEqual({ travelMaxSpeedKmh: 500, sprayMinDistinctUpns: 6 });
    expect(row.detectionSettingsVersion).toBe(2);
    const [audit] = await database.db.select().from(auditLog).where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, 'detection.settings.update')));
    expect(audit.before).toMatchObject({ travelMaxSpeedKmh: 900 });
    expect(audit.after).toMatchObject({ travelMaxSpeedKmh: 500, sprayMinDistinctUpns: 6 });
    const page = await (await get(app, admin, '/settings/detection?done=saved')).text();
    expect(page).toContain('Thresholds saved.');
    expect(page).toMatch(/name="travelMaxSpeedKmh" value="500"/);

    const stale = await post(app, admin, '/settings/detection', { version: '1', ...defaults, action: 'save' });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('The thresholds changed since this page was loaded');

    // Erin flies Seattle to London in 10 hours: 770 km/h, which the saved 500 km/h calls unlikely.
    const key = await keyFor(database.db, contoso);
    const erin = { userId: 'u-erin', userPrincipalName: 'erin@contoso.com' };
    const batch = [signIn({ id: 'n-1', atMs: T + 30 * HOUR, ...erin, place: PLACES.seattle }), signIn({ id: 'n-2', atMs: T + 40 * HOUR, ...erin, place: PLACES.london })];
    const body = await (await apiPost(app, key, '/api/v1/sign-ins', batch.map(toGraph))).json();
    expect(body.riskDetections).toBe(1);
  });

  it('answers 403 to a free tenant', async () => {
    const free = await seedTenant(database.db, 'free', 'Fabrikam');
    const cookie = await signInAs(app, (await seedAdmin(database.db, free, 'global_admin')).email);
    expect((await get(app, cookie, '/settings/detection')).status).toBe(403);
    expect((await post(app, cookie, '/settings/detection/preview', { version: '1', ...draft })).status).toBe(403);
  });
});
