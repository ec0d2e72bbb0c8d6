import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { riskEvents, signIns, type RiskEvent, type RiskLevel } from '../db/schema.js';
import { type ListFilters, type ListSpec } from '../http/list-filters.js';
import { afterValues, orderByKeys, textArray } from './keyset.js';
import { levelsInSortOrder, riskySignInConditions, RISKY_SIGN_INS_SPEC, signInKeyset } from './risky-sign-ins.js';

/** Downloads take the list's filters, but neither a cursor nor a limit: they carry every matching row. */
export const RISKY_SIGN_INS_EXPORT_SPEC: ListSpec = {
  params: RISKY_SIGN_INS_SPEC.params.filter((param) => param !== 'cursor' && param !== 'limit'),
  sorts: RISKY_SIGN_INS_SPEC.sorts,
};

export const EXPORT_BATCH = 2000;

/** A keyset page of a download: what it carries, how many sign-ins, and the last one's (time, id) key. */
interface ExportPage<T> {
  value: T;
  count: number;
  last: readonly [string, string] | null;
}

/**
 * Every matching risky sign-in in the list's order, a keyset page at a time: each page is its own
 * short query, so a long download neither holds PGlite's single connection nor keeps more than two
 * pages in memory. The next page is asked for as soon as one arrives, so PostgreSQL reads it while
 * this one is written out. Sorted by level, it is one walk of the (level, time, id) index per level.
 */
async function* walkRiskySignIns<T>(tenantId: string, filters: ListFilters, batch: number, fetch: (from: SQL, desc: boolean) => Promise<ExportPage<T>>): AsyncGenerator<T> {
  const desc = filters.sort.startsWith('-');
  const keyset = signInKeyset(desc ? '-time' : 'time');
  const levels: (RiskLevel | null)[] = filters.sort.endsWith('level') ? levelsInSortOrder(filters) : [null];
  const where = riskySignInConditions(tenantId, filters);
  const page = (level: RiskLevel | null, after: readonly string[] | null) => {
    const conditions = [where];
    if (level) conditions.push(sql`${signIns.riskLevel} = ${level}`);
    if (after) conditions.push(afterValues(keyset, after));
    return fetch(sql`(select * from ${signIns} where ${sql.join(conditions, sql` and `)} order by ${orderByKeys(keyset)} limit ${batch}) as ${signIns}`, desc);
  };
  for (const level of levels) {
    let pending: Promise<ExportPage<T>> | null = page(level, null);
    while (pending) {
      const found: ExportPage<T> = await pending;
      pending = found.count === batch && found.last ? page(level, found.last) : null;
      // The page asked for ahead can fail while this one is written out, or after a download is cut short,
      // with no one awaiting it: unhandled, that rejection would end the process. The await still throws.
      pending?.catch(() => {});
      if (found.count > 0) yield found.value;
    }
  }
}

/**
 * A text value as a CSV cell, in SQL: the rules of csvCell (http/csv.ts), which a test holds this to
 * byte for byte. The risky sign-ins download builds its lines in PostgreSQL: at a million rows,
 * reading 23 values a row into JavaScript objects and strings took 12 s of Node's CPU, most of it
 * Drizzle's row mapping and garbage collection; built here, a page arrives as one string, and Node
 * spends under 2 s.
 */
export function csvCellSql(value: SQL): SQL {
  const formula = sql`${value} ~ '^[=+\\-@\\t\\r]'`;
  return sql`(case when ${value} is null then ''
    when ${value} ~ '[",\\r\\n]' then '"' || case when ${formula} then '''' else '' end || replace(${value}, '"', '""') || '"'
    when ${formula} then '''' || ${value} else ${value} end)`;
}

// The list's arrays are comma-joined and the CSV joins them with ';': replace() keeps that byte for byte.
const joined = (column: SQL) => sql`replace(array_to_string(${column}, ','), ',', ';')`;
const MICROS = sql`stamp.micros`;

