import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { evaluateSignIn, type Evaluation } from '../../src/actions/api-evaluate.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { evaluationLocks, tenantKey } from '../../src/ingest/locks.js';
import type { SignInRecord } from '../../src/ingest/types.js';
import { createTestDatabase } from '../helpers/db.js';
import { freshTenant } from '../helpers/ingest.js';
import { MINUTE, PLACES, signIn, T0 } from '../helpers/sign-ins.js';

// Who waits for whom (src/ingest/locks.ts), shown on PostgreSQL by holding a lock in a transaction
// of its own and watching pg_locks: PGlite has one connection, so nothing there runs side by side.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase({ connections: 6 });
});
afterAll(() => database.destroy());

const NOW = new Date(T0 + 86_400_000);
const of = (user: string, overrides: Partial<SignInRecord> & { place?: (typeof PLACES)[keyof typeof PLACES]; atMs?: number } = {}) =>
  signIn({ userId: user, userPrincipalName: `${user}@contoso.com`, userDisplayName: user, ...overrides });

/** Takes advisory locks in a transaction of its own and keeps them until the returned release() is called. */
async function holding(locks: { key: string; shared: boolean }[]): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const taken = new Promise<void>((resolve) => (held = resolve));
  const done = database.db.transaction(async (tx) => {
    for (const { key, shared } of locks) {
      await tx.execute(shared ? sql`select pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))` : sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    }
    held();
    await released;
  });
  await taken;
  return async () => {
    release();
    await done;
  };
}

/** Resolves once `count` advisory lock requests of this database wait (are not granted). */
async function untilWaiting(count: number): Promise<void> {
  for (;;) {
    const [{ n }] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
    );
    if (n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise with a flag saying whether it has settled yet. */
function watched<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const tracked = promise.finally(() => (settled = true));
  return { promise: tracked, settled: () => settled };
}

const evaluate = (tenant: Tenant, record: SignInRecord): Promise<Evaluation> => evaluateSignIn(database.db, tenant, record, SYSTEM, NOW);
/** What an evaluation of this sign-in holds while it runs: the tenant's lock shared, its user's and its IP's. */
const locksOf = (tenant: Tenant, record: SignInRecord) => [{ key: tenantKey(tenant.id), shared: true }, ...evaluationLocks(tenant.id, record)];
const userLock = (tenant: Tenant, user: string) => evaluationLocks(tenant.id, { userId: user, ipAddress: null, errorCode: 0 });
const ipLock = (tenant: Tenant, ip: string, shared: boolean) => [{ key: `${tenantKey(tenant.id)}:ip:${ip}`, shared }];

describe.skipIf(!process.env.DATABASE_URL)('evaluation locks on PostgreSQL', () => {
  it("answers an evaluation of one user while another user's evaluation holds its lock, and makes one of that user wait", async () => {
    const tenant = await freshTenant(database.db);
    const release = await holding(locksOf(tenant, of('bob', { ipAddress: '10.0.0.2' })));
    const alice = await evaluate(tenant, of('alice', { ipAddress: '10.0.0.1' }));
    expect(alice.riskLevel).toBe('none');

    const bob = watched(evaluate(tenant, of('bob', { ipAddress: '10.0.0.2' })));
    await untilWaiting(1);
    expect(bob.settled()).toBe(false);
    await release();
    expect((await bob.promise).signIn.id).toMatch(/^s/);
  });

  it("serialises two evaluations of the same user: the second is judged against what the first taught", async () => {
    const tenant = await freshTenant(database.db);
    const release = await holding(userLock(tenant, 'carol'));
    const seattle = watched(evaluate(tenant, of('carol', { atMs: T0, place: PLACES.seattle, ipAddress: '10.0.0.3' })));
    await untilWaiting(1);
    // Queued behind the first: PostgreSQL grants a lock to its waiters in turn.
    const tokyo = watched(evaluate(tenant, of('carol', { atMs: T0 + MINUTE, place: PLACES.tokyo, ipAddress: '10.0.0.4' })));
    await untilWaiting(2);
    expect(seattle.settled() || tokyo.settled()).toBe(false);
    await release();
    expect((await seattle.promise).riskLevel).toBe('none');
    expect((await tokyo.promise).riskDetections.map((detection) => detection.riskEventType)).toEqual(['unlikelyTravel']);
  });

  it('makes a success from an IP wait while a credential failure from it is being judged, but not while another success is', async () => {
    const tenant = await freshTenant(database.db);
    const failing = await holding(ipLock(tenant, '192.0.2.7', false));
    const success = watched(evaluate(tenant, of('dave', { ipAddress: '192.0.2.7' })));
    await untilWaiting(1);
    expect(success.settled()).toBe(false);
    await failing();
    await success.promise;

    const succeeding = await holding(ipLock(tenant, '192.0.2.8', true));
    expect((await evaluate(tenant, of('erin', { ipAddress: '192.0.2.8' }))).riskLevel).toBe('none');
    const failure = watched(evaluate(tenant, of('frank', { ipAddress: '192.0.2.8', errorCode: 50126 })));
    await untilWaiting(1);
    expect(failure.settled()).toBe(false);
    await succeeding();
    await failure.promise;
  });

  it('makes a batch import wait for an evaluation in flight, and an evaluation wait for a batch', async () => {
    const tenant = await freshTenant(database.db);
    const evaluating = await holding([{ key: tenantKey(tenant.id), shared: true }]);
    expect((await evaluate(tenant, of('gina', { ipAddress: '10.0.0.5' }))).riskLevel).toBe('none');
    const batch = watched(ingestSignIns(database.db, tenant, [of('hank', { ipAddress: '10.0.0.6' })], { now: NOW }));
    await untilWaiting(1);
    expect(batch.settled()).toBe(false);
    await evaluating();
    expect((await batch.promise).inserted).toBe(1);

    const importing = await holding([{ key: tenantKey(tenant.id), shared: false }]);
    const evaluation = watched(evaluate(tenant, of('ivy', { ipAddress: '10.0.0.7' })));
    await untilWaiting(1);
    expect(evaluation.settled()).toBe(false);
    await importing();
    await evaluation.promise;
  });
});
