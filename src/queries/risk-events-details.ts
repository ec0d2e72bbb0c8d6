import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { auditLog, signIns, type Edition, type RiskEvent, type RiskEventType, type SignIn } from '../db/schema.js';
import { AUDIT_ENTRY_FIELDS } from './audit.js';
import { getRiskEvent } from './risk-events.js';
import { listShownSignInIds, previousSignInIds } from './sign-ins.js';

export type HistoryEntry = Pick<typeof auditLog.$inferSelect, 'id' | 'at' | 'actorType' | 'actorLabel' | 'action' | 'targetType' | 'targetId' | 'before' | 'after'>;

export const HISTORY_LIMIT = 50;

/** The audit entries of one target, newest first, on the (tenant, target type, target id, at) index. */
export function listTargetHistory(db: Queryable, tenantId: string, targetType: string, targetId: string): Promise<HistoryEntry[]> {
  return db
    .select(AUDIT_ENTRY_FIELDS)
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(HISTORY_LIMIT);
}

/** A user's history: entries about the user and about any of their risk events, newest first. */
export function listUserHistory(db: Queryable, tenantId: string, userId: string): Promise<HistoryEntry[]> {
  return db
    .select(AUDIT_ENTRY_FIELDS)
    .from(auditLog)
    .where(
      sql`${auditLog.tenantId} = ${tenantId} and ((${auditLog.targetType} = 'user' and ${auditLog.targetId} = ${userId})
        or (${auditLog.targetType} = 'riskEvent' and ${auditLog.targetId} in (select id from risk_events where tenant_id = ${tenantId} and user_id = ${userId})))`,
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(HISTORY_LIMIT);
}

export interface RiskEventDetails {
  event: RiskEvent;
  signIn: SignIn | null;
  /** Sign-ins the evidence names (the travel rule's previous sign-in) that are still stored, for links. */
  linkable: Set<string>;
  history: HistoryEntry[];
}

/** The details blade: the event, its sign-in if still stored, and its status history. */
export async function getRiskEventDetails(
  db: Queryable,
  tenantId: string,
  riskEventType: RiskEventType,
  eventId: string,
  context: { edition: Edition; now: Date },
): Promise<RiskEventDetails | null> {
  const event = await getRiskEvent(db, tenantId, riskEventType, eventId);
  if (!event) return null;
  const [signIn] = event.requestId ? await db.select().from(signIns).where(and(eq(signIns.tenantId, tenantId), eq(signIns.id, event.requestId))) : [];
  const [history, linkable] = await Promise.all([
    listTargetHistory(db, tenantId, 'riskEvent', eventId),
    listShownSignInIds(db, tenantId, [...previousSignInIds([event]), ...(event.requestId ? [event.requestId] : [])], context),
  ]);
  return { event, signIn: signIn ?? null, linkable, history };
}
