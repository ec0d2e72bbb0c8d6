import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { riskEvents, signIns, type Edition, type RiskEvent, type RiskLevel, type SignIn } from '../db/schema.js';
import { retentionDays, type ListFilters, type ListSpec } from '../http/list-filters.js';
import { afterCursor, boundedCount, cursorSelect, orderByKeys, toPage, type Page } from './keyset.js';
import { signInConditions, signInKeyset, splitList, truncatedFieldsColumn } from './risky-sign-ins.js';

const DAY_MS = 86_400_000;

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
  /** Fields cut to the text limit on import. */
  truncatedFields: string[];
}

export async function listSignIns(db: Queryable, tenantId: string, filters: ListFilters): Promise<Page<SignInLogRow>> {
  const keyset = signInKeyset(filters.sort);
  const where = sql.join(signInConditions(tenantId, filters), sql` and `);
  const fetched = await db
    .select({ ...LOG_ROW, cursorKey: cursorSelect(keyset) })
    .from(signIns)
    .where(filters.cursor ? sql`${where} and ${afterCursor(keyset, filters.cursor)}` : where)
    .orderBy(orderByKeys(keyset))
    .limit(filters.limit + 1);
  const page = toPage(fetched, filters.limit, keyset);
  return { ...page, rows: page.rows.map(withTruncatedFields) };
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

/** The detail of one sign-in (/security/sign-ins/:signInId): the row, its risk events, the user's sign-ins around it. */
export interface SignInDetail {
  signIn: SignIn;
  events: RiskEvent[];
  /** The user's sign-in just before this one, in (time, id) order. */
  previous: SignInLogRow | null;
  /** The user's most recent sign-ins, newest first (this one among them when it is recent). */
  recent: SignInLogRow[];
  /** Sign-ins other than this one that the evidence names (the travel rule's previous sign-in), still stored. */
  referenced: Set<string>;
}

export const RECENT_SIGN_INS = 10;

const LOG_ROW = {
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
  truncatedFields: truncatedFieldsColumn,
};

function withTruncatedFields<Row extends { truncatedFields: string }>(row: Row): Omit<Row, 'truncatedFields'> & { truncatedFields: string[] } {
  return { ...row, truncatedFields: splitList(row.truncatedFields) };
}

/**
 * One sign-in of the tenant within the edition's retention (another tenant's id, or one past
 * retention, is null: 404). Every read uses an index starting with (tenant, ...).
 */
export async function getSignInDetail(db: Queryable, tenantId: string, signInId: string, context: { edition: Edition; now: Date }): Promise<SignInDetail | null> {
  const earliest = new Date(context.now.getTime() - retentionDays(context.edition) * DAY_MS);
  const [signIn] = await db
    .select()
    .from(signIns)
    .where(and(eq(signIns.tenantId, tenantId), eq(signIns.id, signInId), gte(signIns.createdDateTime, earliest)));
  if (!signIn) return null;
  const ofUser = and(eq(signIns.tenantId, tenantId), eq(signIns.userId, signIn.userId), gte(signIns.createdDateTime, earliest));
  const [events, previous, recent] = await Promise.all([
    db
      .select()
      .from(riskEvents)
      .where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.requestId, signInId)))
      .orderBy(asc(riskEvents.riskEventType)),
    db
      .select(LOG_ROW)
      .from(signIns)
      .where(and(ofUser, sql`(${signIns.createdDateTime}, ${signIns.id}) < (${signIn.createdDateTime.toISOString()}::timestamptz, ${signIn.id})`))
      .orderBy(desc(signIns.createdDateTime), desc(signIns.id))
      .limit(1),
    db.select(LOG_ROW).from(signIns).where(ofUser).orderBy(desc(signIns.createdDateTime), desc(signIns.id)).limit(RECENT_SIGN_INS),
  ]);
  const referenced = await listShownSignInIds(db, tenantId, previousSignInIds(events), context);
  return { signIn, events, previous: previous[0] ? withTruncatedFields(previous[0]) : null, recent: recent.map(withTruncatedFields), referenced };
}

/** The sign-ins an event's evidence names: the travel rule's previous sign-in. */
export function previousSignInIds(events: Pick<RiskEvent, 'evidence'>[]): string[] {
  return [...new Set(events.flatMap((event) => event.evidence.filter((item) => item.key === 'previousSignInId').map((item) => item.value)))];
}

/** Which of these sign-ins the detail would show (stored, within retention), so links to them never 404. */
export async function listShownSignInIds(db: Queryable, tenantId: string, ids: string[], context: { edition: Edition; now: Date }): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const earliest = new Date(context.now.getTime() - retentionDays(context.edition) * DAY_MS);
  const rows = await db
    .select({ id: signIns.id })
    .from(signIns)
    .where(and(eq(signIns.tenantId, tenantId), inArray(signIns.id, ids), gte(signIns.createdDateTime, earliest)));
  return new Set(rows.map((row) => row.id));
}
