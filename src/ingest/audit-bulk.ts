import { sql, type SQL } from 'drizzle-orm';
import type { Actor, AuditRecord } from '../actions/audit-record.js';
import { send, type Queryable } from '../db/client.js';
import { currentClientAddress } from '../http/request-context.js';
import { chunk, jsonParam } from './sql.js';

/**
 * An insert into audit_log of the entries a query answers (tenant_id, action, target_type, target_id,
 * before, after), made by `actor` at `at`: a statement can audit what it changed in the same round trip.
 */
export function auditInsert(actor: Actor, at: Date, entries: SQL): SQL {
  return sql`insert into audit_log (tenant_id, at, actor_type, actor_id, actor_label, action, target_type, target_id, before, after, client_address)
    select x.tenant_id, ${at.toISOString()}::timestamptz, ${actor.type}, ${actor.type === 'system' ? null : actor.id}, ${actor.label},
      x.action, x.target_type, x.target_id, x.before, x.after, ${currentClientAddress()}::inet
    from (${entries}) as x`;
}

/** recordAudit for thousands of entries at once: ingestion audits every event it creates. */
export async function recordAuditInBulk(db: Queryable, actor: Actor, records: AuditRecord[], at: Date): Promise<void> {
  for (const part of chunk(records, 5000)) {
    const payload = part.map((record) => ({
      tenant_id: record.tenantId,
      action: record.action,
      target_type: record.targetType,
      target_id: record.targetId,
      before: record.before ?? null,
      after: record.after ?? null,
    }));
    await send(db.execute(
      auditInsert(actor, at, sql`select * from json_to_recordset(${jsonParam(payload)}) as r(tenant_id uuid, action text, target_type text, target_id text, before jsonb, after jsonb)`),
    ));
  }
}
