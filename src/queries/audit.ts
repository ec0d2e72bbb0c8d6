import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { auditLog, riskEvents } from '../db/schema.js';
import { FilterError, parsePeriodBound, PERIOD_BOUND_HINT, RANGES, type Range } from '../http/list-filters.js';

const DAY_MS = 86_400_000;
// PostgreSQL text cannot hold NUL (a query with one fails), and no label or id has control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;
import { afterCursor, boundedCount, cursorSelect, orderByKeys, toPage, type Keyset, type Page } from './keyset.js';

// The audit log as a list (PRODUCT.md section 5): filters actor, action, target and period, newest
// first, keyset pagination on (at, id). Unlike the reports it is not cut to the edition's retention.

export const AUDIT_PARAMS = ['actor', 'action', 'target', 'range', 'from', 'to', 'cursor', 'limit'] as const;
export type AuditParam = (typeof AUDIT_PARAMS)[number];

export interface AuditFilters {
  /** Prefix of the actor's label (an admin's email, an API key's name, "system"), case-insensitive. */
  actor: string | null;
  /** An action (riskEvent.falsePositive) or a family of them (riskEvent). */
  action: string | null;
  /** A target's id, exactly. */
  target: string | null;
  range: Range | null;
  from: Date | null;
  to: Date | null;
  cursor: string | null;
  limit: number;
}


function single(query: URLSearchParams, name: AuditParam): string | null {
  const values = query.getAll(name).map((v) => v.trim()).filter((v) => v !== '');
  if (values.length > 1) throw new FilterError(name, `${name} takes one value, got ${values.length}`);
  return values[0] ?? null;
}

function parseTime(name: 'from' | 'to', value: string | null): Date | null {
  if (value === null) return null;
  const time = parsePeriodBound(name, value);
  if (!time) throw new FilterError(name, `${name} must be ${PERIOD_BOUND_HINT}`);
  return time;
}

export function parseAuditFilters(query: URLSearchParams): AuditFilters {
  const actor = single(query, 'actor');
  if (actor !== null && (actor.length > 200 || CONTROL.test(actor))) throw new FilterError('actor', 'actor must be at most 200 characters, without control characters');
  const action = single(query, 'action');
  if (action !== null && !/^[A-Za-z0-9_.-]{1,100}$/.test(action)) throw new FilterError('action', 'action must be an action name such as riskEvent.falsePositive, or its first part such as riskEvent');
  const target = single(query, 'target');
  if (target !== null && (target.length > 200 || CONTROL.test(target))) throw new FilterError('target', 'target must be at most 200 characters, without control characters');
  const range = single(query, 'range');
  if (range !== null && !(range in RANGES)) throw new FilterError('range', `range must be one of ${Object.keys(RANGES).join(', ')}`);
  const from = parseTime('from', single(query, 'from'));
  const to = parseTime('to', single(query, 'to'));
  if (from && to && from > to) throw new FilterError('from', 'from must be before to');
  const cursor = single(query, 'cursor');
  if (cursor !== null && cursor.length > 512) throw new FilterError('cursor', 'cursor is not one this list gave out');
  const limitText = single(query, 'limit');
  const limit = limitText === null ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : 0;
  if (limit < 1 || limit > 200) throw new FilterError('limit', 'limit must be a whole number from 1 to 200');
  return { actor, action, target, range: range as Range | null, from, to, cursor, limit };
}

/** The columns of an audit entry as the audit log and the blades' history show it. */
export const AUDIT_ENTRY_FIELDS = {
  id: auditLog.id,
  at: auditLog.at,
  actorType: auditLog.actorType,
  actorLabel: auditLog.actorLabel,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  before: auditLog.before,
  after: auditLog.after,
};

export const AUDIT_KEYSET: Keyset = {
  name: 'audit',
  keys: [
    { expr: sql`${auditLog.at}`, kind: 'micros', desc: true },
    { expr: sql`${auditLog.id}`, kind: 'int', desc: true },
  ],
};

function conditions(tenantId: string, filters: AuditFilters, now: Date): SQL {
  const where: SQL[] = [sql`${auditLog.tenantId} = ${tenantId}`];
  if (filters.actor) where.push(sql`lower(${auditLog.actorLabel}) like ${`${filters.actor.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (filters.action) where.push(sql`(${auditLog.action} = ${filters.action} or ${auditLog.action} like ${`${filters.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`})`);
  if (filters.target) where.push(sql`${auditLog.targetId} = ${filters.target}`);
  const from = filters.from ?? (filters.range && !filters.to ? new Date(now.getTime() - RANGES[filters.range] * DAY_MS) : null);
  if (from) where.push(sql`${auditLog.at} >= ${from.toISOString()}::timestamptz`);
  if (filters.to) where.push(sql`${auditLog.at} <= ${filters.to.toISOString()}::timestamptz`);
  return sql.join(where, sql` and `);
}

export interface AuditListRow {
  id: number;
  at: Date;
  actorType: 'admin' | 'apiKey' | 'system';
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  /** For a risk event still stored: its type, which its blade's URL needs. */
  riskEventType: string | null;
}

/** One page of the tenant's audit log, newest first, with a bounded total. */
export async function listAuditEntries(db: Queryable, tenantId: string, filters: AuditFilters, now: Date): Promise<Page<AuditListRow> & { total: { count: number; more: boolean } }> {
  const where = conditions(tenantId, filters, now);
  const paged = filters.cursor ? sql`${where} and ${afterCursor(AUDIT_KEYSET, filters.cursor)}` : where;
  const [fetched, total] = await Promise.all([
    db
      .select({
        ...AUDIT_ENTRY_FIELDS,
        riskEventType: sql<string | null>`${riskEvents.riskEventType}`,
        cursorKey: cursorSelect(AUDIT_KEYSET),
      })
      .from(auditLog)
      .leftJoin(riskEvents, sql`${auditLog.targetType} = 'riskEvent' and ${riskEvents.tenantId} = ${auditLog.tenantId} and ${riskEvents.id} = ${auditLog.targetId}`)
      .where(paged)
      .orderBy(orderByKeys(AUDIT_KEYSET))
      .limit(filters.limit + 1),
    boundedCount(db, sql`${auditLog}`, where),
  ]);
  return { ...toPage(fetched, filters.limit, AUDIT_KEYSET), total };
}
