import { and, asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { riskEvents, type RiskEvent } from '../db/schema.js';
import type { ListFilters, ListSpec } from '../http/list-filters.js';
import { textArray } from './keyset.js';
import { listRiskySignIns, RISKY_SIGN_INS_SPEC, type RiskySignInListRow } from './risky-sign-ins.js';

/** Downloads take the list's filters, but neither a cursor nor a limit: they carry every matching row. */
export const RISKY_SIGN_INS_EXPORT_SPEC: ListSpec = {
  params: RISKY_SIGN_INS_SPEC.params.filter((param) => param !== 'cursor' && param !== 'limit'),
  sorts: RISKY_SIGN_INS_SPEC.sorts,
};

export const EXPORT_BATCH = 1000;

/**
 * Every matching risky sign-in, a keyset page at a time: each page is its own short query, so a long
 * download neither holds PGlite's single connection nor keeps more than one page in memory.
 */
export async function* iterateRiskySignIns(db: Queryable, tenantId: string, filters: ListFilters, batch = EXPORT_BATCH): AsyncGenerator<RiskySignInListRow[]> {
  let cursor: string | null = null;
  do {
    const page = await listRiskySignIns(db, tenantId, filters, { cursor, limit: batch });
    if (page.rows.length > 0) yield page.rows;
    cursor = page.next;
  } while (cursor);
}

export async function listRiskEventsOfSignIns(db: Queryable, tenantId: string, signInIds: readonly string[]): Promise<RiskEvent[]> {
  if (signInIds.length === 0) return [];
  const events = await db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId), sql`${riskEvents.requestId} = any(${textArray(signInIds)})`))
    .orderBy(asc(riskEvents.activityDateTime), asc(riskEvents.id));
  const position = new Map(signInIds.map((id, index) => [id, index]));
  return events.sort((a, b) => (position.get(a.requestId ?? '') ?? 0) - (position.get(b.requestId ?? '') ?? 0));
}
