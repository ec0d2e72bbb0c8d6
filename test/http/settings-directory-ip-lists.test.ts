import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIpList } from '../../src/lists/ip-lists.js';
import { auditLog, directoryUsers, type Admin, type Tenant } from '../../src/db/schema.js';
import { UPLOAD_MAX_BYTES } from '../../src/http/upload.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post } from '../helpers/session.js';
import { sessionFor } from './auth-helpers.js';
import { postMultipart, textOf } from './settings-lists-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

async function tenantWith(role: Admin['role'] = 'global_admin', edition: Tenant['edition'] = 'basic') {
  const tenant = await seedTenant(database.db, edition);
  const admin = await seedAdmin(database.db, tenant, role);
  return { tenant, admin, cookie: await sessionFor(database, admin) };
}

async function usersOf(tenantId: string) {
  const found = await database.db.select().from(directoryUsers).where(eq(directoryUsers.tenantId, tenantId)).orderBy(directoryUsers.id);
  return found.map((user) => [user.id, user.userPrincipalName, user.displayName, user.mail]);
}

const alice = { id: 'u-alice', userPrincipalName: 'alice@contoso.com', displayName: 'Alice', mail: 'alice.smith@contoso.com' };
const bob = { id: 'u-bob', userPrincipalName: 'bob@contoso.com', displayName: 'Bob', mail: null };

describe('/settings/directory', () => {
  it.each([
    ['a JSON array', JSON.stringify([alice, bob])],
    ['a Graph page', JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users', value: [alice, bob] })],
    ['NDJSON', `${JSON.stringify(alice)}\r\n${JSON.stringify(bob)}\r\n`],
    ['CSV', '\uFEFFid,userPrincipalName,displayName,mail\nu-alice,alice@contoso.com,Alice,alice.smith@contoso.com\nu-bob,bob@contoso.com,Bob,\n'],
  ])('takes %s of Graph user objects, with the counts of riskdesk import users', async (_, content) => {
    const { tenant, admin, cookie } = await tenantWith('security_admin');
    await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'alice.smith@contoso.com' });
    const res = await postMultipart(app, cookie, '/settings/directory', {}, { name: 'users.txt', content });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/directory?done=imported&received=2&created=2&riskDetections=1');
    expect(await usersOf(tenant.id)).toEqual([
      ['u-alice', 'alice@contoso.com', 'Alice', 'alice.smith@contoso.com'],
      ['u-bob', 'bob@contoso.com', 'Bob', null],
    ]);
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'user.create')));
    expect(audit.map((row) => [row.targetId, row.actorLabel]).sort()).toEqual([
      ['u-alice', admin.email],
      ['u-bob', admin.email],
    ]);
    const again = await postMultipart(app, cookie, '/settings/directory', { text: JSON.stringify([{ ...alice, displayName: 'Alice Smith' }]) });
    expect(again.headers.get('location')).toBe('/settings/directory?done=imported&received=1&created=0&riskDetections=0');
    const page = textOf(await (await get(app, cookie, again.headers.get('location')!)).text());
    expect(page).toContain('Imported 1 users (0 new), 0 risk detections.');
    expect(page).toMatch(/Users 2 With mail 1 At risk 1/);
  });

  it('refuses a bad record with 400 naming it, and writes nothing', async () => {
    const { tenant, cookie } = await tenantWith();
    const missing = await postMultipart(app, cookie, '/settings/directory', { text: JSON.stringify([alice, { id: 'u-x', displayName: 'No UPN' }]) });
    expect(missing.status).toBe(400);
    expect(textOf(await missing.text())).toContain('user 1: userPrincipalName: is required');
    const twice = await postMultipart(app, cookie, '/settings/directory', { text: JSON.stringify([alice, bob, alice]) });
    expect(twice.status).toBe(400);
    expect(textOf(await twice.text())).toContain('user 2: id: "u-alice" appears twice (first as user 0)');
    const csv = await postMultipart(app, cookie, '/settings/directory', { text: 'name,email\nAlice,alice@contoso.com\n' });
    expect(csv.status).toBe(400);
    expect(textOf(await csv.text())).toContain('the header row must name the columns id and userPrincipalName');
    const empty = await postMultipart(app, cookie, '/settings/directory', { text: '[]' });
    expect(empty.status).toBe(400);
    expect(await usersOf(tenant.id)).toEqual([]);
  });

  it('answers 413 over the cap; readers see the counts without the form and get 403', async () => {
    const { tenant, cookie } = await tenantWith();
    const huge = await postMultipart(app, cookie, '/settings/directory', {}, { name: 'users.json', content: `[${' '.repeat(UPLOAD_MAX_BYTES)}]` });
    expect(huge.status).toBe(413);
    const reader = await sessionFor(database, await seedAdmin(database.db, tenant, 'security_reader'));
    const page = await (await get(app, reader, '/settings/directory')).text();
    expect(textOf(page)).toMatch(/Users 0 With mail 0 At risk 0/);
    expect(page).not.toContain('type="file"');
    expect((await postMultipart(app, reader, '/settings/directory', { text: JSON.stringify([alice]) })).status).toBe(403);
    expect(await usersOf(tenant.id)).toEqual([]);
  });
});

