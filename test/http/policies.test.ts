import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ipListEntries, ipLists, policies, type Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { apiGet, apiPost, keyFor } from './api-helpers.js';

// The risk policy pages: a change in the console changes what the API answers.

const DAY = 86_400_000;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));
const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY);
const PARTIAL = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let contoso: Tenant;
let admin: string;
let reader: string;
let key: string;

const userRiskForm = (overrides: Record<string, string> = {}) => ({
  version: '0',
  enabled: 'on',
  include: 'all',
  includeUpns: '',
  excludeUpns: '',
  threshold: 'medium',
  control: 'requirePasswordChange',
  ...overrides,
});

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  const { db } = database;
  contoso = await seedTenant(db, 'premium_p2', 'Contoso');
  admin = await signIn(app, (await seedAdmin(db, contoso, 'global_admin')).email);
  reader = await signIn(app, (await seedAdmin(db, contoso, 'security_reader')).email);
  key = await keyFor(db, contoso);
  // Mia medium, Hugo high, Lou low; and Olaf of another tenant, medium.
  await seedRiskySignIn(db, contoso.id, { id: 's-mia', userId: 'mia', userPrincipalName: 'mia@contoso.com', userDisplayName: 'Mia', events: [{ type: 'unlikelyTravel', level: 'medium' }] }, daysAgo(1));
  await seedRiskySignIn(db, contoso.id, { id: 's-hugo', userId: 'hugo', userPrincipalName: 'hugo@contoso.com', userDisplayName: 'Hugo', events: [{ type: 'leakedCredentials', level: 'high' }] }, daysAgo(2));
  await seedRiskySignIn(db, contoso.id, { id: 's-lou', userId: 'lou', userPrincipalName: 'lou@contoso.com', userDisplayName: 'Lou', events: [{ type: 'malwareInfectedIPAddress', level: 'low' }] }, daysAgo(3));
  await seedRiskySignIn(db, contoso.id, { id: 's-hugo-old', userId: 'hugo', userPrincipalName: 'hugo@contoso.com', userDisplayName: 'Hugo', events: [{ type: 'unfamiliarFeatures', level: 'medium' }] }, daysAgo(9));
  const other = await seedTenant(db, 'premium_p2', 'Other');
  await seedRiskySignIn(db, other.id, { id: 's-olaf', userId: 'olaf', userPrincipalName: 'olaf@other.com', userDisplayName: 'Olaf', events: [{ type: 'unlikelyTravel', level: 'medium' }] }, daysAgo(1));
});
afterAll(() => database.destroy());

async function decisionFor(upn: string): Promise<string> {
  const body = await (await apiGet(app, key, `/api/v1/risk/users/${encodeURIComponent(upn)}`)).json();
  return body.decision as unknown as string;
}

