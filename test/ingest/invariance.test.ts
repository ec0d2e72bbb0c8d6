import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/actions/audit-record.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import type { SignInRecord } from '../../src/ingest/types.js';
import { importIpList, importTrustedLocation } from '../../src/lists/ip-lists.js';
import { createTestDatabase } from '../helpers/db.js';
import { eventsOf, freshTenant } from '../helpers/ingest.js';
import { HOUR, PLACES, signIn, T0 } from '../helpers/sign-ins.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
  await importIpList(database.db, { kind: 'anonymous', name: 'invariance', entries: ['203.0.113.0/28'] });
});
afterAll(() => database.destroy());

const places = [PLACES.seattle, PLACES.redmond, PLACES.portland, PLACES.london, PLACES.tokyo, { city: 'Nowhere', state: null, countryOrRegion: 'NZ', latitude: null, longitude: null }];
const ips = ['10.0.0.1', '203.0.113.5', '192.0.2.1', '192.0.2.1', '198.51.100.33'];
const users = ['u0', 'u1', 'u2', 'u3'];

const recordArbitrary = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/),
  halfHour: fc.integer({ min: 0, max: 2 * 24 * 2 }),
  user: fc.integer({ min: 0, max: users.length - 1 }),
  place: fc.integer({ min: 0, max: places.length - 1 }),
  ip: fc.integer({ min: 0, max: ips.length - 1 }),
  failed: fc.boolean(),
});

type Draft = typeof recordArbitrary extends fc.Arbitrary<infer T> ? T : never;

function streamOf(drafts: Draft[]): SignInRecord[] {
  const unique = [...new Map(drafts.map((draft) => [draft.id, draft])).values()];
  return unique
    .map((draft) =>
      signIn({
        id: draft.id,
        atMs: T0 + (draft.halfHour * HOUR) / 2,
        userId: users[draft.user],
        userPrincipalName: `${users[draft.user]}@contoso.com`,
        place: places[draft.place],
        ipAddress: ips[draft.ip],
        errorCode: draft.failed ? 50126 : 0,
      }),
    )
    .sort((a, b) => a.createdDateTime.getTime() - b.createdDateTime.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function tenantWithLists(): Promise<Tenant> {
  const tenant = await freshTenant(database.db);
  const settings = { learningDays: 1, learningMinSignIns: 2, sprayMinDistinctUpns: 2 };
  await database.db.execute(sql`update tenants set detection_settings = ${JSON.stringify(settings)}::jsonb where id = ${tenant.id}::uuid`);
  await importTrustedLocation(database.db, tenant, { name: 'VPN', entries: ['198.51.100.32/28'] }, OPERATOR);
  return { ...tenant, detectionSettings: settings };
}

async function stateOf(tenantId: string) {
  return {
    events: await eventsOf(database.db, tenantId),
    signIns: await rows(database.db, sql`select id, risk_level, risk_event_types, clean from sign_ins where tenant_id = ${tenantId}::uuid order by id collate "C"`),
    users: await rows(
      database.db,
      sql`select id, risk_level, risk_state, active_event_count, clean_count, last_clean_sign_in_id, first_clean_at
          from directory_users where tenant_id = ${tenantId}::uuid order by id`,
    ),
    familiar: await rows(
      database.db,
      sql`select user_id, country_or_region, city, latitude, longitude, first_seen_at, last_seen_at from familiar_locations
          where tenant_id = ${tenantId}::uuid order by 1, 2, 3`,
    ),
  };
}

describe('batch-split invariance', () => {
  it('gives the same risk events, profiles and rollups for a time-ordered stream however it is split into batches', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(recordArbitrary, { minLength: 25, maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 59 }), { maxLength: 5 }), async (drafts, cuts) => {
        const stream = streamOf(drafts);
        const whole = await tenantWithLists();
        const split = await tenantWithLists();
        await ingestSignIns(database.db, whole, stream);
        const bounds = [0, ...[...new Set(cuts)].filter((cut) => cut < stream.length).sort((a, b) => a - b), stream.length];
        for (let i = 0; i + 1 < bounds.length; i++) await ingestSignIns(database.db, split, stream.slice(bounds[i], bounds[i + 1]));
        const expected = await stateOf(whole.id);
        expect(await stateOf(split.id)).toEqual(expected);
        for (const event of expected.events) seen.add(event.riskEventType);
      }),
      // A fixed seed: the runs below are known to raise every rule the stream can trigger, so the
      // coverage check after them cannot fail by chance. FC_SEED explores other streams locally.
      { numRuns: 12, seed: Number(process.env.FC_SEED ?? 20261127) },
    );
    expect([...seen].sort()).toEqual(['anonymizedIPAddress', 'suspiciousIPAddress', 'unfamiliarFeatures', 'unlikelyTravel']);
  }, 300_000);
});
