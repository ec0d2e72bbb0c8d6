import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { prefixEnd } from '../../src/queries/prefix.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { ago, insertSignIns } from './report-fixtures.js';

// The sign-in log's `user=` reads a prefix name by name (queries/sign-ins.ts); these pin what it
// matches and in which order against the plain definition: the sign-in's own UPN or display name,
// as recorded at sign-in, starts with the text, case-insensitively.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let admin: string;
const PARTIAL = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

interface Row {
  id: string;
  at: Date;
  upn: string;
  name: string | null;
}
const rows: Row[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => ago(0) });
  tenant = await seedTenant(database.db, 'premium_p2');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  // 70 users whose UPNs start with "pre" (more names than a page has rows), 3 sign-ins each, some
  // sharing an instant so pages split ties; their display names start with "Pre" too, so most
  // sign-ins match on both.
  for (let u = 0; u < 70; u += 1) {
    for (let k = 0; k < 3; k += 1) {
      rows.push({ id: `p-${u}-${k}`, at: new Date(ago(1).getTime() - (u % 20) * 60_000 - k * 3_600_000), upn: `pre${u}@contoso.com`, name: `Pre User ${u}` });
    }
  }
  // Matching on the display name only, and on neither.
  rows.push({ id: 'dn-only', at: ago(2), upn: 'x1@contoso.com', name: 'Prescott Lane' });
  rows.push({ id: 'neither', at: ago(2), upn: 'x2@contoso.com', name: 'Someone' });
  rows.push({ id: 'no-name', at: ago(2), upn: 'x3@contoso.com', name: null });
  // A user renamed from john@ to jane@: each sign-in answers to the name it carried.
  rows.push({ id: 'john-old-1', at: ago(30), upn: 'john@contoso.com', name: 'John Doe' });
  rows.push({ id: 'john-old-2', at: ago(29), upn: 'john@contoso.com', name: 'John Doe' });
  rows.push({ id: 'jane-new-1', at: ago(3), upn: 'jane@contoso.com', name: 'Jane Doe' });
  // Characters LIKE would treat as patterns, and a name beyond the Basic Multilingual Plane.
  rows.push({ id: 'under', at: ago(4), upn: 'a_b@contoso.com', name: null });
  rows.push({ id: 'axb', at: ago(4), upn: 'axb@contoso.com', name: null });
  rows.push({ id: 'emoji', at: ago(5), upn: 'x4@contoso.com', name: '😀 Smiley' });
  await insertSignIns(
    database.db,
    tenant.id,
    rows.map((row) => ({ id: row.id, createdDateTime: row.at, userId: row.id.startsWith('j') ? 'user-renamed' : `user-${row.upn.split('@')[0]}`, userPrincipalName: row.upn, userDisplayName: row.name })),
  );
});
afterAll(() => database.destroy());

async function page(path: string): Promise<{ ids: string[]; next: string | null; count: string }> {
  const html = await (await get(app, admin, path, PARTIAL)).text();
  const ids = [...html.matchAll(/<tr id="sign-in-([^"]+)"/g)].map((m) => m[1]);
  const next = /<a href="([^"]+)"[^>]*rel="next"/.exec(html)?.[1].replace(/&amp;/g, '&') ?? null;
  const count = /data-testid="count"><strong[^>]*>([^<]+)</.exec(html)?.[1] ?? '';
  return { ids, next, count };
}

async function walk(start: string): Promise<{ ids: string[]; firstCount: string }> {
  const seen: string[] = [];
  let path: string | null = start;
  let firstCount = '';
  while (path) {
    const result = await page(path);
    firstCount ||= result.count;
    seen.push(...result.ids);
    path = result.next;
    expect(seen.length).toBeLessThan(1000);
  }
  return { ids: seen, firstCount };
}

/** What the log should show: the definition, applied in JavaScript, in (time, id) order. */
function expected(prefix: string, newestFirst: boolean): string[] {
  const p = prefix.toLowerCase();
  const matching = rows.filter((row) => row.upn.toLowerCase().startsWith(p) || (row.name?.toLowerCase().startsWith(p) ?? false));
  const sorted = matching.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return (newestFirst ? sorted.reverse() : sorted).map((row) => row.id);
}

