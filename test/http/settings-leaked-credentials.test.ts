import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { auditLog, directoryUsers, leakListEntries, type Admin, type Tenant } from '../../src/db/schema.js';
import { UPLOAD_MAX_BYTES } from '../../src/http/upload.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { eventsOf } from '../helpers/ingest.js';
import { get, post } from '../helpers/session.js';
import { DAY, signIn } from '../helpers/sign-ins.js';
import { sessionFor } from './auth-helpers.js';
import { postMultipart, textOf } from './settings-lists-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
const clock = testClock(new Date('2026-11-27T12:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
});
afterAll(() => database.destroy());

async function tenantWith(role: Admin['role'] = 'global_admin', edition: Tenant['edition'] = 'premium_p2') {
  const tenant = await seedTenant(database.db, edition);
  const admin = await seedAdmin(database.db, tenant, role);
  return { tenant, admin, cookie: await sessionFor(database, admin) };
}

const USERS = JSON.stringify({
  value: [
    { id: 'u-alice', userPrincipalName: 'alice@contoso.com', displayName: 'Alice Smith', mail: 'Alice.Smith@contoso.com' },
    { id: 'u-bob', userPrincipalName: 'bob@contoso.com', displayName: 'Bob', mail: null },
  ],
});

async function entriesOf(tenantId: string): Promise<string[]> {
  const found = await database.db.select().from(leakListEntries).where(eq(leakListEntries.tenantId, tenantId)).orderBy(leakListEntries.value);
  return found.map((row) => `${row.value} (${row.source})`);
}

async function leakAudit(tenantId: string) {
  const found = await database.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId))).orderBy(auditLog.id);
  return found.filter((row) => row.action.startsWith('leakList.')).map((row) => [row.action, row.actorLabel, row.targetId, row.after]);
}

describe('uploading a leak list', () => {
  it('from a file judges the known users at once and shows which users matched and the events raised', async () => {
    const { tenant, admin, cookie } = await tenantWith();
    expect((await postMultipart(app, cookie, '/settings/directory', { text: USERS })).status).toBe(303);
    const res = await postMultipart(app, cookie, '/settings/leaked-credentials', {}, { name: 'breach-2026-11.txt', content: '# breach\nALICE.SMITH@contoso.com\nalice@contoso.com\ncarol@contoso.com\n' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/leaked-credentials?done=imported&entries=3&added=3&removed=0&riskDetections=2');
    expect(await entriesOf(tenant.id)).toEqual(['alice.smith@contoso.com (breach-2026-11.txt)', 'alice@contoso.com (breach-2026-11.txt)', 'carol@contoso.com (breach-2026-11.txt)']);
    expect((await eventsOf(database.db, tenant.id)).map((event) => [event.riskEventType, event.userId])).toEqual([
      ['leakedCredentials', 'u-alice'],
      ['leakedCredentials', 'u-alice'],
    ]);
    const [alice] = await database.db.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenant.id), eq(directoryUsers.id, 'u-alice')));
    expect([alice.riskLevel, alice.riskState]).toEqual(['high', 'atRisk']);
    expect(await leakAudit(tenant.id)).toEqual([['leakList.import', admin.email, 'breach-2026-11.txt', { added: 3, removed: 0, replace: false }]]);

    const page = await (await get(app, cookie, res.headers.get('location')!)).text();
    const text = textOf(page);
    expect(text).toContain('Leak list uploaded: 3 entries read, 3 added, 0 removed, 2 leaked credentials events raised.');
    expect(text).toMatch(/Entries 3 Users matched 1 Events raised 2 Still active 2/);
    expect(text).toMatch(/alice\.smith@contoso\.com Alice Smith alice@contoso\.com breach-2026-11\.txt/);
    expect(text).toMatch(/carol@contoso\.com No user yet/);
    expect(page).toContain('href="/security/users/u-alice"');
    expect(page).toMatch(/href="\/security\/risk-events\/leakedCredentials\/[^"]+">Active</);
  });

  it('pasted into the box works the same; the next sign-in of a listed user raises the event', async () => {
    const { tenant, cookie } = await tenantWith('security_admin', 'basic');
    const res = await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'dave@contoso.com  # from the paste site\n' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('riskDetections=0');
    expect(await entriesOf(tenant.id)).toEqual(['dave@contoso.com (pasted in the console)']);
    const first = signIn({ atMs: clock.now().getTime() - DAY, userId: 'u-dave', userPrincipalName: 'Dave@Contoso.com' });
    expect(await ingestSignIns(database.db, tenant, [first])).toMatchObject({ riskDetections: 1 });
    expect((await eventsOf(database.db, tenant.id)).map((event) => [event.riskEventType, event.userId])).toEqual([['leakedCredentials', 'u-dave']]);
    // A basic tenant has no risk event blades: the user links to their sign-ins.
    const page = await (await get(app, cookie, '/settings/leaked-credentials')).text();
    expect(page).toContain('href="/security/sign-ins?userId=u-dave"');
  });

  it('with replace makes the list exactly the new entries', async () => {
    const { tenant, cookie } = await tenantWith();
    await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'a@contoso.com\nb@contoso.com' });
    const res = await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'c@contoso.com', replace: 'true' });
    expect(res.headers.get('location')).toBe('/settings/leaked-credentials?done=imported&entries=1&added=1&removed=2&riskDetections=0');
    expect(await entriesOf(tenant.id)).toEqual(['c@contoso.com (pasted in the console)']);
  });

  it('refuses bad input with 400 naming the problem, and saves nothing', async () => {
    const { tenant, cookie } = await tenantWith();
    const badLine = await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'ok@contoso.com\nnot an address\n' });
    expect(badLine.status).toBe(400);
    expect(textOf(await badLine.text())).toContain('line 2: not a user principal name or mail address: "not an address"');
    const both = await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'x@contoso.com' }, { name: 'l.txt', content: 'y@contoso.com' });
    expect(both.status).toBe(400);
    expect(textOf(await both.text())).toContain('choose a file or paste the text, not both');
    const nothing = await postMultipart(app, cookie, '/settings/leaked-credentials', { text: '' });
    expect(nothing.status).toBe(400);
    const comments = await postMultipart(app, cookie, '/settings/leaked-credentials', { text: '# nothing here\n' });
    expect(comments.status).toBe(400);
    expect(textOf(await comments.text())).toContain('the list has no entries');
    const urlEncoded = await post(app, cookie, '/settings/leaked-credentials', { text: 'z@contoso.com' });
    expect(urlEncoded.status).toBe(303);
    expect(await entriesOf(tenant.id)).toEqual(['z@contoso.com (pasted in the console)']);
  });

  it(`answers 413 to an upload over the cap, before anything is written`, async () => {
    const { tenant, cookie } = await tenantWith();
    const line = 'someone@contoso.com\n';
    const content = line.repeat(Math.ceil((UPLOAD_MAX_BYTES + 1) / line.length));
    const res = await postMultipart(app, cookie, '/settings/leaked-credentials', {}, { name: 'huge.txt', content });
    expect(res.status).toBe(413);
    expect(textOf(await res.text())).toContain('The upload is over 10 MB');
    expect(await entriesOf(tenant.id)).toEqual([]);
  });
});

