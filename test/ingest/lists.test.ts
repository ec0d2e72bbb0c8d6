import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/actions/audit-record.js';
import { rows } from '../../src/db/client.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { importIpList, importTrustedLocation } from '../../src/lists/ip-lists.js';
import { importLeakedCredentials } from '../../src/lists/leaked.js';
import { parseIpList, parseLeakList } from '../../src/lists/parse-list.js';
import { importDirectoryUsers } from '../../src/lists/users.js';
import { createTestDatabase } from '../helpers/db.js';
import { eventsOf, freshTenant } from '../helpers/ingest.js';
import { DAY, HOUR, PLACES, signIn, T0 } from '../helpers/sign-ins.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

async function entriesOf(name: string): Promise<string[]> {
  const found = await rows<{ cidr: string }>(
    database.db,
    sql`select e.cidr::text as cidr from ip_list_entries e join ip_lists l on l.id = e.list_id where l.name = ${name} order by e.cidr`,
  );
  return found.map((row) => row.cidr);
}

describe('list files', () => {
  it('ignore blank lines and # comments, and name the line of a bad entry', () => {
    expect(parseIpList('# Tor exits\n\n203.0.113.0/26\n  198.51.100.7  # a host\n2001:db8::/32\n')).toEqual(['203.0.113.0/26', '198.51.100.7', '2001:db8::/32']);
    expect(() => parseIpList('10.0.0.1\n10.0.0.300\n')).toThrow(/line 2/);
    expect(() => parseIpList('10.0.0.0/33\n')).toThrow(/line 1/);
    expect(parseLeakList('# breach\nAlice@Contoso.com\n\n')).toEqual(['alice@contoso.com']);
  });
});

describe('anonymous and malware lists', () => {
  it('append idempotently, or replace with --replace', async () => {
    expect(await importIpList(database.db, { kind: 'malware', name: 'botnet', entries: ['198.51.100.64/28', '192.0.2.1'] })).toMatchObject({ added: 2, removed: 0 });
    expect(await importIpList(database.db, { kind: 'malware', name: 'botnet', entries: ['198.51.100.64/28'] })).toMatchObject({ added: 0 });
    expect(await entriesOf('botnet')).toEqual(['192.0.2.1/32', '198.51.100.64/28']);
    expect(await importIpList(database.db, { kind: 'malware', name: 'botnet', entries: ['198.51.100.64/28'], replace: true })).toMatchObject({ added: 1, removed: 2 });
    expect(await entriesOf('botnet')).toEqual(['198.51.100.64/28']);
  });

  it('apply to sign-ins ingested after the import, with the list and entry as evidence', async () => {
    const tenant = await freshTenant(database.db);
    const before = signIn({ atMs: T0, ipAddress: '198.18.0.9' });
    await ingestSignIns(database.db, tenant, [before]);
    await importIpList(database.db, { kind: 'anonymous', name: 'vpn-exits', entries: ['198.18.0.0/24'] });
    const after = signIn({ atMs: T0 + HOUR, ipAddress: '198.18.0.9' });
    await ingestSignIns(database.db, tenant, [after]);
    const events = await eventsOf(database.db, tenant.id);
    expect(events).toEqual([
      { riskEventType: 'anonymizedIPAddress', requestId: after.id, userId: 'u-alice', evidence: [{ key: 'list', value: 'anonymous: vpn-exits' }, { key: 'matchedEntry', value: '198.18.0.0/24' }] },
    ]);
  });
});

describe('trusted locations', () => {
  it('belong to one tenant and exempt its sign-ins from travel, unfamiliar and suspicious-IP rules', async () => {
    const trusting = await freshTenant(database.db);
    const other = await freshTenant(database.db);
    expect(await importTrustedLocation(database.db, trusting, { name: 'Corporate VPN', entries: ['198.51.100.32/28'] }, OPERATOR)).toMatchObject({ added: 1 });
    expect(await importTrustedLocation(database.db, trusting, { name: 'Corporate VPN', entries: ['198.51.100.32/28'] }, OPERATOR)).toMatchObject({ added: 0 });
    const stream = () => [signIn({ atMs: T0, place: PLACES.seattle }), signIn({ atMs: T0 + HOUR, place: PLACES.london, ipAddress: '198.51.100.40' })];
    await ingestSignIns(database.db, trusting, stream());
    await ingestSignIns(database.db, other, stream());
    expect(await eventsOf(database.db, trusting.id)).toEqual([]);
    expect((await eventsOf(database.db, other.id)).map((event) => event.riskEventType)).toEqual(['unlikelyTravel']);
  });
});

