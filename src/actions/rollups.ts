import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { auditInsert } from '../ingest/audit-bulk.js';
import { tenantParam } from '../ingest/sql.js';
import { enqueueRiskyUsers } from '../webhooks/outbox.js';
import { SYSTEM, type Actor } from './audit-record.js';

// Risk rollups (a sign-in's and a user's level and state), recomputed set-wise from the risk events after any change:
// ingestion, feedback, user actions. Call inside the transaction that changed the events.
// Both statements aggregate once into a MATERIALIZED CTE and then join: on a fresh tenant the
// planner's statistics say "one row" and, inlined, it re-ran the aggregate per updated row
// (6-11 s a batch of 2,000 users); materialized, the plan no longer depends on statistics. The
// tenant is tenantParam for the same reason: as a literal, a tenant newer than the statistics made
// each statement scan all of the tenant's users and events for a batch's few.

/** A list of ids as one bound parameter, usable as `= any(...)` on both drivers. */
export function idList(ids: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

const LEVEL_RANK = sql`case risk_level when 'high' then 3 when 'medium' then 2 when 'low' then 1 end`;
const RANK_LEVEL = (rank: ReturnType<typeof sql>) => sql`case ${rank} when 3 then 'high' when 2 then 'medium' when 1 then 'low' end`;

/** Up to this many ids, each id's events are read by its own probe of their index (below). */
const PROBED_IDS = 16;

/**
 * The `aggregates` of the risk events of each id in the `ids` CTE, by `key` (user_id or request_id),
 * for the ids that have events. For a few ids (an evaluation's one user, a feedback action's), a
 * lateral subquery per id: one probe of the (tenant, key) index each. As `key in (ids)` PostgreSQL
 * guessed 100 ids and, while risk_events was small next to that guess, hashed all of the tenant's
 * events for one user: 4.7 ms of a risky evaluation with 7,800 events in the table, and more as
 * they grew. For a batch, that one pass over the events is the right plan, and it stays.
 */
function eventAggregates(tenantId: string, key: 'user_id' | 'request_id', count: number, aggregates: (probed: SQL | null) => SQL): SQL {
  const column = sql.raw(key);
  if (count <= PROBED_IDS) {
    return sql`select ids.id as ${column}, e.* from ids cross join lateral (
        select ${aggregates(sql`ids.id`)} from risk_events where tenant_id = ${tenantParam(tenantId)} and ${column} = ids.id having count(*) > 0) e`;
  }
  return sql`select ${column}, ${aggregates(null)} from risk_events
       where tenant_id = ${tenantParam(tenantId)} and ${column} in (select id from ids)
       group by ${column}`;
}

const SIGN_IN_AGGREGATES = () => sql`max(${LEVEL_RANK}) as level_rank,
  array_agg(distinct risk_event_type order by risk_event_type) as types,
  bool_or(status = 'active') as any_active,
  (array_agg(status order by last_updated_date_time desc, id desc))[1] as last_status,
  max(last_updated_date_time) as updated_at`;

const LAST_CHANGE = sql`order by last_updated_date_time desc, id desc`;

/**
 * The user's events, aggregated; `last_change` is the status and detail of the most recent change,
 * which decide the state when no event is active. For a few users, probed one by one (an evaluation,
 * a feedback action), it is read only then, by a second probe of the user's events: as ordered
 * aggregates it sorted all of them twice for every risky sign-in (0.25 ms of an evaluation for a user
 * with 300 events, and growing with them). A batch keeps the ordered aggregates: one pass over all
 * its users' events whatever the statistics say, where a probe per user could take another index.
 */
const USER_AGGREGATES = (tenantId: string) => (probed: SQL | null) => sql`count(*) filter (where status = 'active')::int as active_count,
  max(${LEVEL_RANK}) filter (where status = 'active') as level_rank,
  coalesce(bool_or(status = 'active' and risk_event_type = 'adminConfirmedUserCompromised'), false) as compromised,
  ${
    probed
      ? sql`case when count(*) filter (where status = 'active') = 0 then (
          select array[latest.status, latest.risk_detail] from risk_events latest
           where latest.tenant_id = ${tenantParam(tenantId)} and latest.user_id = ${probed}
           ${LAST_CHANGE} limit 1) end`
      : sql`array[(array_agg(status ${LAST_CHANGE}))[1], (array_agg(risk_detail ${LAST_CHANGE}))[1]]`
  } as last_change,
  -- An event changes the user's risk when it happens (its activity), or later when
  -- someone acts on it; not when a batch import happened to store it.
  max(case when last_updated_date_time > detected_date_time then last_updated_date_time else activity_date_time end) as changed_at`;

/**
 * A risky sign-in's level is the highest of its events (fixed at detection); its status is active
 * while any event is, else the status of its most recent change.
 */
export async function recomputeSignInRisk(db: Queryable, tenantId: string, signInIds: readonly string[]): Promise<void> {
  if (signInIds.length === 0) return;
  await db.execute(sql`
    with ids as materialized (select distinct jsonb_array_elements_text(${JSON.stringify(signInIds)}::jsonb) as id),
    agg as materialized (${eventAggregates(tenantId, 'request_id', signInIds.length, SIGN_IN_AGGREGATES)})
    update sign_ins s
       set risk_level = ${RANK_LEVEL(sql`agg.level_rank`)},
           risk_event_types = agg.types,
           risk_status = case when agg.any_active then 'active' else agg.last_status end,
           risk_updated_at = agg.updated_at,
           version = s.version + 1
      from agg
     where s.tenant_id = ${tenantParam(tenantId)} and s.id = agg.request_id`);
}

/**
 * User risk: level is the highest among active events ('none' without any); state is
 * confirmedCompromised, atRisk, or what the action that closed the last active event left.
 */
export async function recomputeUserRisk(db: Queryable, tenantId: string, userIds: readonly string[], now: Date): Promise<void> {
  if (userIds.length === 0) return;
  await db.execute(sql`with ${userRiskCtes(tenantId, userIds, now)} select count(*) from updated`);
}

/** ids, agg and updated: the users' risk recomputed from their events, updated answering each user's new risk. */
function userRiskCtes(tenantId: string, userIds: readonly string[], now: Date): SQL {
  return sql`
    ids as materialized (select distinct jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb) as id),
    agg as materialized (${eventAggregates(tenantId, 'user_id', userIds.length, USER_AGGREGATES(tenantId))}),
    updated as (
    update directory_users u
       set risk_level = coalesce(${RANK_LEVEL(sql`agg.level_rank`)}, 'none'),
           risk_state = case
             when agg.compromised then 'confirmedCompromised'
             when agg.active_count > 0 then 'atRisk'
             when agg.last_change[1] = 'remediated' then 'remediated'
             when agg.last_change[1] = 'dismissedAsFalsePositive' then 'confirmedSafe'
             else 'dismissed' end,
           risk_detail = case
             when agg.compromised then 'adminConfirmedUserCompromised'
             when agg.active_count > 0 then 'none'
             else agg.last_change[2] end,
           active_event_count = agg.active_count,
           risk_last_updated_at = coalesce(agg.changed_at, ${now.toISOString()}::timestamptz),
           version = u.version + 1
      from agg
     where u.tenant_id = ${tenantParam(tenantId)} and u.id = agg.user_id
    returning u.id, u.risk_level, u.risk_state, u.risk_detail, u.active_event_count)`;
}

const USER_RISK = (row: string) => {
  const r = sql.raw(row);
  return sql`jsonb_build_object('riskLevel', ${r}.risk_level, 'riskState', ${r}.risk_state, 'riskDetail', ${r}.risk_detail, 'activeEventCount', ${r}.active_event_count)`;
};

/**
 * The statement refreshUserRisk runs (exported so a test can EXPLAIN it): the users' risk
 * recomputed, and a `user.riskChanged` audit entry (before -> after) for each user whose risk moved,
 * in one round trip. `before` reads the statement's snapshot, which the update does not change.
 * Answers the users whose risk moved, and whether an endpoint of the tenant wants to hear of it.
 */
export function userRiskUpdate(tenantId: string, userIds: readonly string[], now: Date, actor: Actor = SYSTEM): SQL {
  return sql`
    with ${userRiskCtes(tenantId, userIds, now)},
    before as materialized (
      select u.id, u.risk_level, u.risk_state, u.risk_detail, u.active_event_count
        from ids join directory_users u on u.tenant_id = ${tenantParam(tenantId)} and u.id = ids.id),
    compared as (select a.id, ${USER_RISK('b')} as before, ${USER_RISK('a')} as after from updated a join before b on b.id = a.id),
    changed as materialized (select id, before, after from compared where before is distinct from after),
    audited as (${auditInsert(actor, now, sql`select ${tenantId}::uuid as tenant_id, 'user.riskChanged' as action, 'user' as target_type, id as target_id, before, after from changed order by id`)})
    select id, exists (select 1 from webhooks w where w.tenant_id = ${tenantId} and w.enabled and 'riskyUser.riskChanged' = any(w.events)) as subscribed
      from changed order by id`;
}

/**
 * Recomputes users' risk after their events changed and audits each user whose risk moved
 * (`user.riskChanged`, before -> after) and queues riskyUser.riskChanged webhooks: the one path for ingestion, lists, feedback and user actions.
 * The recompute and the audit are one statement, sent at once (rows), so it runs after whatever
 * the caller sent before it.
 */
export async function refreshUserRisk(db: Queryable, tenantId: string, userIds: readonly string[], now: Date, actor: Actor): Promise<void> {
  await enqueueRiskChanges(db, tenantId, await recomputeAndAuditUserRisk(db, tenantId, userIds, now, actor), now);
}

export interface RiskChanges {
  /** The users whose risk moved. */
  changed: string[];
  /** Whether an endpoint of the tenant wants riskyUser.riskChanged. */
  subscribed: boolean;
}

/** refreshUserRisk without the webhooks, for a caller that queues others first (an evaluation); sent at once. */
export async function recomputeAndAuditUserRisk(db: Queryable, tenantId: string, userIds: readonly string[], now: Date, actor: Actor): Promise<RiskChanges> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return { changed: [], subscribed: false };
  const found = await rows<{ id: string; subscribed: boolean }>(db, userRiskUpdate(tenantId, ids, now, actor));
  return { changed: found.map((row) => row.id), subscribed: found.some((row) => row.subscribed) };
}

/** The riskyUser.riskChanged webhooks of recomputeAndAuditUserRisk's changes. */
export async function enqueueRiskChanges(db: Queryable, tenantId: string, changes: RiskChanges, now: Date): Promise<void> {
  if (changes.subscribed && changes.changed.length > 0) await enqueueRiskyUsers(db, tenantId, changes.changed, now);
}
