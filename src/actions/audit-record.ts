import type { Queryable } from '../db/client.js';
import { auditLog } from '../db/schema.js';
import { currentClientAddress } from '../http/request-context.js';

/** Who made a change: an admin, an API key, or the system itself (detection, retention, the CLI). */
export type Actor =
  | { type: 'admin'; id: string; label: string }
  | { type: 'apiKey'; id: string; label: string }
  | { type: 'system'; label: string };

export function adminActor(admin: { id: string; email: string }): Actor {
  return { type: 'admin', id: admin.id, label: admin.email };
}

export const SYSTEM: Actor = { type: 'system', label: 'system' };
export const OPERATOR: Actor = { type: 'system', label: 'operator (command line)' };

export interface AuditRecord {
  tenantId: string;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** Writes audit entries; call it inside the transaction that makes the change. */
export async function recordAudit(db: Queryable, actor: Actor, records: AuditRecord[], at?: Date): Promise<void> {
  if (records.length === 0) return;
  const clientAddress = currentClientAddress();
  await db.insert(auditLog).values(
    records.map((record) => ({
      tenantId: record.tenantId,
      at,
      actorType: actor.type,
      actorId: actor.type === 'system' ? null : actor.id,
      actorLabel: actor.label,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      before: record.before ?? null,
      after: record.after ?? null,
      clientAddress,
    })),
  );
}