describe('the leak list page', () => {
  it('shows a security reader the counts, not the addresses, and refuses their changes with 403', async () => {
    const { tenant, cookie } = await tenantWith();
    await postMultipart(app, cookie, '/settings/directory', { text: USERS });
    await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'alice@contoso.com\nsecret.person@contoso.com' });
    const reader = await sessionFor(database, await seedAdmin(database.db, tenant, 'security_reader'));
    const res = await get(app, reader, '/settings/leaked-credentials');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(textOf(page)).toMatch(/Entries 2 Users matched 1 Events raised 1 Still active 1/);
    expect(page).not.toContain('secret.person@contoso.com');
    expect(page).not.toContain('alice@contoso.com');
    expect(page).not.toContain('type="file"');
    expect((await postMultipart(app, reader, '/settings/leaked-credentials', { text: 'x@contoso.com' })).status).toBe(403);
    expect((await post(app, reader, '/settings/leaked-credentials/remove', { entry: 'alice@contoso.com' })).status).toBe(403);
    expect(await entriesOf(tenant.id)).toHaveLength(2);
  });

  it('pages through many entries with a cursor', async () => {
    const { cookie } = await tenantWith();
    const entries = Array.from({ length: 150 }, (_, i) => `user${String(i).padStart(3, '0')}@contoso.com`);
    await postMultipart(app, cookie, '/settings/leaked-credentials', { text: entries.join('\n') });
    const first = await (await get(app, cookie, '/settings/leaked-credentials')).text();
    expect(first).toContain('user099@contoso.com');
    expect(first).not.toContain('user100@contoso.com');
    const next = /href="(\/settings\/leaked-credentials\?cursor=[^"#]+)#entries"/.exec(first)![1];
    const second = await (await get(app, cookie, next.replace(/&amp;/g, '&'))).text();
    expect(second).toContain('user100@contoso.com');
    expect(second).toContain('user149@contoso.com');
    expect(second).not.toContain('user099@contoso.com');
    expect(second).not.toContain('Next entries');
  });
});

describe('removing leak entries', () => {
  it('deletes the chosen entries with an audit entry each, and keeps the events they raised', async () => {
    const { tenant, admin, cookie } = await tenantWith();
    await postMultipart(app, cookie, '/settings/directory', { text: USERS });
    await postMultipart(app, cookie, '/settings/leaked-credentials', { text: 'alice@contoso.com\nbob@contoso.com\ncarol@contoso.com' });
    const res = await post(app, cookie, '/settings/leaked-credentials/remove', { entry: ['alice@contoso.com', 'carol@contoso.com'] });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings/leaked-credentials?done=removed&removed=2');
    expect(await entriesOf(tenant.id)).toEqual(['bob@contoso.com (pasted in the console)']);
    expect((await leakAudit(tenant.id)).slice(1)).toEqual([
      ['leakList.remove', admin.email, 'alice@contoso.com', null],
      ['leakList.remove', admin.email, 'carol@contoso.com', null],
    ]);
    expect((await eventsOf(database.db, tenant.id)).map((event) => event.userId)).toEqual(['u-alice', 'u-bob']);
    expect(textOf(await (await get(app, cookie, '/settings/leaked-credentials?done=removed&removed=2')).text())).toContain('2 entries removed.');
    expect((await post(app, cookie, '/settings/leaked-credentials/remove', {})).status).toBe(400);
  });

  it("of another tenant answers 404 and leaves them alone", async () => {
    const owner = await tenantWith();
    await postMultipart(app, owner.cookie, '/settings/leaked-credentials', { text: 'private@contoso.com' });
    const other = await tenantWith();
    const res = await post(app, other.cookie, '/settings/leaked-credentials/remove', { entry: 'private@contoso.com' });
    expect(res.status).toBe(404);
    expect(textOf(await res.text())).toContain('There is no such leak list entry.');
    expect(await entriesOf(owner.tenant.id)).toEqual(['private@contoso.com (pasted in the console)']);
    expect(await (await get(app, other.cookie, '/settings/leaked-credentials')).text()).not.toContain('private@contoso.com');
  });
});
