import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { riskEvents, type Tenant } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditOf, eventsOfSignIn, getSignIn, getUser, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { post, signIn as logIn } from '../helpers/session.js';
import { DAY, HOUR, PLACES, T0, signIn, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from '../http/api-helpers.js';
import { getEvent } from '../http/premium-fixtures.js';

// Two admins acting at the same instant, and the same sign-ins arriving twice at once, through HTTP.
// On PostgreSQL the requests run on separate connections of the pool; on PGlite they interleave on one.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

const ROUNDS = 20;
const USER_STATE = { falsePositive: 'confirmedSafe', ignore: 'dismissed', resolve: 'dismissed' } as const;
const EVENT_STATUS = { falsePositive: 'dismissedAsFalsePositive', ignore: 'dismissedAsIgnore', resolve: 'dismissedAsFixed' } as const;

async function twoAdmins(tenant: Tenant): Promise<[string, string]> {
  const first = await seedAdmin(database.db, tenant, 'security_admin');
  const second = await seedAdmin(database.db, tenant, 'security_admin');
  return [await logIn(app, first.email), await logIn(app, second.email)];
}

describe('two admins giving different feedback on the same risky sign-in at the same instant', () => {
  it(`lets exactly one win, answers the other 409, writes one audit entry and the winner's rollups (${ROUNDS} rounds)`, async () => {
    const tenant = await seedTenant(database.db, 'free');
    const cookies = await twoAdmins(tenant);
    const actions = ['falsePositive', 'ignore'] as const;
    for (let round = 0; round < ROUNDS; round++) {
      const id = `race-${round}`;
      const userId = `race-user-${round}`;
      const row = await seedRiskySignIn(database.db, tenant.id, { id, userId, events: [{ level: 'high' }] });
      const userBefore = await getUser(database.db, tenant.id, userId);
      const answers = await Promise.all(
        actions.map((action, i) => post(app, cookies[i], `/security/risky-sign-ins/${id}/feedback`, { action, version: String(row.version) })),
      );
      const statuses = answers.map((res) => res.status);
      expect(statuses.slice().sort(), `round ${round}: ${statuses}`).toEqual([303, 409]);
      const winner = actions[statuses.indexOf(303)];
      const loser = answers[statuses.indexOf(409)];
      expect(await loser.text()).toContain('Nothing was changed');

      const [event] = await eventsOfSignIn(database.db, tenant.id, id);
      expect(event).toMatchObject({ status: EVENT_STATUS[winner], version: 2 });
      expect(await getSignIn(database.db, tenant.id, id)).toMatchObject({ riskStatus: EVENT_STATUS[winner], version: row.version + 1 });
      expect(await getUser(database.db, tenant.id, userId)).toMatchObject({
        riskState: USER_STATE[winner],
        riskLevel: 'none',
        activeEventCount: 0,
        version: userBefore.version + 1,
      });
      const audit = await auditOf(database.db, tenant.id, event.id);
      expect(audit.map((entry) => entry.action)).toEqual([`riskEvent.${winner}`]);
      expect((await auditOf(database.db, tenant.id, userId)).map((entry) => entry.action)).toEqual(['user.riskChanged']);
    }
  }, 120_000);
});

describe('two admins setting the status of the same risk event (premium blade) at the same instant', () => {
  it(`lets exactly one status win, answers the other 409, writes one audit entry and rolls up the winner (${ROUNDS} rounds)`, async () => {
    const tenant = await seedTenant(database.db, 'premium_p1');
    const cookies = await twoAdmins(tenant);
    const actions = ['resolve', 'falsePositive'] as const;
    for (let round = 0; round < ROUNDS; round++) {
      const id = `event-race-${round}`;
      const userId = `event-race-user-${round}`;
      await seedRiskySignIn(database.db, tenant.id, { id, userId, events: [{ type: 'unfamiliarFeatures' }] }, new Date(Date.now() - DAY));
      const event = await getEvent(database.db, tenant.id, `${id}-e1`);
      const answers = await Promise.all(
        actions.map((action, i) => post(app, cookies[i], `/security/risk-events/unfamiliarFeatures/${event.id}/status`, { action, version: String(event.version) })),
      );
      const statuses = answers.map((res) => res.status);
      expect(statuses.slice().sort(), `round ${round}: ${statuses}`).toEqual([303, 409]);
      const winner = actions[statuses.indexOf(303)];

      expect(await getEvent(database.db, tenant.id, event.id)).toMatchObject({ status: EVENT_STATUS[winner], version: event.version + 1 });
      expect((await getSignIn(database.db, tenant.id, id)).riskStatus).toBe(EVENT_STATUS[winner]);
      expect(await getUser(database.db, tenant.id, userId)).toMatchObject({ riskState: USER_STATE[winner], riskLevel: 'none', activeEventCount: 0 });
      expect((await auditOf(database.db, tenant.id, event.id)).map((entry) => entry.action)).toEqual([`riskEvent.${winner}`]);
    }
  }, 120_000);
});

/**
 * Sign-ins of several users that detection flags: weeks at home, then far away an hour later, from
 * new browsers and addresses. Ids are fixed, so each tenant gets the same sign-ins.
 */
function riskyLog(): Record<string, unknown>[] {
  const records = [];
  const users = ['ana', 'ben', 'cho', 'dev', 'eli', 'fay'];
  for (const [u, name] of users.entries()) {
    const who = { userId: `u-${name}`, userPrincipalName: `${name}@contoso.com`, userDisplayName: name };
    for (let day = 0; day < 10; day++) {
      records.push(signIn({ ...who, id: `${name}-home-${day}`, atMs: T0 + day * DAY + u * HOUR, ipAddress: `10.0.${u}.1` }));
    }
    const last = T0 + 9 * DAY + u * HOUR;
    records.push(signIn({ ...who, id: `${name}-away-1`, atMs: last + HOUR, place: PLACES.tokyo, ipAddress: `198.51.100.${u + 1}`, browser: 'Firefox', operatingSystem: 'Linux' }));
    records.push(signIn({ ...who, id: `${name}-away-2`, atMs: last + 2 * HOUR, place: PLACES.paris, ipAddress: `203.0.113.${u + 1}`, browser: 'Safari', operatingSystem: 'macOS', errorCode: 50126, failureReason: 'Invalid username or password.' }));
  }
  return records.map(toGraph);
}

/** What ingestion left in the tenant, without its ids or times of storage. */
async function outcome(tenantId: string) {
  const signIns = await rows<{ id: string; risk_level: string | null; types: string | null }>(
    database.db,
    sql`select id, risk_level, array_to_string(risk_event_types, ',') as types from sign_ins where tenant_id = ${tenantId} order by id`,
  );
  const events = await database.db
    .select({ requestId: riskEvents.requestId, type: riskEvents.riskEventType, level: riskEvents.riskLevel, status: riskEvents.status, userId: riskEvents.userId })
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId)))
    .orderBy(riskEvents.requestId, riskEvents.riskEventType);
  const users = await rows<{ id: string; risk_level: string; risk_state: string; active_event_count: number }>(
    database.db,
    sql`select id, risk_level, risk_state, active_event_count from directory_users where tenant_id = ${tenantId} order by id`,
  );
  return { signIns, events, users };
}

