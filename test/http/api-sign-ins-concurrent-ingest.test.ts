import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import type { SignInRecord } from '../../src/ingest/types.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { eventsOf } from '../helpers/ingest.js';
import { MINUTE, PLACES, T0, signIn, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from './api-helpers.js';

// Batches as the benchmark sends them (bench/run.ts): a time-ordered stream cut into batches, posted
// by 4 clients at once, so batches in flight together carry different users and IPs. Whatever order
// the server takes them in, the outcome must be the outcome of posting them one after another.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
beforeAll(async () => {
  database = await createTestDatabase({ connections: 4 });
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

const USERS = 50;
const BATCH = 10;
const BATCHES = 30;
const CLIENTS = 4;
const FAR = [PLACES.tokyo, PLACES.london, PLACES.paris];

/** Batch k holds users (k * BATCH .. k * BATCH + 9) % USERS; a batch's own IP sees a password spray. */
function stream(): SignInRecord[][] {
  return Array.from({ length: BATCHES }, (_, k) =>
    Array.from({ length: BATCH }, (_, j) => {
      const i = k * BATCH + j;
      const user = i % USERS;
      const round = Math.floor(i / USERS);
      const spray = j < 5 && k % 3 === 0;
      const sprayed = j === 5 && k % 3 === 0;
      return signIn({
        id: `c${String(i).padStart(5, '0')}`,
        atMs: T0 + i * MINUTE,
        userId: `u${user}`,
        userPrincipalName: `user${user}@concurrent.example`,
        userDisplayName: `User ${user}`,
        ipAddress: spray || sprayed ? `198.51.100.${k}` : `10.1.${user}.${round % 3}`,
        errorCode: spray ? 50126 : 0,
        place: round > 2 && (user + round) % 4 === 0 ? FAR[(user + round) % 3] : PLACES.seattle,
      });
    }),
  );
}

async function postAll(key: string, batches: SignInRecord[][], clients: number) {
  const answers: { inserted: number; duplicates: number; received: number; riskDetections: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const res = await apiPost(app, key, '/api/v1/sign-ins', batch.map(toGraph));
        expect(res.status).toBe(200);
        answers.push((await res.json()) as never);
      }
    }),
  );
  return answers;
}

async function outcome(tenant: Tenant) {
  const users = await rows(
    database.db,
    sql`select id, risk_level, risk_state, risk_detail, active_event_count, clean_count, last_clean_sign_in_id, first_clean_at, last_clean_at
        from directory_users where tenant_id = ${tenant.id}::uuid order by id collate "C"`,
  );
  const places = await rows(
    database.db,
    sql`select user_id, country_or_region, city, first_seen_at, last_seen_at, source from familiar_locations
        where tenant_id = ${tenant.id}::uuid order by user_id collate "C", country_or_region collate "C", city collate "C"`,
  );
  const signIns = await rows(
    database.db,
    sql`select id, clean, risk_level, risk_event_types, risk_status from sign_ins where tenant_id = ${tenant.id}::uuid order by id collate "C"`,
  );
  return { events: await eventsOf(database.db, tenant.id), users, places, signIns };
}

describe('POST /api/v1/sign-ins from concurrent clients', () => {
  it('gives the same sign-ins, risk events, profiles and user risk as the same batches posted one at a time', async () => {
    const batches = stream();
    const serial = await seedTenant(database.db);
    const concurrent = await seedTenant(database.db);
    const serialAnswers = await postAll(await keyFor(database.db, serial), batches, 1);
    const concurrentAnswers = await postAll(await keyFor(database.db, concurrent), batches, CLIENTS);

    const expected = await outcome(serial);
    expect(expected.events.length).toBeGreaterThan(BATCHES / 3);
    expect(new Set(expected.events.map((event) => event.riskEventType))).toEqual(new Set(['suspiciousIPAddress', 'unlikelyTravel']));
    expect(await outcome(concurrent)).toEqual(expected);

    const total = (answers: typeof serialAnswers, key: 'inserted' | 'duplicates' | 'received' | 'riskDetections') => answers.reduce((sum, answer) => sum + answer[key], 0);
    for (const key of ['inserted', 'duplicates', 'received', 'riskDetections'] as const) expect(total(concurrentAnswers, key)).toBe(total(serialAnswers, key));
    expect(total(concurrentAnswers, 'riskDetections')).toBe(expected.events.length);
    for (const answer of concurrentAnswers) expect(answer).toMatchObject({ received: BATCH, inserted: BATCH, duplicates: 0 });
  });
});
