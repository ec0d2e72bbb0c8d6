import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/actions/audit-record.js';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let premium: Tenant;
let free: Tenant;
let other: Tenant;
let premiumCookie: string;
let freeCookie: string;
let readerCookie: string;
let adminEmail: string;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  premium = await seedTenant(database.db, 'premium_p1');
  free = await seedTenant(database.db, 'free');
  other = await seedTenant(database.db, 'free');
  const admin = await seedAdmin(database.db, premium, 'security_admin');
  adminEmail = admin.email;
  premiumCookie = await signIn(app, admin.email);
  readerCookie = await signIn(app, (await seedAdmin(database.db, premium, 'security_reader')).email);
  freeCookie = await signIn(app, (await seedAdmin(database.db, free, 'security_admin')).email);

  const row = await seedRiskySignIn(database.db, premium.id, { id: 'au-1', userId: 'au-user', events: [{ id: 'au-1-ev', type: 'anonymizedIPAddress' }] });
  await post(app, premiumCookie, '/security/risky-sign-ins/au-1/feedback', { action: 'falsePositive', version: String(row.version) });
  const freeRow = await seedRiskySignIn(database.db, free.id, { id: 'au-2', userId: 'au-user', events: [{ id: 'au-2-ev' }] });
  await post(app, freeCookie, '/security/risky-sign-ins/au-2/feedback', { action: 'resolve', version: String(freeRow.version) });
  await recordAudit(database.db, { type: 'system', label: 'secret other tenant' }, [{ tenantId: other.id, action: 'riskEvent.ignore', targetType: 'riskEvent', targetId: 'other-ev' }]);
});
afterAll(() => database.destroy());

function rowsOf(html: string): string[] {
  return html.split('data-testid="audit-row"').slice(1);
}

describe('the audit log', () => {
  it('shows who, when, what and only what changed, newest first', async () => {
    const res = await get(app, readerCookie, '/audit');
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = rowsOf(html);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const event = rows.find((row) => row.includes('riskEvent.falsePositive'))!;
    expect(event).toContain(adminEmail);
    expect(event).toContain('(Admin)');
    expect(event).toContain('<time datetime="2026-11-27T12:00:00.000Z"');
    // In words, with the stored names on hover.
    expect(event).toMatch(/<span title="riskEvent.falsePositive"[^>]*>Marked a risk event as a false positive<\/span>/);
    expect(event).toMatch(/<span[^>]*title="status">Status:<\/span> <del[^>]*title="active">active<\/del> &#8594; <ins[^>]*title="dismissedAsFalsePositive">false positive<\/ins>/);
    expect(event).toMatch(/title="riskDetail">Risk detail:<\/span> <del[^>]*>none<\/del> &#8594; <ins[^>]*>admin confirmed the sign-in safe<\/ins>/);
    const user = rows.find((row) => row.includes('title="user.riskChanged"'))!;
    expect(user).toContain('User risk changed');
    expect(user).toMatch(/Risk state:<\/span> <del[^>]*>at risk<\/del> &#8594; <ins[^>]*>confirmed safe<\/ins>/);
  });

  it("links a premium tenant's risk events to their blade, and shows plain ids to the others", async () => {
    const html = await (await get(app, premiumCookie, '/audit')).text();
    expect(html).toContain('href="/security/risk-events/anonymizedIPAddress/au-1-ev"');
    const freeHtml = await (await get(app, freeCookie, '/audit')).text();
    expect(freeHtml).toContain('au-2-ev');
    expect(freeHtml).not.toContain('href="/security/risk-events/');
  });

  it("shows only the signed-in admin's tenant", async () => {
    const html = await (await get(app, freeCookie, '/audit')).text();
    expect(html).toContain('riskEvent.resolve');
    expect(html).not.toContain('au-1-ev');
    expect(html).not.toContain('secret other tenant');
    expect(await (await get(app, freeCookie, '/audit?target=other-ev')).text()).toContain('No entries match these filters');
  });

  it('filters by actor, action, target and period', async () => {
    const byAction = rowsOf(await (await get(app, premiumCookie, '/audit?action=riskEvent')).text());
    expect(byAction).toHaveLength(1);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?action=riskEvent.falsePositive')).text())).toHaveLength(1);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?action=riskEvent.ignore')).text())).toHaveLength(0);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?action=user.riskChanged')).text())).toHaveLength(1);
    expect(rowsOf(await (await get(app, premiumCookie, `/audit?actor=${encodeURIComponent(adminEmail.slice(0, 8).toUpperCase())}`)).text()).length).toBeGreaterThanOrEqual(2);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?actor=nobody')).text())).toHaveLength(0);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?target=au-user')).text())).toHaveLength(1);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?action=riskEvent&from=2026-11-27&to=2026-11-27')).text())).toHaveLength(1);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?action=riskEvent&to=2026-11-26')).text())).toHaveLength(0);
    expect(rowsOf(await (await get(app, premiumCookie, '/audit?action=riskEvent&range=24h')).text())).toHaveLength(1);
  });

  it('answers 400 naming the parameter for a bad filter value', async () => {
    for (const [query, parameter] of [['range=1y', 'range'], ['from=yesterday', 'from'], ['action=a%20b', 'action'], ['limit=0', 'limit'], ['cursor=zzz', 'cursor']]) {
      const res = await get(app, premiumCookie, `/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toContain(`Invalid value for ${parameter}`);
    }
  });

  it('sends the results fragment to htmx and the page to everyone else', async () => {
    const fragment = await get(app, premiumCookie, '/audit?action=riskEvent', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(fragment.headers.get('vary')).toContain('HX-Request');
    const html = await fragment.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('data-testid="audit-row"');
  });
});

describe('audit log pages', () => {
  it('pages by cursor through entries with equal times, without losing or repeating any', async () => {
    const at = new Date('2026-11-27T11:00:00Z');
    const records = Array.from({ length: 7 }, (_, i) => ({ tenantId: other.id, action: 'test.page', targetType: 'thing', targetId: `p-${i}` }));
    await recordAudit(database.db, { type: 'system', label: 'pager' }, records, at);
    const otherCookie = await signIn(app, (await seedAdmin(database.db, other, 'security_reader')).email);
    const seen: string[] = [];
    let path: string | null = '/audit?action=test&limit=3';
    while (path) {
      const html: string = await (await get(app, otherCookie, path)).text();
      for (const row of rowsOf(html)) seen.push(/p-\d/.exec(row)![0]);
      const next: RegExpExecArray | null = /href="(\/audit\?[^"]*cursor=[^"]*)"[^>]*rel="next"/.exec(html);
      path = next ? next[1].replaceAll('&amp;', '&') : null;
    }
    expect(seen.sort()).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6']);
  });

  it('escapes hostile text from actors and targets', async () => {
    await recordAudit(
      database.db,
      { type: 'apiKey', id: 'k1', label: '<script>alert(1)</script>' },
      [{ tenantId: other.id, action: 'test.hostile', targetType: '<b>type</b>', targetId: '"><img src=x onerror=alert(2)>', before: { name: '<i>old</i>' }, after: { name: '</td><script>x</script>' } }],
    );
    const otherCookie = await signIn(app, (await seedAdmin(database.db, other, 'security_reader')).email);
    const html = await (await get(app, otherCookie, '/audit?action=test.hostile')).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('<b>type</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('(API key)');
  });
});
