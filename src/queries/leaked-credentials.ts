import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import type { EventStatus } from '../db/schema.js';

export const LEAK_ENTRIES_PAGE = 100;
const RECENT_EVENTS = 50;

export interface LeakSummary {
  entries: number;
  usersMatched: number;
  events: number;
  activeEvents: number;
}

export interface LeakMatch {
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  eventId: string;
  status: EventStatus;
}

export interface LeakEntryRow {
  value: string;
  source: string;
  addedAt: Date;
  /** The users this entry matched: one leakedCredentials event each (its dedupe key is "userId:entry"). */
  matches: LeakMatch[];
}

export interface LeakEventRow extends LeakMatch {
  entry: string;
  detectedDateTime: Date;
}

/** Counts a security reader may see: how many entries, users matched and events raised. */
export async function getLeakSummary(db: Queryable, tenantId: string): Promise<LeakSummary> {
  const [summary] = await rows<Record<keyof LeakSummary, number | string>>(
    db,
    sql`select (select count(*) from leak_list_entries where tenant_id = ${tenantId}::uuid) as entries,
          count(distinct user_id) as "usersMatched", count(*) as events, count(*) filter (where status = 'active') as "activeEvents"
        from risk_events where tenant_id = ${tenantId}::uuid and risk_event_type = 'leakedCredentials'`,
  );
  return { entries: Number(summary.entries), usersMatched: Number(summary.usersMatched), events: Number(summary.events), activeEvents: Number(summary.activeEvents) };
}

/** One page of the tenant's leak entries in address order, after `cursor` (the last address of the page before). */
export async function listLeakEntries(db: Queryable, tenantId: string, cursor: string | null): Promise<{ entries: LeakEntryRow[]; next: string | null }> {
  const after = cursor === null ? sql`` : sql`and e.value > ${cursor}`;
  const found = await rows<Omit<LeakEntryRow, 'matches' | 'addedAt'> & { addedAt: Date | string; matches: LeakMatch[] | string }>(
    db,
    sql`select e.value, e.source, e.added_at as "addedAt",
          coalesce((select json_agg(json_build_object('userId', r.user_id, 'userPrincipalName', r.user_principal_name, 'userDisplayName', r.user_display_name,
                        'eventId', r.id, 'status', r.status) order by r.user_principal_name)
                    from risk_events r
                    where r.tenant_id = e.tenant_id and r.risk_event_type = 'leakedCredentials' and r.dedupe_key = r.user_id || ':' || e.value), '[]') as matches
        from leak_list_entries e
        where e.tenant_id = ${tenantId}::uuid ${after}
        order by e.value limit ${LEAK_ENTRIES_PAGE + 1}`,
  );
  const page = found.slice(0, LEAK_ENTRIES_PAGE).map((row) => ({
    ...row,
    addedAt: new Date(row.addedAt),
    matches: typeof row.matches === 'string' ? (JSON.parse(row.matches) as LeakMatch[]) : row.matches,
  }));
  return { entries: page, next: found.length > LEAK_ENTRIES_PAGE ? page[page.length - 1].value : null };
}

export function listLeakEvents(db: Queryable, tenantId: string): Promise<LeakEventRow[]> {
  return rows<LeakEventRow>(
    db,
    sql`select id as "eventId", user_id as "userId", user_principal_name as "userPrincipalName", user_display_name as "userDisplayName", status,
          substr(dedupe_key, length(user_id) + 2) as entry, detected_date_time as "detectedDateTime"
        from risk_events where tenant_id = ${tenantId}::uuid and risk_event_type = 'leakedCredentials'
        order by activity_date_time desc, id desc limit ${RECENT_EVENTS}`,
  ).then((found) => found.map((row) => ({ ...row, detectedDateTime: new Date(row.detectedDateTime) })));
}
