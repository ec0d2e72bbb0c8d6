import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky, insertSignIns, insertUsers } from './report-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let admin: string;
let freeAdmin: string;
const PARTIAL = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
const HOSTILE = '<script>alert(1)</script>';

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  tenant = await seedTenant(database.db, 'premium_p2');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  const free = await seedTenant(database.db, 'free');
  freeAdmin = await signIn(app, (await seedAdmin(database.db, free)).email);
  // 130 sign-ins in groups of 7 sharing one instant (to the microsecond), so pages split ties.
  await insertRisky(
    database.db,
    tenant.id,
    Array.from({ length: 130 }, (_, i) => ({
      id: `tie-${String(i).padStart(3, '0')}`,
      createdDateTime: new Date(ago(1).getTime() - Math.floor(i / 7) * 60_000),
      level: (['low', 'medium', 'high'] as const)[i % 3],
    })),
  );
  await insertRisky(database.db, tenant.id, [{ id: 'hostile', createdDateTime: ago(0.5), userDisplayName: HOSTILE, city: HOSTILE, appDisplayName: HOSTILE, userId: 'evil' }]);
  await database.db.execute(sql`update sign_ins set created_date_time = created_date_time + interval '123 microseconds' where id like 'tie-%'`);
  await insertSignIns(database.db, tenant.id, [
    { id: 'ok-1', createdDateTime: ago(2), userId: 'user-5', userPrincipalName: 'carol@contoso.com', userDisplayName: 'Carol', appDisplayName: 'Teams', countryOrRegion: 'FR', city: 'Paris' },
    { id: 'bad-1', createdDateTime: ago(3), userId: 'user-5', userPrincipalName: 'carol@contoso.com', userDisplayName: 'Carol', errorCode: 50126, failureReason: 'Invalid username or password', ipAddress: '192.0.2.10' },
  ]);
  await insertUsers(database.db, tenant.id, [
    { id: 'u-high', userPrincipalName: 'hana@contoso.com', displayName: 'Hana', riskLevel: 'high', riskState: 'atRisk', riskLastUpdatedAt: ago(1), activeEventCount: 2 },
    { id: 'u-comp', userPrincipalName: 'ivan@contoso.com', displayName: 'Ivan', riskLevel: 'high', riskState: 'confirmedCompromised', riskLastUpdatedAt: ago(3), activeEventCount: 1 },
    { id: 'u-low', userPrincipalName: 'jay@contoso.com', displayName: 'Jay', riskLevel: 'low', riskState: 'atRisk', riskLastUpdatedAt: ago(2), activeEventCount: 1 },
    { id: 'u-safe', userPrincipalName: 'kim@contoso.com', displayName: HOSTILE, riskLevel: 'none', riskState: 'confirmedSafe', riskLastUpdatedAt: ago(4) },
    { id: 'u-none', userPrincipalName: 'lee@contoso.com', displayName: 'Lee' },
  ]);
});
afterAll(() => database.destroy());

async function pageIds(path: string): Promise<{ ids: string[]; next: string | null }> {
  const html = await (await get(app, admin, path, PARTIAL)).text();
  const ids = [...html.matchAll(/<tr id="(?:sign-in|user)-([^"]+)"/g)].map((m) => m[1]);
  const next = /<a href="([^"]+)"[^>]*rel="next"/.exec(html)?.[1].replace(/&amp;/g, '&') ?? null;
  return { ids, next };
}

async function walk(start: string): Promise<string[]> {
  const seen: string[] = [];
  let path: string | null = start;
  while (path) {
    const page = await pageIds(path);
    seen.push(...page.ids);
    path = page.next;
    expect(seen.length).toBeLessThan(1000);
  }
  return seen;
}

describe('keyset pagination', () => {
  it.each(['-time', 'time', '-level', 'level'])('walks every risky sign-in once with sort=%s, ties in time broken by id', async (sort) => {
    const seen = await walk(`/security/risky-sign-ins?sort=${sort}&limit=9`);
    expect(seen).toHaveLength(131);
    expect(new Set(seen).size).toBe(131);
  });

  it('walks across levels in level order, and within the level filter', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins?sort=-level&limit=200')).text();
    const levels = [...html.matchAll(/<span class="badge b-(?:low|medium|high)">(\w+)<\/span>/g)].map((m) => m[1]);
    expect(levels).toHaveLength(131);
    expect(levels.indexOf('Medium')).toBeGreaterThan(levels.lastIndexOf('High'));
    expect(levels.indexOf('Low')).toBeGreaterThan(levels.lastIndexOf('Medium'));
    const medium = await walk('/security/risky-sign-ins?sort=level&level=medium&limit=8');
    expect(new Set(medium).size).toBe(medium.length);
    expect(medium).toHaveLength(43 + 1 + 43);
  });

  it('shows 50 rows by default and a bounded count', async () => {
    const page = await pageIds('/security/risky-sign-ins');
    expect(page.ids).toHaveLength(50);
    expect(page.next).toContain('cursor=');
    const html = await (await get(app, admin, '/security/risky-sign-ins')).text();
    expect(html).toContain('131</strong> risky sign-ins');
  });

  it('walks the sign-in log and the users at risk across pages too', async () => {
    expect(new Set(await walk('/security/sign-ins?limit=7')).size).toBe(133);
    expect(await walk('/security/users-at-risk?limit=1')).toEqual(['u-high', 'u-comp', 'u-low', 'u-safe']);
  });
});

