import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { riskEvents, signIns, type RiskEvent, type RiskLevel } from '../db/schema.js';
import { type ListFilters, type ListSpec } from '../http/list-filters.js';
import { afterValues, orderByKeys, textArray, throughValues } from './keyset.js';
import { levelsInSortOrder, riskySignInConditions, RISKY_SIGN_INS_SPEC, signInKeyset } from './risky-sign-ins.js';

/** Downloads take the list's filters, but neither a cursor nor a limit: they carry every matching row. */
export const RISKY_SIGN_INS_EXPORT_SPEC: ListSpec = {
  params: RISKY_SIGN_INS_SPEC.params.filter((param) => param !== 'cursor' && param !== 'limit'),
  sorts: RISKY_SIGN_INS_SPEC.sorts,
};

export const EXPORT_BATCH = 2000;

/**
 * How many pages are built at once: two keep both of PostgreSQL's cores (on the 2-core machine the
 * benchmark runs on) busy building lines while Node writes out the page before them. Each page in
 * flight is a query on a connection of the pool and, once read, one string of about 1 MB at most.
 */
export const EXPORT_PAGES_AHEAD = 2;

// The (time, id) key of a row, as the keyset helpers take it: microseconds since the epoch, and the id.
const ROW_KEY = sql`(extract(epoch from ${signIns.createdDateTime}) * 1000000)::bigint::text`;

/**
 * Every matching risky sign-in in the list's order, a keyset page at a time. Where each page ends is
 * found first, by a cheap walk of the (time, id) index that reads only the key of the batch-th row
 * after the last page's end; the page itself (its CSV lines, or its ids) is then built by its own
 * short query between those two keys. So the next pages are built while this one is written out, on
 * other connections of the pool, and a long download neither holds PGlite's single connection nor
 * keeps more than EXPORT_PAGES_AHEAD + 1 pages in memory. A page holds every row between its two keys,
 * even one written after its end was found: pages meet exactly, so no row is lost or repeated. Sorted
 * by level, it is one walk of the (level, time, id) index per level.
 */
async function* walkRiskySignIns<T>(db: Queryable, tenantId: string, filters: ListFilters, batch: number, build: (from: SQL, desc: boolean) => Promise<T | null>): AsyncGenerator<T> {
  const desc = filters.sort.startsWith('-');
  const keyset = signInKeyset(desc ? '-time' : 'time');
  const levels: (RiskLevel | null)[] = filters.sort.endsWith('level') ? levelsInSortOrder(filters) : [null];
  const where = riskySignInConditions(tenantId, filters);
  const within = (level: RiskLevel | null, after: readonly string[] | null, through: readonly string[] | null) => {
    const conditions = [where];
    if (level) conditions.push(sql`${signIns.riskLevel} = ${level}`);
    if (after) conditions.push(afterValues(keyset, after));
    if (through) conditions.push(throughValues(keyset, through));
    return sql.join(conditions, sql` and `);
  };
  // The key of the batch-th row after `after`, or null when fewer rows are left: the last page.
  const endOfPage = async (level: RiskLevel | null, after: readonly string[] | null): Promise<string[] | null> => {
    const [end] = await rows<{ key: string; id: string }>(
      db,
      sql`select ${ROW_KEY} as key, ${signIns.id} as id from ${signIns} where ${within(level, after, null)} order by ${orderByKeys(keyset)} offset ${batch - 1} limit 1`,
    );
    return end ? [end.key, end.id] : null;
  };
  const pages: Promise<T | null>[] = [];
  for (const level of levels) {
    let after: string[] | null = null;
    let more = true;
    while (more || pages.length > 0) {
      while (more && pages.length < EXPORT_PAGES_AHEAD) {
        const through: string[] | null = await endOfPage(level, after);
        const page = build(sql`(select * from ${signIns} where ${within(level, after, through)}) as ${signIns}`, desc);
        // A page built ahead can fail while an earlier one is written out, or after a download is cut
        // short, with no one awaiting it: unhandled, that rejection would end the process. The await
        // below still throws.
        page.catch(() => {});
        pages.push(page);
        after = through;
        more = through !== null;
      }
      const found = await pages.shift();
      if (found !== null && found !== undefined) yield found;
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

/** The risky sign-ins download as CSV lines, each page one string ready to send. */
export function iterateRiskySignInsCsv(db: Queryable, tenantId: string, filters: ListFilters, batch = EXPORT_BATCH): AsyncGenerator<string> {
  return walkRiskySignIns(db, tenantId, filters, batch, async (from, desc) => {
    const [page] = await rows<{ text: string | null }>(
      db,
      sql`select string_agg(${CSV_LINE} || E'\\r\\n', '' order by ${order(desc)}) as text
        from ${from} cross join lateral (select to_char(${signIns.createdDateTime} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as micros) as stamp`,
    );
    return page?.text || null;
  });
}

/** The ids of the risky sign-ins a download carries, a page at a time, in the list's order. */
export function iterateRiskySignInIds(db: Queryable, tenantId: string, filters: ListFilters, batch = EXPORT_BATCH): AsyncGenerator<string[]> {
  return walkRiskySignIns(db, tenantId, filters, batch, async (from, desc) => {
    const found = await rows<{ id: string }>(db, sql`select ${signIns.id} as id from ${from} order by ${order(desc)}`);
    return found.length > 0 ? found.map((row) => row.id) : null;
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
