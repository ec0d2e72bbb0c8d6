import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { signIns, type RiskLevel } from '../db/schema.js';
import type { ListFilters, ListSpec } from '../http/list-filters.js';
import { afterCursor, boundedCount, cursorSelect, orderByKeys, toPage, type Page } from './keyset.js';
import { signInConditions, signInKeyset } from './risky-sign-ins.js';

export const SIGN_INS_SPEC: ListSpec = {
  params: ['range', 'from', 'to', 'level', 'user', 'userId', 'ip', 'country', 'result', 'app', 'sort', 'cursor', 'limit'],
  sorts: ['-time', 'time'],
};

/** One row of the sign-in log: every sign-in, failures included. */
export interface SignInLogRow {
  id: string;
  createdDateTime: Date;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  appDisplayName: string | null;
  clientAppUsed: string | null;
  ipAddress: string | null;
  city: string | null;
  state: string | null;
  countryOrRegion: string | null;
  errorCode: number;
  failureReason: string | null;
  riskLevel: RiskLevel | null;
}

export async function listSignIns(db: Queryable, tenantId: string, filters: ListFilters): Promise<Page<SignInLogRow>> {
  const keyset = signInKeyset(filters.sort);
  const where = sql.join(signInConditions(tenantId, filters), sql` and `);
  const fetched = await db
    .select({
      id: signIns.id,
      createdDateTime: signIns.createdDateTime,
      userId: signIns.userId,
      userPrincipalName: signIns.userPrincipalName,
      userDisplayName: signIns.userDisplayName,
      appDisplayName: signIns.appDisplayName,
      clientAppUsed: signIns.clientAppUsed,
      ipAddress: signIns.ipAddress,
      city: signIns.city,
      state: signIns.state,
      countryOrRegion: signIns.countryOrRegion,
      errorCode: signIns.errorCode,
      failureReason: signIns.failureReason,
      riskLevel: signIns.riskLevel,
      cursorKey: cursorSelect(keyset),
    })
    .from(signIns)
    .where(filters.cursor ? sql`${where} and ${afterCursor(keyset, filters.cursor)}` : where)
    .orderBy(orderByKeys(keyset))
    .limit(filters.limit + 1);
  return toPage(fetched, filters.limit, keyset);
}

async function hasSignIns(db: Queryable, tenantId: string): Promise<boolean> {
  const found = await db.select({ one: sql<number>`1` }).from(signIns).where(and(eq(signIns.tenantId, tenantId))).limit(1);
  return found.length > 0;
}

export async function getSignInsPage(db: Queryable, tenantId: string, filters: ListFilters) {
  const where = sql.join(signInConditions(tenantId, filters), sql` and `);
  const [page, total] = await Promise.all([listSignIns(db, tenantId, filters), boundedCount(db, sql`${signIns}`, where)]);
  const anyAtAll = page.rows.length > 0 || (await hasSignIns(db, tenantId));
  return { ...page, total, anyAtAll };
}
