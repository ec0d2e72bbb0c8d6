import type { Actor } from '../actions/audit-record.js';
import type { Queryable } from '../db/client.js';
import type { DirectoryUser, EvidenceItem, RiskEventType } from '../db/schema.js';
import { auditCreatedEvents, insertRiskEvents, userActivityEvent, type CreatedRiskEvent } from './events.js';
import { refreshUserRisk } from '../actions/rollups.js';

/**
 * Creates a user-activity risk event (e.g. adminConfirmedUserCompromised), audits it and updates the
 * user's risk, in the caller's transaction. `dedupeKey` makes it once per key: null when it exists.
 */
export async function createUserRiskEvent(
  db: Queryable,
  user: Pick<DirectoryUser, 'tenantId' | 'id' | 'userPrincipalName' | 'displayName'>,
  input: { riskEventType: RiskEventType; dedupeKey: string; evidence: EvidenceItem[] },
  actor: Actor,
  now = new Date(),
): Promise<CreatedRiskEvent | null> {
  const [created] = await insertRiskEvents(
    db,
    user.tenantId,
    [userActivityEvent(user, input, now)],
    now,
    null,
  );
  if (!created) return null;
  await auditCreatedEvents(db, user.tenantId, actor, [created], now);
  await refreshUserRisk(db, user.tenantId, [user.id], now, actor);
  return created;
}
