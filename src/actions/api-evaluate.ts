import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { riskEvents, type RiskLevel, type Tenant } from '../db/schema.js';
import { highestLevel } from '../detection/catalog.js';
import { ingestSignIns } from '../ingest/ingest.js';
import type { SignInRecord } from '../ingest/types.js';
import { decide, getPolicy, getUserRiskDecision, type Decision } from '../queries/api-policy.js';
import { toGraphRiskDetection, type GraphRiskDetection } from '../queries/graph.js';
import type { Actor } from './audit-record.js';

// POST /api/v1/sign-ins/evaluate: an identity provider sends one sign-in while it happens; it is
// judged and stored as a batch of one, and both policies decide on the result.

export interface Evaluation {
  signIn: { id: string };
  riskDetections: GraphRiskDetection[];
  riskLevel: RiskLevel | 'none';
  decision: { userRisk: Decision; signInRisk: Decision };
}

export async function evaluateSignIn(db: Db, tenant: Tenant, record: SignInRecord, actor: Actor, now: Date): Promise<Evaluation> {
  // A repeated id is a duplicate to ingestion, so the stored events of the first call answer.
  await ingestSignIns(db, tenant, [record], { now, actor });
  const events = await db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenant.id), eq(riskEvents.requestId, record.id)))
    .orderBy(asc(riskEvents.riskEventType), asc(riskEvents.id));
  const riskLevel = highestLevel(events.map((event) => event.riskLevel)) ?? 'none';
  const userRisk = await getUserRiskDecision(db, tenant.id, record.userPrincipalName);
  const signInPolicy = await getPolicy(db, tenant.id, 'signInRisk');
  return {
    signIn: { id: record.id },
    riskDetections: events.map(toGraphRiskDetection),
    riskLevel,
    decision: { userRisk: userRisk.decision, signInRisk: decide(signInPolicy, record.userPrincipalName, riskLevel) },
  };
}
