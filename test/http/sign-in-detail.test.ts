import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { MINUTE, PLACES, signIn as record } from '../helpers/sign-ins.js';

// /security/sign-ins/:signInId: a page without htmx, the lists' side panel
// with it; every stored field, the evidence in words, the previous and recent sign-ins.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let free: Tenant;
let premium: Tenant;
let freeCookie: string;
let premiumCookie: string;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const at = (minutesAgo: number) => clock.now().getTime() - minutesAgo * MINUTE;

// Seattle, then Tokyo 31 minutes later: impossible travel, judged by the real detector.
const seattle = record({ id: 'det-seattle', atMs: at(120), userId: 'u-dana', userPrincipalName: 'dana@fabrikam.example', userDisplayName: 'Dana', place: PLACES.seattle, ipAddress: '10.1.1.1' });
const tokyo = record({ id: 'det-tokyo', atMs: at(89), userId: 'u-dana', userPrincipalName: 'dana@fabrikam.example', userDisplayName: 'Dana', place: PLACES.tokyo, ipAddress: '10.2.2.2', appDisplayName: 'Teams', browser: 'Firefox 133', operatingSystem: 'Linux' });
const failure = record({ id: 'det-failed', atMs: at(60), userId: 'u-dana', userPrincipalName: 'dana@fabrikam.example', userDisplayName: 'Dana', errorCode: 50126, failureReason: 'Invalid username or password' });
const old = record({ id: 'det-old', atMs: at(8 * 24 * 60), userId: 'u-dana', userPrincipalName: 'dana@fabrikam.example', userDisplayName: 'Dana' });

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  free = await seedTenant(database.db, 'free');
  premium = await seedTenant(database.db, 'premium_p2');
  await ingestSignIns(database.db, free, [old, seattle, tokyo, failure], { now: clock.now() });
  await ingestSignIns(database.db, premium, [{ ...seattle, id: 'p-seattle' }, { ...tokyo, id: 'p-tokyo', userDisplayName: '<script>alert(1)</script>', city: '<b>Tokyo</b>' }], { now: clock.now() });
  freeCookie = await signIn(app, (await seedAdmin(database.db, free, 'security_reader')).email);
  premiumCookie = await signIn(app, (await seedAdmin(database.db, premium, 'security_admin')).email);
});
afterAll(() => database.destroy());

