import { and, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { renderedOnce } from '../db/prepared.js';
import { epochMs } from '../ingest/sql.js';
import { RISK_LEVELS, signIns, type EventStatus, type RiskLevel } from '../db/schema.js';
import { levelsAtLeast, type ListFilters, type ListSpec } from '../http/list-filters.js';
import { afterCursor, afterValues, boundedCount, cursorSelect, decodeCursor, orderByKeys, pageOf, textArray, type Keyset, type Page } from './keyset.js';

export const RISKY_SIGN_INS_SPEC: ListSpec = {
  params: ['range', 'from', 'to', 'status', 'level', 'type', 'user', 'userId', 'ip', 'country', 'result', 'app', 'columns', 'sort', 'cursor', 'limit'],
  sorts: ['-time', 'time', '-level', 'level'],
  columns: {
    all: ['user', 'upn', 'time', 'ip', 'location', 'level', 'status', 'types', 'app', 'result'],
    // What fits on one line at 1440 px; Application, UPN and Result are a Columns tick away.
    defaults: ['user', 'time', 'ip', 'location', 'level', 'status', 'types'],
  },
};

/** One row of the risky sign-ins list, as the view and the feedback route render it. */
export interface RiskySignInListRow {
  id: string;
  createdDateTime: Date;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  appDisplayName: string | null;
  ipAddress: string | null;
  city: string | null;
  state: string | null;
  countryOrRegion: string | null;
  errorCode: number;
  failureReason: string | null;
  riskLevel: RiskLevel;
  riskEventTypes: string[];
  riskStatus: EventStatus;
  version: number;
  /** Fields cut to the text limit on import. */
  truncatedFields: string[];
}

const LEVEL_RANK = sql`(case ${signIns.riskLevel} when 'high' then 3 when 'medium' then 2 else 1 end)`;

export function signInKeyset(sort: ListFilters['sort']): Keyset {
  const desc = sort.startsWith('-');
  const time = { expr: sql`${signIns.createdDateTime}`, kind: 'micros', desc } as const;
  const id = { expr: sql`${signIns.id}`, kind: 'text', desc } as const;
  if (sort.endsWith('level')) return { name: sort, keys: [{ expr: LEVEL_RANK, kind: 'int', desc }, time, id] };
  return { name: sort, keys: [time, id] };
}

/** A lower-case LIKE pattern matching text that starts with `prefix`, taken literally. */
export function likePrefix(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Prefix match on UPN or display name, case-insensitive; the user's text is a literal, not a pattern. */
export function userPrefix(upn: SQL, displayName: SQL, prefix: string): SQL {
  const pattern = likePrefix(prefix);
  return sql`(lower(${upn}) like ${pattern} or lower(${displayName}) like ${pattern})`;
}

/** The conditions the sign-in log and the risky sign-ins share: who, where from, when, how it went. */
export function signInConditions(tenantId: string, filters: ListFilters): SQL[] {
  const conditions: SQL[] = [sql`${signIns.tenantId} = ${tenantId}`];
  const { period } = filters;
  if (period) conditions.push(sql`${signIns.createdDateTime} >= ${period.from.toISOString()}::timestamptz and ${signIns.createdDateTime} <= ${period.to.toISOString()}::timestamptz`);
  if (filters.user) conditions.push(userPrefix(sql`${signIns.userPrincipalName}`, sql`${signIns.userDisplayName}`, filters.user));
  if (filters.userId) conditions.push(sql`${signIns.userId} = ${filters.userId}`);
  if (filters.app) conditions.push(sql`lower(${signIns.appDisplayName}) like ${likePrefix(filters.app)}`);
  if (filters.ip) conditions.push(sql`${signIns.ipAddress} <<= ${filters.ip}::inet`);
  if (filters.country) conditions.push(sql`${signIns.countryOrRegion} = ${filters.country}`);
  if (filters.result) conditions.push(filters.result === 'success' ? sql`${signIns.errorCode} = 0` : sql`${signIns.errorCode} <> 0`);
  if (filters.level === 'low') conditions.push(sql`${signIns.riskLevel} is not null`);
  else if (filters.level) conditions.push(sql`${signIns.riskLevel} in (${sql.join(levelsAtLeast(filters.level).map((l) => sql`${l}`), sql`, `)})`);
  return conditions;
}

/**
 * Which risky sign-ins the filters match (without the cursor): the list, its count, the downloads
 * and bulk "apply to all matching" all use exactly this.
 */
export function riskySignInConditions(tenantId: string, filters: ListFilters): SQL {
  const conditions = [...signInConditions(tenantId, filters), sql`${signIns.riskLevel} is not null`];
  if (filters.statuses.length > 0) conditions.push(sql`${signIns.riskStatus} in (${sql.join(filters.statuses.map((s) => sql`${s}`), sql`, `)})`);
  if (filters.types.length > 0) conditions.push(sql`${signIns.riskEventTypes} && ${textArray(filters.types)}`);
  return sql.join(conditions, sql` and `);
}

const truncatedFieldsColumn = sql<string>`coalesce(array_to_string(${signIns.truncatedFields}, ','), '')`;

/**
 * A row of either sign-in list (this one and the log's, queries/sign-ins.ts): what the risky list
 * shows, with the risk level unset for a clean sign-in and the client app the log shows.
 */
export interface ListedSignIn extends Omit<RiskySignInListRow, 'riskLevel'> {
  riskLevel: RiskLevel | null;
  clientAppUsed: string | null;
}

/**
 * Both lists' columns, read through `rows()` rather than Drizzle's select builder: building the select
 * and mapping each field of each row cost about half of the list's query CPU (BENCHMARKS.md). The
 * time travels as epoch milliseconds, which both drivers return as a number. Rendered once (renderedOnce).
 */
export const LISTED_COLUMNS = renderedOnce(sql`${signIns.id} as "id", ${epochMs(sql`${signIns.createdDateTime}`)} as "at", ${signIns.userId} as "userId",
  ${signIns.userPrincipalName} as "userPrincipalName", ${signIns.userDisplayName} as "userDisplayName",
  ${signIns.appDisplayName} as "appDisplayName", ${signIns.clientAppUsed} as "clientAppUsed", ${signIns.ipAddress} as "ipAddress", ${signIns.city} as "city",
  ${signIns.state} as "state", ${signIns.countryOrRegion} as "countryOrRegion", ${signIns.errorCode} as "errorCode", ${signIns.failureReason} as "failureReason",
  ${signIns.riskLevel} as "riskLevel", coalesce(array_to_string(${signIns.riskEventTypes}, ','), '') as "riskEventTypes",
  coalesce(${signIns.riskStatus}, 'active') as "riskStatus", ${signIns.version} as "version", ${truncatedFieldsColumn} as "truncatedFields"`);

export type StoredSignIn = Omit<ListedSignIn, 'createdDateTime' | 'riskEventTypes' | 'truncatedFields'> & { at: number; riskEventTypes: string; truncatedFields: string };

// Arrays come back differently from the two drivers; a comma-joined string reads the same on both.
export const splitList = (joined: string): string[] => (joined === '' ? [] : joined.split(','));

/** Field by field, not by spreading the stored row: keyset.ts's pageOf says why. */
export function listedSignInOf(row: StoredSignIn): ListedSignIn {
  return {
    id: row.id,
    createdDateTime: new Date(row.at),
    userId: row.userId,
    userPrincipalName: row.userPrincipalName,
    userDisplayName: row.userDisplayName,
    appDisplayName: row.appDisplayName,
    clientAppUsed: row.clientAppUsed,
    ipAddress: row.ipAddress,
    city: row.city,
    state: row.state,
    countryOrRegion: row.countryOrRegion,
    errorCode: row.errorCode,
    failureReason: row.failureReason,
    riskLevel: row.riskLevel,
    riskEventTypes: splitList(row.riskEventTypes),
    riskStatus: row.riskStatus,
    version: row.version,
    truncatedFields: splitList(row.truncatedFields),
  };
}

/** A row the risky list read: its conditions include `risk_level is not null`. */
const listRowOf = (row: StoredSignIn) => listedSignInOf(row) as RiskySignInListRow;

/** One page of risky sign-ins in the filters' order: one query, limit + 1 rows to know if more follow. */
export async function listRiskySignIns(db: Queryable, tenantId: string, filters: ListFilters, page: { cursor: string | null; limit: number } = filters): Promise<Page<RiskySignInListRow>> {
  if (filters.sort.endsWith('level')) return listRiskySignInsByLevel(db, tenantId, filters, page);
  const keyset = signInKeyset(filters.sort);
  const where = page.cursor ? sql`${riskySignInConditions(tenantId, filters)} and ${afterCursor(keyset, page.cursor)}` : riskySignInConditions(tenantId, filters);
  const fetched = await rows<StoredSignIn & { cursorKey: string }>(
    db,
    sql`select ${LISTED_COLUMNS}, ${cursorSelect(keyset)} as "cursorKey" from ${signIns} where ${where} order by ${orderByKeys(keyset)} limit ${page.limit + 1}`,
  );
  return pageOf(fetched, page.limit, keyset, listRowOf);
}

/** The levels the filters let through, in the order a by-level sort walks them (highest first for -level). */
export function levelsInSortOrder(filters: Pick<ListFilters, 'level' | 'sort'>): RiskLevel[] {
  const rank = (level: RiskLevel) => RISK_LEVELS.indexOf(level);
  const levels = filters.level ? levelsAtLeast(filters.level) : [...RISK_LEVELS];
  return levels.sort((a, b) => (filters.sort.startsWith('-') ? rank(b) - rank(a) : rank(a) - rank(b)));
}

/**
 * By level, one branch per level, each walking the (level, time, id) index and stopping at the page
 * size, in one UNION ALL; the outer sort then orders at most three pages instead of every row.
 */
async function listRiskySignInsByLevel(db: Queryable, tenantId: string, filters: ListFilters, page: { cursor: string | null; limit: number }): Promise<Page<RiskySignInListRow>> {
  const keyset = signInKeyset(filters.sort);
  const desc = filters.sort.startsWith('-');
  const rank = (level: RiskLevel) => RISK_LEVELS.indexOf(level) + 1;
  const cursor = page.cursor ? decodeCursor(keyset, page.cursor) : null;
  const cursorRank = cursor ? Number(cursor[0]) : null;
  const within = { name: filters.sort, keys: keyset.keys.slice(1) };
  const levels = levelsInSortOrder(filters).filter((level) => cursorRank === null || (desc ? rank(level) <= cursorRank : rank(level) >= cursorRank));
  if (levels.length === 0) return { rows: [], next: null };
  const branches = levels.map((level) => {
    const conditions = [riskySignInConditions(tenantId, filters), sql`${signIns.riskLevel} = ${level}`];
    if (cursor && rank(level) === cursorRank) conditions.push(afterValues(within, cursor.slice(1)));
    // created_date_time and id by their own names, for the outer sort: "at" is only to the millisecond.
    return sql`(select ${LISTED_COLUMNS}, ${signIns.createdDateTime} as created_date_time, ${rank(level)}::int as level_rank, ${cursorSelect(keyset)} as "cursorKey"
      from ${signIns} where ${sql.join(conditions, sql` and `)} order by ${orderByKeys(within)} limit ${page.limit + 1})`;
  });
  const direction = desc ? sql`desc` : sql`asc`;
  const fetched = await rows<StoredSignIn & { cursorKey: string; created_date_time: unknown; level_rank: number }>(
    db,
    sql`select * from (${sql.join(branches, sql` union all `)}) by_level order by level_rank ${direction}, created_date_time ${direction}, "id" ${direction} limit ${page.limit + 1}`,
  );
  return pageOf(fetched, page.limit, keyset, listRowOf);
}

export function countRiskySignIns(db: Queryable, tenantId: string, filters: ListFilters) {
  return boundedCount(db, sql`${signIns}`, riskySignInConditions(tenantId, filters));
}

/** Whether the tenant has any risky sign-in at all, to tell "nothing imported" from "filtered out". */
export async function hasRiskySignIns(db: Queryable, tenantId: string): Promise<boolean> {
  const found = await db.select({ one: sql<number>`1` }).from(signIns).where(and(eq(signIns.tenantId, tenantId), sql`${signIns.riskLevel} is not null`)).limit(1);
  return found.length > 0;
}

export async function getRiskySignInRow(db: Queryable, tenantId: string, signInId: string): Promise<RiskySignInListRow | null> {
  const [row] = await rows<StoredSignIn>(
    db,
    sql`select ${LISTED_COLUMNS} from ${signIns} where ${signIns.tenantId} = ${tenantId} and ${signIns.id} = ${signInId} and ${signIns.riskLevel} is not null`,
  );
  return row ? listRowOf(row) : null;
}

/** Everything the list page shows: the page of rows, the bounded count, and why it may be empty. */
export async function getRiskySignInsPage(db: Queryable, tenantId: string, filters: ListFilters) {
  const [page, total] = await Promise.all([listRiskySignIns(db, tenantId, filters), countRiskySignIns(db, tenantId, filters)]);
  const anyAtAll = page.rows.length > 0 || (await hasRiskySignIns(db, tenantId));
  return { ...page, total, anyAtAll };
}