function shuffled<T>(items: T[], seed: number): T[] {
  const copy = items.slice();
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('overlapping batches ingested in parallel', () => {
  it('store each sign-in once and give the same risk events, sign-in risk and user risk as ingesting them serially', async () => {
    const log = riskyLog();
    const serialTenant = await seedTenant(database.db, 'premium_p2');
    const serialKey = await keyFor(database.db, serialTenant);
    for (const batch of [log, shuffled(log, 7), shuffled(log, 11)]) {
      const res = await apiPost(app, serialKey, '/api/v1/sign-ins', batch);
      expect(res.status).toBe(200);
    }
    const serial = await outcome(serialTenant.id);
    expect(serial.signIns).toHaveLength(log.length);
    expect(serial.events.length, 'the log is risky enough to judge').toBeGreaterThan(0);

    for (let round = 0; round < 5; round++) {
      const tenant = await seedTenant(database.db, 'premium_p2');
      const key = await keyFor(database.db, tenant);
      // Three batches at once, each with all the sign-ins in its own order.
      const answers = await Promise.all([log, shuffled(log, round + 1), shuffled(log, round + 100)].map((batch) => apiPost(app, key, '/api/v1/sign-ins', batch)));
      expect(answers.map((res) => res.status), `round ${round}`).toEqual([200, 200, 200]);
      const parallel = await outcome(tenant.id);
      expect(parallel.signIns, `round ${round}: sign-ins`).toEqual(serial.signIns);
      expect(parallel.events, `round ${round}: risk events`).toEqual(serial.events);
      expect(parallel.users, `round ${round}: users`).toEqual(serial.users);
    }
  }, 120_000);

  it('store partly overlapping batches sent at once exactly as the same batches sent one after the other', async () => {
    const log = riskyLog();
    // Each batch holds whole users' histories, so the order the batches commit in cannot change a verdict.
    const byUser = (names: string[]) => log.filter((record) => names.some((name) => String(record.id).startsWith(`${name}-`)));
    const batches = [byUser(['ana', 'ben', 'cho']), byUser(['cho', 'dev', 'eli']), byUser(['eli', 'fay', 'ana'])];
    const serialTenant = await seedTenant(database.db, 'premium_p2');
    const serialKey = await keyFor(database.db, serialTenant);
    for (const batch of batches) expect((await apiPost(app, serialKey, '/api/v1/sign-ins', batch)).status).toBe(200);
    const serial = await outcome(serialTenant.id);
    expect(serial.signIns).toHaveLength(log.length);

    for (let round = 0; round < 5; round++) {
      const tenant = await seedTenant(database.db, 'premium_p2');
      const key = await keyFor(database.db, tenant);
      const answers = await Promise.all(batches.map((batch) => apiPost(app, key, '/api/v1/sign-ins', batch)));
      const bodies = await Promise.all(answers.map((res) => res.json() as Promise<unknown>));
      expect(answers.map((res) => res.status), `round ${round}: ${JSON.stringify(bodies)}`).toEqual([200, 200, 200]);
      expect(await outcome(tenant.id), `round ${round}`).toEqual(serial);
    }
  }, 120_000);
});