/** The CSV's columns (routes/security/exports.ts) in order; `text` ones are stored as imported, the others formatted here. */
const CSV_CELLS: { value: SQL; text: boolean }[] = [
  // toISOString()'s form: milliseconds cut (not rounded) from the microseconds, as a Date holds them.
  { value: sql`left(${MICROS}, 23) || 'Z'`, text: false },
  { value: sql`${signIns.userDisplayName}`, text: true },
  { value: sql`${signIns.userPrincipalName}`, text: true },
  { value: sql`abbrev(${signIns.ipAddress})`, text: false },
  { value: sql`${signIns.city}`, text: true },
  { value: sql`${signIns.state}`, text: true },
  { value: sql`${signIns.countryOrRegion}`, text: true },
  { value: sql`${signIns.riskLevel}`, text: true },
  { value: sql`coalesce(${signIns.riskStatus}, 'active')`, text: true },
  { value: joined(sql`${signIns.riskEventTypes}`), text: true },
  { value: sql`case when ${signIns.errorCode} = 0 then 'success' else 'failure ' || ${signIns.errorCode} end`, text: false },
  { value: sql`${signIns.appDisplayName}`, text: true },
  { value: sql`${signIns.id}`, text: true },
  { value: MICROS, text: false },
  { value: sql`${signIns.userAgent}`, text: true },
  { value: sql`${signIns.correlationId}`, text: true },
  { value: sql`${signIns.appId}`, text: true },
  { value: sql`case when ${signIns.isInteractive} then 'true' when not ${signIns.isInteractive} then 'false' end`, text: false },
  { value: sql`${signIns.conditionalAccessStatus}`, text: true },
  { value: sql`${signIns.authenticationRequirement}`, text: true },
  { value: sql`${signIns.entraRiskLevelDuringSignIn}`, text: true },
  { value: sql`${signIns.entraRiskState}`, text: true },
  { value: joined(sql`${signIns.truncatedFields}`), text: true },
];

const line = (cell: (value: SQL, text: boolean) => SQL) => sql`concat_ws(',', ${sql.join(CSV_CELLS.map(({ value, text }) => cell(value, text)), sql`, `)})`;
// Whether any text value starts a formula or holds a quote, comma or line break: one regular
// expression over them all, joined by U+001F (one inside a value can only send its row the slow way).
const TEXTS = sql`concat_ws(E'\\x1f', ${sql.join(CSV_CELLS.filter((cell) => cell.text).map((cell) => cell.value), sql`, `)})`;
/** One CSV line: most rows need no cell escaped and are joined as they are, in half the time of escaping each cell. */
const CSV_LINE = sql`case when ${TEXTS} !~ '(^|\\x1f)[=+\\-@\\t\\r]|[",\\r\\n]' then ${line((value) => sql`coalesce(${value}, '')`)}
  else ${line((value, text) => (text ? csvCellSql(value) : sql`coalesce(${value}, '')`))} end`;

const order = (desc: boolean) => (desc ? sql`${signIns.createdDateTime} desc, ${signIns.id} desc` : sql`${signIns.createdDateTime} asc, ${signIns.id} asc`);
const LAST_KEY = sql`(extract(epoch from ${signIns.createdDateTime}) * 1000000)::bigint::text`;

/** The risky sign-ins download as CSV lines, each page one string ready to send. */
export function iterateRiskySignInsCsv(db: Queryable, tenantId: string, filters: ListFilters, batch = EXPORT_BATCH): AsyncGenerator<string> {
  return walkRiskySignIns(tenantId, filters, batch, async (from, desc) => {
    const [page] = await rows<{ text: string | null; count: number | string; key: string | null; id: string | null }>(
      db,
      sql`select string_agg(${CSV_LINE} || E'\\r\\n', '' order by ${order(desc)}) as text, count(*) as count,
        (array_agg(${LAST_KEY} order by ${order(!desc)}))[1] as key, (array_agg(${signIns.id} order by ${order(!desc)}))[1] as id
        from ${from} cross join lateral (select to_char(${signIns.createdDateTime} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as micros) as stamp`,
    );
    return { value: page.text ?? '', count: Number(page.count), last: page.key !== null && page.id !== null ? [page.key, page.id] : null };
  });
}

/** The ids of the risky sign-ins a download carries, a page at a time, in the list's order. */
export function iterateRiskySignInIds(db: Queryable, tenantId: string, filters: ListFilters, batch = EXPORT_BATCH): AsyncGenerator<string[]> {
  return walkRiskySignIns(tenantId, filters, batch, async (from, desc) => {
    const found = await rows<{ id: string; key: string }>(db, sql`select ${signIns.id} as id, ${LAST_KEY} as key from ${from} order by ${order(desc)}`);
    const last = found[found.length - 1];
    return { value: found.map((row) => row.id), count: found.length, last: last ? [last.key, last.id] : null };
  });
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