describe('the sign-in detail', () => {
  it('shows a free tenant every stored field, the travel evidence in words and on a map, the previous sign-in as a link and the recent sign-ins', async () => {
    const res = await get(app, freeCookie, '/security/sign-ins/det-tokyo');
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request');
    const html = await res.text();
    expect(html).toContain('<html');
    const fields = html.match(/data-testid="sign-in-fields"[\s\S]*?<\/dl>/)?.[0] ?? '';
    for (const text of ['Teams', 'Browser', '10.2.2.2', 'Tokyo', 'JP', 'Firefox 133', 'Linux', 'det-tokyo', 'u-dana', 'dana@fabrikam.example', '35.6762, 139.6503', 'Impossible travel']) expect(fields, text).toContain(text);
    expect(fields).toContain('title="deviceDetail.browser"');
    expect(html).toMatch(/7,7\d\d km from Seattle, Washington, US in 31 min: 1[45],\d{3} km\/h/);
    expect(html).toContain('href="/security/sign-ins/det-seattle"');
    const map = html.match(/<figure[^>]*data-testid="travel-map"[\s\S]*?<\/figure>/)?.[0] ?? '';
    expect(map).toContain('role="img"');
    expect(map).toMatch(/aria-label="Map: the previous sign-in in Seattle, Washington, US and this sign-in in Tokyo, Tokyo, JP/);
    expect((map.match(/<path d=/g) ?? []).length).toBeGreaterThan(20);
    expect(map).toContain('data-testid="great-circle"');
    expect(map).toMatch(/dark:fill-slate-700/);
    // The recorded values stay available, the user's other sign-ins are listed, the way back is the log.
    expect(html).toMatch(/data-testid="evidence"[\s\S]*previousSignInId/);
    const recent = html.match(/data-testid="recent-sign-in"/g) ?? [];
    expect(recent).toHaveLength(3);
    expect(html).toContain('href="/security/sign-ins/det-failed?back=%2Fsecurity%2Fsign-ins"');
    expect(html).not.toContain('href="/security/sign-ins/det-old"');
    expect(html).toMatch(/href="\/security\/sign-ins" class="[^"]*" data-testid="back-to-list"/);
    // Free: no premium blades.
    expect(html).not.toContain('href="/security/risk-events/');
    expect(html).not.toContain('href="/security/users/u-dana"');
    expect(html).not.toMatch(/style="/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('comes as the side-panel fragment for htmx, with a Close that empties the panel and returns to the list URL', async () => {
    const back = '/security/risky-sign-ins?status=active&level=medium';
    const res = await get(app, freeCookie, `/security/sign-ins/det-tokyo?back=${encodeURIComponent(back)}`, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('data-testid="sign-in-panel"');
    expect(html).toMatch(/href="\/security\/risky-sign-ins\?status=active&amp;level=medium" hx-get="\/security\/risky-sign-ins\?status=active&amp;level=medium"[^>]*hx-swap="delete" hx-push-url="true"/);
    // Links to other sign-ins stay in the panel.
    expect(html).toMatch(/href="\/security\/sign-ins\/det-seattle\?back=[^"]+" hx-boost="target:#sign-in-panel swap:innerHTML"/);
  });

  it('keeps the filtered list it came from, and never sends the admin anywhere else', async () => {
    const page = async (back: string) => (await (await get(app, freeCookie, `/security/sign-ins/det-tokyo?back=${encodeURIComponent(back)}`)).text()).match(/href="([^"]*)" class="[^"]*" data-testid="back-to-list"/)?.[1];
    expect(await page('/security/risky-sign-ins?country=JP')).toBe('/security/risky-sign-ins?country=JP');
    expect(await page('/security/sign-ins?userId=u-dana')).toBe('/security/sign-ins?userId=u-dana');
    for (const hostile of ['https://evil.example/', '//evil.example', '/settings/admins', '/security/sign-insX', 'javascript:alert(1)']) expect(await page(hostile), hostile).toBe('/security/sign-ins');
  });

  it("answers 404 for another tenant's sign-in, an unknown one, a bad id and one past the edition's retention", async () => {
    for (const path of ['/security/sign-ins/p-tokyo', '/security/sign-ins/nope', '/security/sign-ins/bad%20id', '/security/sign-ins/det-old']) {
      expect((await get(app, freeCookie, path)).status, path).toBe(404);
    }
    expect((await get(app, premiumCookie, '/security/sign-ins/det-tokyo')).status).toBe(404);
  });

  it('says when a sign-in raised nothing, and shows a failure with its reason', async () => {
    const html = await (await get(app, freeCookie, '/security/sign-ins/det-seattle')).text();
    expect(html).toContain('No risk detected');
    const failed = await (await get(app, freeCookie, '/security/sign-ins/det-failed')).text();
    expect(failed).toContain('Failure (error 50126)');
    expect(failed).toContain('Invalid username or password');
  });

  it('links a premium admin to the event blade and the user blade, and escapes imported text', async () => {
    const html = await (await get(app, premiumCookie, '/security/sign-ins/p-tokyo')).text();
    expect(html).toMatch(/href="\/security\/risk-events\/unlikelyTravel\/[^"]+"[^>]*>\s*Event details/);
    expect(html).toContain('href="/security/users/u-dana"');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>Tokyo</b>');
    expect(html).toContain('&lt;b&gt;Tokyo&lt;/b&gt;');
  });
});

describe('the lists lead to it', () => {
  it('from every row of the risky sign-ins list and the sign-in log: a link, an htmx panel swap with the URL pushed, and a panel region', async () => {
    const risky = await (await get(app, freeCookie, '/security/risky-sign-ins?level=medium')).text();
    // Boosted: htmx takes the address from href and pushes it, and the boost's config names the panel.
    expect(risky).toMatch(/href="\/security\/sign-ins\/det-tokyo\?back=%2Fsecurity%2Frisky-sign-ins%3Flevel%3Dmedium" hx-boost="target:#sign-in-panel swap:innerHTML"/);
    expect(risky).toContain('<aside id="sign-in-panel"');
    const log = await (await get(app, freeCookie, '/security/sign-ins?userId=u-dana')).text();
    for (const id of ['det-seattle', 'det-tokyo', 'det-failed']) expect(log).toContain(`href="/security/sign-ins/${id}?back=%2Fsecurity%2Fsign-ins%3FuserId%3Du-dana"`);
    expect(log).toContain('<aside id="sign-in-panel"');
    // The fragment a filter swap brings carries the links with the new filters.
    const fragment = await (await get(app, freeCookie, '/security/sign-ins?userId=u-dana&result=failure', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' })).text();
    expect(fragment).toContain('href="/security/sign-ins/det-failed?back=%2Fsecurity%2Fsign-ins%3FuserId%3Du-dana%26result%3Dfailure"');
  });

  it('from the premium event blade', async () => {
    const events = await (await get(app, premiumCookie, '/security/risk-events/unlikelyTravel')).text();
    const blade = events.match(/href="(\/security\/risk-events\/unlikelyTravel\/[^"]+)"/)?.[1] ?? '';
    const html = await (await get(app, premiumCookie, blade)).text();
    expect(html).toContain('href="/security/sign-ins/p-tokyo"');
    expect(html).toContain('href="/security/sign-ins/p-seattle"');
  });
});

describe('what Entra recorded, and what was cut on import', () => {
  it("shows the user agent and Entra's own judgement apart from Riskdesk's, and names the fields cut to the stored limit", async () => {
    await ingestSignIns(database.db, free, [
      record({
        id: 'det-entra', atMs: at(30), userId: 'u-eve', userPrincipalName: 'eve@fabrikam.example', userDisplayName: 'Eve…', truncated: ['userDisplayName'],
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) <img src=x>', correlationId: 'corr-1', isInteractive: false,
        conditionalAccessStatus: 'notApplied', riskLevelDuringSignIn: 'high', riskState: 'atRisk',
      }),
    ], { now: clock.now() });
    const html = await (await get(app, freeCookie, '/security/sign-ins/det-entra')).text();
    const fields = html.match(/data-testid="sign-in-fields"[\s\S]*?<\/dl>/)?.[0] ?? '';
    expect(fields).toContain('Mozilla/5.0 (X11; Linux x86_64) &lt;img src=x&gt;');
    expect(fields).toContain('corr-1');
    expect(fields).toContain('No (non-interactive)');
    expect(fields).toMatch(/Cut on import[\s\S]*userDisplayName/);
    expect(fields).not.toContain('atRisk');
    const entra = html.match(/data-testid="entra-said-fields"[\s\S]*?<\/dl>/)?.[0] ?? '';
    expect(entra).toContain('high');
    expect(entra).toContain('atRisk');
    expect(html).toContain('Entra said');
  });
});