describe('the sign-in log with user=', () => {
  it.each([
    ['pre', '-time'],
    ['pre', 'time'],
    ['PRE1', '-time'],
    ['pre User 1', 'time'],
  ])('walks every sign-in of a prefix matching many users, %s by %s, in order and without repeats', async (prefix, sort) => {
    const { ids } = await walk(`/security/sign-ins?user=${encodeURIComponent(prefix)}&sort=${sort}&limit=25`);
    expect(ids).toEqual(expected(prefix, sort === '-time'));
  });

  it('counts the sign-ins of the prefix, each once though it matches on both names', async () => {
    expect((await page('/security/sign-ins?user=pre')).count).toBe(String(70 * 3 + 1));
    expect((await page('/security/sign-ins?user=pre1')).count).toBe(String(3 + 3 * 10));
  });

  it("matches the name a sign-in carried, so a renamed user's older sign-ins answer to the old name", async () => {
    expect((await walk('/security/sign-ins?user=jo')).ids).toEqual(['john-old-2', 'john-old-1']);
    expect((await walk('/security/sign-ins?user=ja')).ids).toEqual(['jane-new-1']);
    expect((await walk('/security/sign-ins?user=j')).ids).toEqual(['jane-new-1', 'john-old-2', 'john-old-1']);
  });

  it('takes the text literally and matches beyond the Basic Multilingual Plane', async () => {
    expect((await walk('/security/sign-ins?user=a_')).ids).toEqual(['under']);
    expect((await walk('/security/sign-ins?user=%F0%9F%98%80')).ids).toEqual(['emoji']);
    expect((await walk('/security/sign-ins?user=nobody')).ids).toEqual([]);
  });

  it('combines the prefix with the other filters', async () => {
    const { ids } = await walk('/security/sign-ins?user=pre&userId=user-pre7');
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(expected('pre7@', true));
  });
});

describe('the count of a prefix past the bound', () => {
  let bulkAdmin: string;
  const countOn = async (path: string) => /data-testid="count"><strong[^>]*>([^<]+)</.exec(await (await get(app, bulkAdmin, path)).text())?.[1];

  beforeAll(async () => {
    const bulk = await seedTenant(database.db, 'premium_p2');
    bulkAdmin = await signIn(app, (await seedAdmin(database.db, bulk, 'security_admin')).email);
    // 1,001 sign-ins whose UPNs start with "many"; 600 whose UPNs start with "mix" and 600 others
    // whose display names alone do; 400 of each kind starting "few".
    const specs = [
      ...Array.from({ length: 1001 }, (_, i) => ({ id: `many-${i}`, upn: `many${i}@contoso.com`, name: 'Bulk' })),
      ...Array.from({ length: 600 }, (_, i) => ({ id: `mix-upn-${i}`, upn: `mix${i}@contoso.com`, name: 'Other' })),
      ...Array.from({ length: 600 }, (_, i) => ({ id: `mix-name-${i}`, upn: `o${i}@contoso.com`, name: `Mix${i} Lane` })),
      ...Array.from({ length: 400 }, (_, i) => ({ id: `few-upn-${i}`, upn: `few${i}@contoso.com`, name: `Few ${i}` })),
      ...Array.from({ length: 400 }, (_, i) => ({ id: `few-name-${i}`, upn: `f${i}@contoso.com`, name: `Few ${i}` })),
    ];
    await insertSignIns(
      database.db,
      bulk.id,
      specs.map((spec, i) => ({ id: spec.id, createdDateTime: new Date(ago(1).getTime() - i * 1000), userId: `user-${spec.upn.split('@')[0]}`, userPrincipalName: spec.upn, userDisplayName: spec.name })),
    );
  });

  it('says 1,000+ when the UPNs alone pass the bound, and when only both names together do', async () => {
    expect(await countOn('/security/sign-ins?user=many')).toBe('1,000+');
    expect(await countOn('/security/sign-ins?user=mix')).toBe('1,000+');
  });

  it('counts exactly below the bound, each sign-in once though it matches on both names', async () => {
    expect(await countOn('/security/sign-ins?user=few')).toBe('800');
    expect(await countOn('/security/sign-ins?user=mix1')).toBe(String(2 * (1 + 10 + 100)));
  });
});

describe('prefixEnd', () => {
  it.each([
    ['jo', 'jp'],
    ['a\u{d7ff}', 'a\u{e000}'],
    ['😀', '😁'],
    ['x\u{10ffff}', null],
    ['', null],
  ])('of %j is %j', (prefix, end) => {
    expect(prefixEnd(prefix)).toBe(end);
  });
});
