import { and, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { directoryUsers, riskEvents, type DirectoryUser, type Edition, type RiskEvent } from '../db/schema.js';
import { parseListFilters } from '../http/list-filters.js';
import { decide, getPolicy, type Decision } from './api-policy.js';
import type { Page } from './keyset.js';
import { listUserHistory, type HistoryEntry } from './risk-events-details.js';
import { listRiskySignIns, RISKY_SIGN_INS_SPEC, type RiskySignInListRow } from './risky-sign-ins.js';

const BLADE_ROWS = 20;

export async function getDirectoryUser(db: Queryable, tenantId: string, userId: string): Promise<DirectoryUser | null> {
  const [user] = await db.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenantId), eq(directoryUsers.id, userId)));
  return user ?? null;
}

/** The user's active risk events, newest first: what the admin should investigate. */
export function listActiveEventsOfUser(db: Queryable, tenantId: string, userId: string, limit = 100): Promise<RiskEvent[]> {
  return db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.userId, userId), eq(riskEvents.status, 'active')))
    .orderBy(desc(riskEvents.activityDateTime), desc(riskEvents.id))
    .limit(limit);
}

export interface UserBlade {
  user: DirectoryUser;
  activeEvents: RiskEvent[];
  /** The newest risky sign-ins of the user within the edition's retention. */
  riskySignIns: Page<RiskySignInListRow>;
  history: HistoryEntry[];
  /** What the user risk policy answers for this user now, as the API would. */
  policyDecision: Decision;
}

/** Everything the user blade shows, or null when the tenant has no such user. */
export async function getUserBlade(db: Queryable, tenantId: string, userId: string, context: { edition: Edition; now: Date }): Promise<UserBlade | null> {
  const filters = parseListFilters(new URLSearchParams({ userId, limit: String(BLADE_ROWS) }), RISKY_SIGN_INS_SPEC, context);
  // All five reads at once, the user's among them: one round trip instead of two. For an unknown
  // user the other four find nothing of the tenant's and are thrown away.
  const [user, activeEvents, riskySignIns, history, policy] = await Promise.all([
    getDirectoryUser(db, tenantId, userId),
    listActiveEventsOfUser(db, tenantId, userId),
    listRiskySignIns(db, tenantId, filters),
    listUserHistory(db, tenantId, userId),
    getPolicy(db, tenantId, 'userRisk'),
  ]);
  if (!user) return null;
  return { user, activeEvents, riskySignIns, history, policyDecision: decide(policy, user.userPrincipalName, user.riskLevel) };
}