describe('the user risk policy', () => {
  it('is reached from the type blade, previewed, saved, and then answered by GET /api/v1/risk/users/:upn', async () => {
    const blade = await (await get(app, admin, '/security/risk-events/unlikelyTravel')).text();
    const link = /href="(\/security\/policies\/user-risk)"/.exec(blade)?.[1];
    expect(link).toBe('/security/policies/user-risk');
    const page = await get(app, admin, link!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('User risk policy');
    expect(html).toContain('Not configured yet');
    expect(html).toMatch(/<a[^>]+href="\/security\/policies\/user-risk"[^>]*>Risk policies<\/a>/);
    expect(await decisionFor('mia@contoso.com')).toBe('allow');

    // With htmx the preview swaps in place: the fragment names who the draft matches.
    const preview = await post(app, admin, '/security/policies/user-risk/preview', userRiskForm(), PARTIAL);
    expect(preview.status).toBe(200);
    const fragment = await preview.text();
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('Matches <strong>2 users</strong> now');
    expect(fragment).toMatch(/Hugo[\s\S]*Mia/);
    expect(fragment).not.toContain('Lou');
    expect(fragment).not.toContain('Olaf');
    expect(fragment).toContain('require password change');

    // Without JavaScript, Preview renders the page with the draft kept in the form.
    const plain = await post(app, admin, '/security/policies/user-risk', { ...userRiskForm({ excludeUpns: 'HUGO@contoso.com' }), action: 'preview' });
    expect(plain.status).toBe(200);
    const kept = await plain.text();
    expect(kept).toContain('Impact of this draft (not saved)');
    expect(kept).toContain('Matches <strong>1 user</strong> now');
    expect(kept).toMatch(/name="threshold" value="medium" checked/);
    expect(kept).toMatch(/name="control" value="requirePasswordChange" checked/);
    expect(kept).toContain('HUGO@contoso.com</textarea>');
    expect(await database.db.select().from(policies).where(eq(policies.tenantId, contoso.id))).toEqual([]);

    const saved = await post(app, admin, '/security/policies/user-risk', { ...userRiskForm(), action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/security/policies/user-risk?done=saved');
    expect(await decisionFor('mia@contoso.com')).toBe('requirePasswordChange');
    expect(await decisionFor('hugo@contoso.com')).toBe('requirePasswordChange');
    expect(await decisionFor('lou@contoso.com')).toBe('allow');

    const [audit] = await database.db.select().from(auditLog).where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, 'policy.update')));
    expect(audit).toMatchObject({ targetType: 'policy', targetId: 'userRisk', before: null, actorType: 'admin' });
    expect(audit.after).toMatchObject({ enabled: true, threshold: 'medium', control: 'requirePasswordChange', includeAll: true });

    const after = await (await get(app, admin, '/security/policies/user-risk?done=saved')).text();
    expect(after).toContain('Policy saved.');
    expect(after).toContain('name="version" value="1"');

    const userBlade = await (await get(app, admin, '/security/users/mia')).text();
    expect(userBlade).toMatch(/Under the[\s\S]*user risk policy[\s\S]*<strong>require password change<\/strong>/);
    const lowBlade = await (await get(app, admin, '/security/users/lou')).text();
    expect(lowBlade).toMatch(/user risk policy[\s\S]*<strong>allow<\/strong>/);
  });

  it('refuses a stale version with 409, showing the saved policy and changing nothing', async () => {
    const res = await post(app, admin, '/security/policies/user-risk', { ...userRiskForm({ version: '0', control: 'block' }), action: 'save' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('The policy changed since this page was loaded');
    expect(html).toMatch(/name="control" value="requirePasswordChange" checked/);
    expect(await decisionFor('mia@contoso.com')).toBe('requirePasswordChange');
  });

  it('answers 400 naming the field and line of an excluded user that is not an address, and saves nothing', async () => {
    const res = await post(app, admin, '/security/policies/user-risk', { ...userRiskForm({ version: '1', excludeUpns: 'mia@contoso.com\nbob', control: 'block' }), action: 'save' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('excludeUpns line 2: &quot;bob&quot; is not a user principal name');
    expect(html).toContain('mia@contoso.com\nbob</textarea>');
    expect(await decisionFor('mia@contoso.com')).toBe('requirePasswordChange');

    const htmx = await post(app, admin, '/security/policies/user-risk/preview', userRiskForm({ include: 'listed', includeUpns: '' }), PARTIAL);
    expect(htmx.status).toBe(400);
    expect(await htmx.text()).toContain('includeUpns: list at least one user');
    const threshold = await post(app, admin, '/security/policies/user-risk', { ...userRiskForm({ version: '1', threshold: 'severe' }), action: 'save' });
    expect(threshold.status).toBe(400);
    expect(await threshold.text()).toContain('threshold must be one of low, medium, high');
  });

  it('lets a reader read the policy and its impact, without buttons, and refuses their POST with 403', async () => {
    const html = await (await get(app, reader, '/security/policies/user-risk')).text();
    expect(html).toContain('Impact of the saved policy');
    expect(html).toContain('Matches <strong>2 users</strong> now');
    expect(html).not.toContain('value="save"');
    expect(html).not.toContain('Preview impact');
    const res = await post(app, reader, '/security/policies/user-risk', { ...userRiskForm({ version: '1', enabled: '' }), action: 'save' });
    expect(res.status).toBe(403);
    expect((await post(app, reader, '/security/policies/user-risk/preview', userRiskForm())).status).toBe(403);
    expect(await decisionFor('mia@contoso.com')).toBe('requirePasswordChange');
  });

  it('answers 404 for a policy kind that does not exist', async () => {
    for (const kind of ['device-risk', 'constructor', '__proto__']) expect((await get(app, admin, `/security/policies/${kind}`)).status).toBe(404);
    expect((await post(app, admin, '/security/policies/constructor', { ...userRiskForm(), action: 'save' })).status).toBe(404);
  });

  it("keeps each tenant's policy its own", async () => {
    const other = await seedTenant(database.db, 'premium_p1', 'Northwind');
    const cookie = await signIn(app, (await seedAdmin(database.db, other, 'security_admin')).email);
    const html = await (await get(app, cookie, '/security/policies/user-risk')).text();
    expect(html).toContain('Not configured yet');
    expect(html).toContain('name="version" value="0"');
    expect(html).toContain('Disabled, so the API allows everyone. Enabled, it would match <strong>0 users</strong> now');
    const saved = await post(app, cookie, '/security/policies/user-risk', { ...userRiskForm({ control: 'block', threshold: 'high' }), action: 'save' });
    expect(saved.status).toBe(303);
    expect(await decisionFor('mia@contoso.com')).toBe('requirePasswordChange');
  });
});

describe('the sign-in risk policy', () => {
  it('previews the last 7 days of sign-ins, and once saved decides POST /api/v1/sign-ins/evaluate', async () => {
    const form = { version: '0', enabled: 'on', include: 'all', includeUpns: '', excludeUpns: '', threshold: 'medium', control: 'requireMfa' };
    const preview = await post(app, admin, '/security/policies/sign-in-risk/preview', form, PARTIAL);
    // Mia's and Hugo's risky sign-ins of the week; Lou's is low, Hugo's older one is past 7 days.
    expect(await preview.text()).toContain('Would have challenged <strong>2 sign-ins</strong> of <strong>2 users</strong> in the last 7 days');
    const blocked = await post(app, admin, '/security/policies/sign-in-risk/preview', { ...form, threshold: 'low', control: 'block', excludeUpns: 'mia@contoso.com' }, PARTIAL);
    expect(await blocked.text()).toContain('Would have blocked <strong>2 sign-ins</strong> of <strong>2 users</strong>');

    const [list] = await database.db.insert(ipLists).values({ kind: 'anonymous', name: 'tor' }).returning();
    await database.db.insert(ipListEntries).values({ listId: list.id, cidr: '203.0.113.0/26' });
    const evaluate = (id: string) =>
      apiPost(app, key, '/api/v1/sign-ins/evaluate', {
        id,
        createdDateTime: clock.now().toISOString(),
        userId: 'nia',
        userPrincipalName: 'nia@contoso.com',
        ipAddress: '203.0.113.9',
        status: { errorCode: 0 },
      });
    expect(((await (await evaluate('e-1')).json()).decision as unknown as { signInRisk: string }).signInRisk).toBe('allow');

    const saved = await post(app, admin, '/security/policies/sign-in-risk', { ...form, action: 'save' });
    expect(saved.status).toBe(303);
    const body = await (await evaluate('e-2')).json();
    expect(body.riskLevel).toBe('medium');
    expect((body.decision as unknown as { signInRisk: string }).signInRisk).toBe('requireMfa');
    expect((await post(app, admin, '/security/policies/sign-in-risk', { ...form, control: 'requirePasswordChange', version: '1', action: 'save' })).status).toBe(400);
  });
});

describe('editions', () => {
  it('answers 403 with the edition page to a free tenant, and shows it no Risk policies entry', async () => {
    const free = await seedTenant(database.db, 'free', 'Fabrikam');
    const cookie = await signIn(app, (await seedAdmin(database.db, free, 'global_admin')).email);
    const res = await get(app, cookie, '/security/policies/user-risk');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Premium P1 and Premium P2');
    expect((await post(app, cookie, '/security/policies/user-risk', { ...userRiskForm(), action: 'save' })).status).toBe(403);
    expect(await (await get(app, cookie, '/security/risky-sign-ins')).text()).not.toContain('Risk policies');
  });
});
