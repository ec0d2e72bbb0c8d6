import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { auditLog, riskEvents } from '../db/schema.js';
import type { AuditFilters } from '../http/audit-filters.js';
import { RANGES } from '../http/list-filters.js';
import { afterCursor, boundedCount, cursorSelect, orderByKeys, toPage, type Keyset, type Page } from './keyset.js';

const DAY_MS = 86_400_000;

// The audit log, newest first, keyset pagination on (at, id). Unlike the reports it is not cut to
// the edition's retention.

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