describe('leak lists', () => {
  it('judge existing users at import, once per user per entry, and keep unmatched entries for users who appear later', async () => {
    const tenant = await freshTenant(database.db);
    await importDirectoryUsers(
      database.db,
      tenant,
      [
        { id: 'u-alice', userPrincipalName: 'alice@contoso.com', displayName: 'Alice', mail: 'Alice.Smith@Contoso.com' },
        { id: 'u-bob', userPrincipalName: 'bob@contoso.com', displayName: 'Bob', mail: null },
      ],
      OPERATOR,
    );
    const first = await importLeakedCredentials(database.db, tenant, { entries: ['alice.smith@contoso.com', 'ALICE@contoso.com', 'carol@contoso.com'], source: 'breach.txt' }, OPERATOR);
    expect(first).toMatchObject({ entries: 3, added: 3, riskDetections: 2 });
    expect(await importLeakedCredentials(database.db, tenant, { entries: ['alice@contoso.com'] }, OPERATOR)).toMatchObject({ added: 0, riskDetections: 0 });

    const carol = signIn({ atMs: T0 + DAY, userId: 'u-carol', userPrincipalName: 'Carol@Contoso.com' });
    expect(await ingestSignIns(database.db, tenant, [carol])).toMatchObject({ riskDetections: 1 });
    expect(await ingestSignIns(database.db, tenant, [signIn({ atMs: T0 + 2 * DAY, userId: 'u-carol', userPrincipalName: 'carol@contoso.com' })])).toMatchObject({ riskDetections: 0 });

    const events = await eventsOf(database.db, tenant.id);
    expect(events.map((event) => [event.riskEventType, event.userId, event.requestId])).toEqual([
      ['leakedCredentials', 'u-alice', null],
      ['leakedCredentials', 'u-alice', null],
      ['leakedCredentials', 'u-carol', null],
    ]);
    const users = await rows<{ id: string; risk_level: string; risk_state: string; active_event_count: number }>(
      database.db,
      sql`select id, risk_level, risk_state, active_event_count from directory_users where tenant_id = ${tenant.id}::uuid order by id`,
    );
    expect(users).toEqual([
      { id: 'u-alice', risk_level: 'high', risk_state: 'atRisk', active_event_count: 2 },
      { id: 'u-bob', risk_level: 'none', risk_state: 'none', active_event_count: 0 },
      { id: 'u-carol', risk_level: 'high', risk_state: 'atRisk', active_event_count: 1 },
    ]);
  });

  it('judge users created by a directory import against entries imported before', async () => {
    const tenant = await freshTenant(database.db);
    await importLeakedCredentials(database.db, tenant, { entries: ['dave.jones@contoso.com'] }, OPERATOR);
    const result = await importDirectoryUsers(database.db, tenant, [{ id: 'u-dave', userPrincipalName: 'dave@contoso.com', displayName: 'Dave', mail: 'Dave.Jones@contoso.com' }], OPERATOR);
    expect(result).toEqual({ received: 1, created: 1, riskDetections: 1 });
    expect(await importDirectoryUsers(database.db, tenant, [{ id: 'u-dave', userPrincipalName: 'dave@contoso.com', displayName: 'Dave J', mail: 'Dave.Jones@contoso.com' }], OPERATOR)).toEqual({
      received: 1,
      created: 0,
      riskDetections: 0,
    });
  });

  it('with --replace drop entries not in the new file', async () => {
    const tenant = await freshTenant(database.db);
    await importLeakedCredentials(database.db, tenant, { entries: ['a@contoso.com', 'b@contoso.com'] }, OPERATOR);
    expect(await importLeakedCredentials(database.db, tenant, { entries: ['b@contoso.com'], replace: true }, OPERATOR)).toMatchObject({ removed: 2, added: 1 });
  });
});
