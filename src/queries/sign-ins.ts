import { and, asc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { riskEvents, signIns, type Edition, type RiskEvent, type RiskLevel, type SignIn } from '../db/schema.js';
import { retentionDays, type ListFilters, type ListSpec } from '../http/list-filters.js';
import { afterCursor, boundedCount, COUNT_BOUND, countOf, cursorSelect, orderByKeys, pageOf, type Keyset, type Page } from './keyset.js';
import { startsWith } from './prefix.js';
import { LISTED_COLUMNS, listedSignInOf, signInConditions, signInKeyset, type StoredSignIn } from './risky-sign-ins.js';

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
  const others = sql.join(signInConditions(tenantId, { ...filters, user: null }), sql` and `);
  const where = filters.cursor ? sql`${others} and ${afterCursor(keyset, filters.cursor)}` : others;
  const chosen = filters.user === null ? where : sql`${signIns.tenantId} = ${tenantId} and ${signIns.id} in (${firstOfPrefix(tenantId, filters.user, where, keyset, filters.limit + 1)})`;
  const fetched = await rows<StoredSignIn & { cursorKey: string }>(
    db,
    sql`select ${LISTED_COLUMNS}, ${cursorSelect(keyset)} as "cursorKey" from ${signIns} where ${chosen} order by ${orderByKeys(keyset)} limit ${filters.limit + 1}`,
  );
  return pageOf(fetched, filters.limit, keyset, listedSignInOf);
}

// `user=` matches the sign-in's own UPN or display name (as they were at sign-in, so a renamed user's
// older sign-ins answer to the old name). Filtering the time index by prefix reads every sign-in
// before the 50th match, and sorting the prefix index's matches by time reads all of them: both
// grow with the tenant. Instead each distinct lower-cased name starting with the prefix is found by
// one probe of the (tenant, lower(name), time, id) index, a few per prefix, and each name's sign-ins
// are read from the same index already in time order, at most a page of them per name; the page is
// the first of their union. See docs/scaling.md.
const NAME_COLUMNS = [
  { cte: 'upns', column: signIns.userPrincipalName },
  { cte: 'display_names', column: signIns.userDisplayName },
] as const;

function firstOfPrefix(tenantId: string, prefix: string, where: SQL, keyset: Keyset, limit: number): SQL {
  const names = NAME_COLUMNS.map(({ cte, column }) => {
    const name = sql`lower(${column})`;
    const within = sql`${signIns.tenantId} = ${tenantId} and ${startsWith(sql`${column}`, prefix)}`;
    return sql`${sql.identifier(cte)}(name) as (
      (select ${name} from ${signIns} where ${within} order by ${name} using ~<~ limit 1)
      union all
      select (select ${name} from ${signIns} where ${within} and ${name} ~>~ found.name order by ${name} using ~<~ limit 1)
      from ${sql.identifier(cte)} found where found.name is not null)`;
  });
  const walks = NAME_COLUMNS.map(
    ({ cte, column }) => sql`select walk.created_date_time, walk.id from ${sql.identifier(cte)} found cross join lateral (
      select ${signIns.createdDateTime}, ${signIns.id} from ${signIns} where ${where} and lower(${column}) = found.name
      order by ${orderByKeys(keyset)} limit ${limit}) walk`,
  );
  const merged: Keyset = { name: keyset.name, keys: keyset.keys.map((key, i) => ({ ...key, expr: sql`${sql.identifier(i === 0 ? 'created_date_time' : 'id')}` })) };
  return sql`with recursive ${sql.join(names, sql`, `)}
    select id from (${sql.join(walks, sql` union `)} order by ${orderByKeys(merged)} limit ${limit}) first`;
}

/**
 * The bounded count of a prefix: up to the bound from each name index, so it stops as early as the
 * page does. When the UPNs alone pass the bound, so does the union, and the display names are not
 * read (PostgreSQL runs a CASE branch's subquery only when it is reached): at a million sign-ins that
 * is half the count's reading, and no hashing of 2,002 ids.
 */
function countOfPrefix(db: Queryable, tenantId: string, filters: ListFilters & { user: string }) {
  const others = signInConditions(tenantId, { ...filters, user: null });
  const [upns, names] = NAME_COLUMNS.map(({ column }) => sql`(select ${signIns.id} from ${signIns} where ${sql.join([...others, startsWith(sql`${column}`, filters.user)], sql` and `)} limit ${COUNT_BOUND + 1})`);
  return countOf(
    db,
    sql`select case when (select count(*) from ${upns} as upns) > ${COUNT_BOUND} then ${COUNT_BOUND + 1}
      else (select count(*) from (${upns} union ${names} limit ${COUNT_BOUND + 1}) as matches) end::int as n`,
  );
}

async function hasSignIns(db: Queryable, tenantId: string): Promise<boolean> {
  const found = await db.select({ one: sql<number>`1` }).from(signIns).where(and(eq(signIns.tenantId, tenantId))).limit(1);
  return found.length > 0;
}

export async function getSignInsPage(db: Queryable, tenantId: string, filters: ListFilters) {
  const { user } = filters;
  const count = user === null ? boundedCount(db, sql`${signIns}`, sql.join(signInConditions(tenantId, filters), sql` and `)) : countOfPrefix(db, tenantId, { ...filters, user });
  const [page, total] = await Promise.all([listSignIns(db, tenantId, filters), count]);
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
    rows<StoredSignIn>(
      db,
      sql`select ${LISTED_COLUMNS} from ${signIns} where ${ofUser} and (${signIns.createdDateTime}, ${signIns.id}) < (${signIn.createdDateTime.toISOString()}::timestamptz, ${signIn.id})
          order by ${signIns.createdDateTime} desc, ${signIns.id} desc limit 1`,
    ),
    rows<StoredSignIn>(db, sql`select ${LISTED_COLUMNS} from ${signIns} where ${ofUser} order by ${signIns.createdDateTime} desc, ${signIns.id} desc limit ${RECENT_SIGN_INS}`),
  ]);
  const referenced = await listShownSignInIds(db, tenantId, previousSignInIds(events), context);
  return { signIn, events, previous: previous[0] ? listedSignInOf(previous[0]) : null, recent: recent.map(listedSignInOf), referenced };
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
