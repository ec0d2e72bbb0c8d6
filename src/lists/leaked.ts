import { sql } from 'drizzle-orm';
import { recordAudit, SYSTEM, type Actor } from '../actions/audit-record.js';
import { ActionError } from '../actions/errors.js';
import { rows, type Db } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { auditCreatedEvents } from '../ingest/events.js';
import { lockTenantForIngestion } from '../ingest/locks.js';
import { refreshUserRisk } from '../actions/rollups.js';
import { chunk, jsonParam } from '../ingest/sql.js';
import { detectLeakedCredentials, type LeakUser } from '../ingest/leaked-events.js';

export interface LeakImportResult {
  entries: number;
  added: number;
  removed: number;
  riskDetections: number;
}

/**
 * Imports a tenant's leak list and judges the existing users against it at once (leakedCredentials,
 * once per user per entry); entries that match no user stay for users who appear later.
 */
export async function importLeakedCredentials(
  db: Db,
  tenant: Tenant,
  input: { entries: string[]; source?: string; replace?: boolean },
  actor: Actor,
  now = new Date(),
): Promise<LeakImportResult> {
  const entries = [...new Set(input.entries.map((entry) => entry.trim().toLowerCase()).filter(Boolean))];
  const source = input.source?.trim() || 'leaked credentials';
  return db.transaction(async (tx) => {
    await lockTenantForIngestion(tx, tenant.id);
    const removed = input.replace ? (await rows(tx, sql`delete from leak_list_entries where tenant_id = ${tenant.id}::uuid returning 1`)).length : 0;
    let added = 0;
    const matched: LeakUser[] = [];
    for (const part of chunk(entries, 10_000)) {
      added += (
        await rows(
          tx,
          sql`insert into leak_list_entries (tenant_id, value, source)
              select ${tenant.id}::uuid, value, ${source} from json_array_elements_text(${jsonParam(part)})
              on conflict do nothing returning 1`,
        )
      ).length;
      matched.push(
        ...(await rows<LeakUser>(
          tx,
          sql`select id, user_principal_name as "userPrincipalName", mail, display_name as "displayName" from directory_users
              where tenant_id = ${tenant.id}::uuid and (lower(user_principal_name) in (select json_array_elements_text(${jsonParam(part)}))
                or lower(mail) in (select json_array_elements_text(${jsonParam(part)})))`,
        )),
      );
    }
    const unique = [...new Map(matched.map((user) => [user.id, user])).values()];
    const created = await detectLeakedCredentials(tx, tenant.id, unique, now, { audit: null });
    await recordAudit(tx, actor, [
      { tenantId: tenant.id, action: 'leakList.import', targetType: 'leakList', targetId: source, after: { added, removed, replace: !!input.replace } },
    ]);
    await auditCreatedEvents(tx, tenant.id, SYSTEM, created, now);
    await refreshUserRisk(tx, tenant.id, created.map((event) => event.userId), now, SYSTEM);
    return { entries: entries.length, added, removed, riskDetections: created.length };
  });
}

/** Removes leak entries of the tenant; the events they raised stay (an event is history and has its own status). */
export async function removeLeakEntries(db: Db, tenant: Tenant, values: string[], actor: Actor, now = new Date()): Promise<{ removed: number }> {
  const wanted = [...new Set(values.map((value) => value.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) throw new ActionError(400, 'entry: choose at least one entry to remove');
  return db.transaction(async (tx) => {
    const removed = await rows<{ value: string; source: string }>(
      tx,
      sql`delete from leak_list_entries where tenant_id = ${tenant.id}::uuid and value in (select json_array_elements_text(${jsonParam(wanted)})) returning value, source`,
    );
    if (removed.length === 0) throw new ActionError(404, 'There is no such leak list entry.');
    await recordAudit(
      tx,
      actor,
      removed.map((entry) => ({ tenantId: tenant.id, action: 'leakList.remove', targetType: 'leakListEntry', targetId: entry.value, before: { source: entry.source } })),
      now,
    );
    return { removed: removed.length };
  });
}
