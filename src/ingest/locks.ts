import { sql, type SQL } from 'drizzle-orm';
import { ActionError } from '../actions/errors.js';
import { rows, send, type Queryable } from '../db/client.js';
import { CREDENTIAL_FAILURE_CODES } from '../detection/catalog.js';
import type { DetectionSignIn } from '../detection/types.js';
import { jsonParam } from './sql.js';

// Ingestion's advisory locks (docs/detection.md, "Concurrent ingestion"), all held until the transaction ends.
// A batch takes the tenant's lock exclusively; an evaluation of one sign-in takes it shared, then
// its user's lock and its IP's lock, so evaluations of other users and IPs never wait for it.

/** The advisory lock keys, hashed by hashtextextended(key, 0); exported for the tests that hold them. */
export const tenantKey = (tenantId: string) => `riskdesk:ingest:${tenantId}`;

type LockedSignIn = Pick<DetectionSignIn, 'userId' | 'ipAddress' | 'errorCode'>;

/** The user's and the IP's locks of an evaluation (below), before they are sorted. */
export function evaluationLocks(tenantId: string, signIn: LockedSignIn): { key: string; shared: boolean }[] {
  const keys = [{ key: `${tenantKey(tenantId)}:user:${signIn.userId}`, shared: false }];
  const failure = CREDENTIAL_FAILURE_CODES.includes(signIn.errorCode);
  if (signIn.ipAddress !== null && (failure || signIn.errorCode === 0)) keys.push({ key: `${tenantKey(tenantId)}:ip:${signIn.ipAddress}`, shared: !failure });
  return keys;
}

/**
 * The tenant's row, locked FOR KEY SHARE until the transaction ends: what a foreign key to tenants
 * checks for each row it writes, once for the batch. sign_ins and sign_in_ids have no foreign key
 * (migration 0012); this keeps a tenant from being deleted under a batch, and stops a batch for a
 * tenant deleted since it was looked up.
 */
const tenantRowLocked = (tenantId: string) => sql`exists (select 1 from tenants where id = ${tenantId}::uuid for key share) as tenant`;

/** The tenant's lock may be waited on for a whole batch: that wait is not a slow query and gets its own, longer bound. */
async function withLockTimeout(db: Queryable, lock: SQL): Promise<void> {
  // Sent at once, together: PostgreSQL runs them in this order, and before what the caller sends next.
  const [, locked] = await Promise.all([
    send(db.execute(sql`set local statement_timeout = '120s'`)),
    rows<{ tenant: boolean }>(db, lock),
    send(db.execute(sql`set local statement_timeout to default`)),
  ]);
  if (!locked[0]?.tenant) throw new ActionError(404, 'the tenant no longer exists');
}

/** Takes the tenant's ingestion lock exclusively, so batches of one tenant never interleave with any other ingestion of it. */
export async function lockTenantForIngestion(db: Queryable, tenantId: string): Promise<void> {
  await withLockTimeout(db, sql`select pg_advisory_xact_lock(hashtextextended(${tenantKey(tenantId)}, 0)), ${tenantRowLocked(tenantId)}`);
}

/**
 * The locks of one sign-in's evaluation: what the detector reads and writes for it belongs to its
 * user (profile, familiar places, history, directory row, rollups) or to its IP (credential failures).
 * The user's lock is exclusive. The IP's is exclusive for a credential failure (it adds to what a
 * success from that IP counts) and shared for a success (successes from one IP do not affect each
 * other). They are taken in the order of their keys, the same in every transaction, so two
 * evaluations cannot deadlock; the tenant's comes first, shared, so a batch waits for every
 * evaluation and every evaluation for a batch.
 */
export async function lockForEvaluation(db: Queryable, tenantId: string, signIn: LockedSignIn): Promise<void> {
  // The tenant's first (a batch waiting for it must not wait for an evaluation that waits for it), then by key.
  const keys = [{ key: tenantKey(tenantId), shared: true, first: true }, ...evaluationLocks(tenantId, signIn).map((lock) => ({ ...lock, first: false }))];
  await withLockTimeout(
    db,
    sql`select count(l.done), ${tenantRowLocked(tenantId)} from (
          select (case when x.shared then pg_advisory_xact_lock_shared(x.k) else pg_advisory_xact_lock(x.k) end)::text as done
          from (select hashtextextended(v.key, 0) as k, v.shared, v.first
                from json_to_recordset(${jsonParam(keys)}) as v(key text, shared boolean, first boolean) order by v.first desc, 1) x
        ) l`,
  );
}
