import { sql } from 'drizzle-orm';
import type { Actor } from '../actions/audit.js';
import { rows, type Queryable } from '../db/client.js';
import { recordAuditInBulk } from './audit-bulk.js';
import { jsonParam } from './sql.js';

interface UserRisk {
  riskLevel: string;
  riskState: string;
  activeEventCount: number;
}

/**
 * Recomputes users' risk from their active events (PRODUCT.md section 4): level = highest active
 * level, state confirmedCompromised / atRisk while events are active, else the state the closing
 * action left; bumps version and riskLastUpdatedDateTime, and audits before -> after.
 */
export async function refreshUserRisk(db: Queryable, tenantId: string, userIds: string[], now: Date, actor: Actor): Promise<void> {
  if (userIds.length === 0) return;
  const changes = await rows<{ id: string; before: UserRisk; after: UserRisk }>(
    db,
    sql`with wanted as (select value as id from json_array_elements_text(${jsonParam([...new Set(userIds)])})),
        before as (
          select u.id, u.risk_level, u.risk_state, u.active_event_count from directory_users u join wanted w on w.id = u.id
          where u.tenant_id = ${tenantId}::uuid
        ),
        stats as (
          select w.id,
            count(e.id)::int as active,
            max(case e.risk_level when 'low' then 1 when 'medium' then 2 when 'high' then 3 end) as rank,
            coalesce(bool_or(e.risk_event_type = 'adminConfirmedUserCompromised'), false) as compromised
          from wanted w left join risk_events e on e.tenant_id = ${tenantId}::uuid and e.user_id = w.id and e.status = 'active'
          group by w.id
        ),
        updated as (
          update directory_users u set
            active_event_count = s.active,
            risk_level = case s.rank when 3 then 'high' when 2 then 'medium' when 1 then 'low' else 'none' end,
            risk_state = case when s.compromised then 'confirmedCompromised' when s.active > 0 then 'atRisk' else u.risk_state end,
            risk_detail = case when s.compromised then 'adminConfirmedUserCompromised' when s.active > 0 then 'none' else u.risk_detail end,
            risk_last_updated_at = ${now.toISOString()}::timestamptz,
            version = u.version + 1
          from stats s where u.tenant_id = ${tenantId}::uuid and u.id = s.id
          returning u.id, u.risk_level, u.risk_state, u.active_event_count
        )
        select b.id,
          json_build_object('riskLevel', b.risk_level, 'riskState', b.risk_state, 'activeEventCount', b.active_event_count) as before,
          json_build_object('riskLevel', a.risk_level, 'riskState', a.risk_state, 'activeEventCount', a.active_event_count) as after
        from before b join updated a on a.id = b.id`,
  );
  await recordAuditInBulk(
    db,
    actor,
    changes.map((change) => ({
      tenantId,
      action: 'user.riskUpdated',
      targetType: 'user',
      targetId: change.id,
      before: parseJson(change.before),
      after: parseJson(change.after),
    })),
    now,
  );
}

/** json columns come back parsed from one driver and as text from the other. */
export function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
