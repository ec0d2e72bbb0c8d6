import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { builtOnce } from '../db/prepared.js';
import { riskEvents, type RiskLevel, type Tenant } from '../db/schema.js';
import { highestLevel } from '../detection/catalog.js';
import { ingestEvaluatedSignIn } from '../ingest/evaluate.js';
import type { SignInRecord } from '../ingest/types.js';
import { decide, getPolicy, getUserRiskDecision, type Decision } from '../queries/api-policy.js';
import { toGraphRiskDetection, type GraphRiskDetection } from '../queries/graph.js';
import type { Actor } from './audit-record.js';

// POST /api/v1/sign-ins/evaluate: an identity provider sends one sign-in while it happens; it is
// judged and stored in one transaction (ingest/evaluate.ts), and both policies decide on the result.

export interface Evaluation {
  signIn: { id: string };
  riskDetections: GraphRiskDetection[];
  riskLevel: RiskLevel | 'none';
  decision: { userRisk: Decision; signInRisk: Decision };
}

/** The events of one sign-in, as the answer lists them. */
const eventsOfSignIn = builtOnce((db) =>
  db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, sql.placeholder('tenantId')), eq(riskEvents.requestId, sql.placeholder('requestId'))))
    .orderBy(asc(riskEvents.riskEventType), asc(riskEvents.id))
    .prepare('events_of_sign_in'),
);

export async function evaluateSignIn(db: Db, tenant: Tenant, record: SignInRecord, actor: Actor, now: Date): Promise<Evaluation> {
  return db.transaction(async (tx) => {
    // The answer's reads, each sent at once, so ingestion pipelines them behind its own (ingest/evaluate.ts).
    // A repeated id is a duplicate to ingestion, so the events stored by the first call answer.
    const read = () =>
      Promise.all([
        eventsOfSignIn(tx).execute({ tenantId: tenant.id, requestId: record.id }),
        getUserRiskDecision(tx, tenant.id, record.userPrincipalName),
        getPolicy(tx, tenant.id, 'signInRisk'),
      ]);
    const {
      answer: [events, userRisk, signInPolicy],
    } = await ingestEvaluatedSignIn(tx, tenant, record, { now, actor }, read);
    const riskLevel = highestLevel(events.map((event) => event.riskLevel)) ?? 'none';
    return {
      signIn: { id: record.id },
      riskDetections: events.map(toGraphRiskDetection),
      riskLevel,
      decision: { userRisk: userRisk.decision, signInRisk: decide(signInPolicy, record.userPrincipalName, riskLevel) },
    };
  });
}
