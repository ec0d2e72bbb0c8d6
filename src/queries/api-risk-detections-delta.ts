import { and, asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { ActionError } from '../actions/errors.js';
import type { Queryable } from '../db/client.js';
import { riskEvents } from '../db/schema.js';
import { toGraphRiskDetection, type GraphRiskDetection } from './graph.js';

// GET /api/v1/risk-detections/delta: every detection created or changed since a token.
// Each insert or update of a risk event stamps it with its transaction's id and a sequence number
// (migration 0009). Sequence numbers alone would lose changes: a transaction that took number 10
// may commit after one that took 11 was read. So the feed orders by (transaction id, sequence)
// and reads only rows of transactions older than every transaction of this database still running:
// those are final, and every later change gets a larger transaction id, so a position in that order
// is a token that misses nothing and repeats nothing.

export interface DeltaPosition {
  xid: number;
  seq: number;
}

const PREFIX = 'd1.';

export function encodeDeltaToken(position: DeltaPosition): string {
  return PREFIX + Buffer.from(`${position.xid}.${position.seq}`).toString('base64url');
}

export function decodeDeltaToken(token: string, parameter: string): DeltaPosition {
  const text = token.startsWith(PREFIX) ? Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8') : '';
  const match = /^(\d{1,16})\.(\d{1,16})$/.exec(text);
  if (!match) throw new ActionError(400, `${parameter} is not a token this feed issued; start again without one`);
  return { xid: Number(match[1]), seq: Number(match[2]) };
}

/**
 * The statement snapshot's oldest running transaction, ignoring those pg_stat_activity shows in
 * other databases of the cluster (they write no risk events, and a long one elsewhere must not
 * stall this feed). A transaction it cannot place counts, which only delays rows, never skips them.
 */
const HORIZON = sql`(select coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
    from pg_snapshot_xip(pg_current_snapshot()) as x
   where not exists (select 1 from pg_stat_activity a
                      where a.datname is distinct from current_database() and a.backend_xid is not null
                        and a.backend_xid::text::bigint = x::text::bigint % 4294967296))`;

export interface DeltaPage {
  rows: GraphRiskDetection[];
  position: DeltaPosition;
  /** More changes are ready now: follow @odata.nextLink rather than waiting. */
  more: boolean;
}

export async function listRiskDetectionChanges(db: Queryable, tenantId: string, after: DeltaPosition | null, top: number): Promise<DeltaPage> {
  const start = after ?? { xid: 0, seq: 0 };
  const fetched = await db
    .select(getTableColumns(riskEvents))
    .from(riskEvents)
    .where(
      and(
        eq(riskEvents.tenantId, tenantId),
        sql`${riskEvents.changeXid} < ${HORIZON}`,
        sql`(${riskEvents.changeXid}, ${riskEvents.changeSeq}) > (${start.xid}::bigint, ${start.seq}::bigint)`,
      ),
    )
    .orderBy(asc(riskEvents.changeXid), asc(riskEvents.changeSeq))
    .limit(top + 1);
  const page = fetched.slice(0, top);
  const last = page.at(-1);
  return {
    rows: page.map(toGraphRiskDetection),
    position: last ? { xid: last.changeXid, seq: last.changeSeq } : start,
    more: fetched.length > top,
  };
}

/** The position after every change made so far: `$deltatoken=latest` starts a feed from now without reading history. */
export async function latestDeltaPosition(db: Queryable, tenantId: string): Promise<DeltaPosition> {
  const [last] = await db
    .select({ xid: riskEvents.changeXid, seq: riskEvents.changeSeq })
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId), sql`${riskEvents.changeXid} < ${HORIZON}`))
    .orderBy(desc(riskEvents.changeXid), desc(riskEvents.changeSeq))
    .limit(1);
  return last ?? { xid: 0, seq: 0 };
}