describe('escaping text from imported logs', () => {
  it('escapes hostile names, cities and apps in every list', async () => {
    for (const path of ['/security/risky-sign-ins', '/security/sign-ins', '/security/users-at-risk']) {
      const html = await (await get(app, admin, path)).text();
      expect(html, path).not.toContain(HOSTILE);
      expect(html, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});

describe('users flagged for risk', () => {
  it('lists users with any risk state but none, highest level first then most recently updated, linked to the user blade on premium', async () => {
    const res = await get(app, admin, '/security/users-at-risk');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Security.*&#8250;.*Users flagged for risk/s);
    expect((await pageIds('/security/users-at-risk')).ids).toEqual(['u-high', 'u-comp', 'u-low', 'u-safe']);
    expect(html).toContain('href="/security/users/u-high"');
    expect(html).toContain('Confirmed compromised');
  });

  it.each([
    ['?level=high', ['u-high', 'u-comp']],
    ['?level=low', ['u-high', 'u-comp', 'u-low']],
    ['?sort=-time', ['u-high', 'u-low', 'u-comp', 'u-safe']],
    ['?state=confirmedCompromised', ['u-comp']],
    ['?state=atRisk&state=confirmedSafe', ['u-high', 'u-low', 'u-safe']],
    ['?user=ja', ['u-low']],
    ['?userId=u-comp', ['u-comp']],
    ['?sort=time', ['u-safe', 'u-comp', 'u-low', 'u-high']],
    ['?sort=-level', ['u-high', 'u-comp', 'u-low', 'u-safe']],
  ])('%s filters users', async (query, expected) => {
    expect((await pageIds(`/security/users-at-risk${query}`)).ids).toEqual(expected);
  });

  it.each([
    ['state', '?state=none'],
    ['level', '?level=none'],
    ['sort', '?sort=name'],
  ])('answers 400 naming %s', async (parameter, query) => {
    const res = await get(app, admin, `/security/users-at-risk${query}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`Invalid value for ${parameter}`);
  });

  it('says so when no user is flagged', async () => {
    const html = await (await get(app, freeAdmin, '/security/users-at-risk')).text();
    expect(html).toContain('No users flagged for risk');
  });
});

describe('the sign-in log', () => {
  it('lists every sign-in, failures included with their reason', async () => {
    const html = await (await get(app, admin, '/security/sign-ins?userId=user-5')).text();
    expect(html).toMatch(/Security.*&#8250;.*Sign-ins/s);
    expect((await pageIds('/security/sign-ins?userId=user-5')).ids).toEqual(['ok-1', 'bad-1']);
    expect(html).toContain('Invalid username or password');
    expect(html).toContain('Teams');
  });

  it.each([
    ['?result=failure', ['bad-1']],
    ['?result=success&user=carol', ['ok-1']],
    ['?ip=192.0.2.0/24', ['bad-1']],
    ['?country=fr', ['ok-1']],
    ['?user=CAROL&sort=time', ['bad-1', 'ok-1']],
    ['?userId=user-5&level=low', []],
    ['?userId=evil&level=low', ['hostile']],
  ])('%s filters sign-ins', async (query, expected) => {
    expect((await pageIds(`/security/sign-ins${query}`)).ids).toEqual(expected);
  });

  it('answers 400 for a sort it does not offer, and for a bad IP', async () => {
    expect((await get(app, admin, '/security/sign-ins?sort=-level')).status).toBe(400);
    expect(await (await get(app, admin, '/security/sign-ins?ip=1.2.3')).text()).toContain('Invalid value for ip');
  });

  it('answers htmx with the fragment and varies on both headers', async () => {
    const res = await get(app, admin, '/security/sign-ins?result=failure', PARTIAL);
    expect(res.headers.get('vary')).toContain('HX-Request, HX-Request-Type');
    expect(await res.text()).not.toContain('<html');
  });

  it('explains an empty log with how to import', async () => {
    const html = await (await get(app, freeAdmin, '/security/sign-ins')).text();
    expect(html).toContain('No sign-ins imported yet');
  });
});
