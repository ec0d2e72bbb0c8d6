import { and, asc, eq, gte } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { riskEvents, type RiskEvent } from '../db/schema.js';

export async function listRiskEventsDetectedSince(db: Queryable, tenantId: string, since: Date | null): Promise<RiskEvent[]> {
  return db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId), since ? gte(riskEvents.detectedDateTime, since) : undefined))
    .orderBy(asc(riskEvents.detectedDateTime), asc(riskEvents.activityDateTime), asc(riskEvents.id));
}