describe('/settings/ip-lists', () => {
  it('shows the global lists read-only with their size and last import', async () => {
    await importIpList(database.db, { kind: 'anonymous', name: 'tor-exits-test', entries: ['198.18.0.0/24', '198.18.1.1'] });
    await importIpList(database.db, { kind: 'malware', name: 'botnet-test', entries: ['192.0.2.64/28'] });
    const { cookie } = await tenantWith('security_reader');
    const res = await get(app, cookie, '/settings/ip-lists');
    expect(res.status).toBe(200);
    const page = await res.text();
    const text = textOf(page);
    expect(text).toMatch(/Anonymous tor-exits-test 2 \d{4}-\d\d-\d\d/);
    expect(text).toMatch(/Malware botnet-test 1 \d{4}-\d\d-\d\d/);
    expect(page).not.toMatch(/method="post" action="\/settings\/ip-lists/);
    expect((await post(app, cookie, '/settings/ip-lists', {})).status).toBe(403);
  });

  it('says whether an IP is on a list, and which entry matched', async () => {
    await importIpList(database.db, { kind: 'anonymous', name: 'vpn-exits-test', entries: ['198.19.0.0/16'] });
    const { cookie } = await tenantWith();
    await post(app, cookie, '/settings/trusted-locations', { name: 'Office VPN', ranges: '198.19.7.0/24' });
    const hit = textOf(await (await get(app, cookie, '/settings/ip-lists?ip=198.19.7.9')).text());
    expect(hit).toContain('198.19.7.9 is on the anonymous list vpn-exits-test, entry 198.19.0.0/16');
    expect(hit).toContain('198.19.7.9 is in your trusted location Office VPN, entry 198.19.7.0/24');
    const miss = textOf(await (await get(app, cookie, '/settings/ip-lists?ip=2001:db8::1')).text());
    expect(miss).toContain('2001:db8::1 is on no list');
    const bad = await get(app, cookie, '/settings/ip-lists?ip=198.19.7.0%2F24');
    expect(bad.status).toBe(400);
    expect(textOf(await bad.text())).toContain('ip: "198.19.7.0/24" is not an IP address');
    expect((await get(app, cookie, '/settings/ip-lists?ip=fe80::1%25eth0')).status).toBe(400);
  });

  it("does not show another tenant's trusted locations in a lookup", async () => {
    const owner = await tenantWith();
    await post(app, owner.cookie, '/settings/trusted-locations', { name: 'Owner office', ranges: '100.64.0.0/24' });
    const other = await tenantWith();
    const text = textOf(await (await get(app, other.cookie, '/settings/ip-lists?ip=100.64.0.5')).text());
    expect(text).toContain('100.64.0.5 is on no list');
  });
});
