import { and, eq, getTableColumns, gte, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { riskEvents, type RiskEvent, type RiskState } from '../db/schema.js';
import type { ApiListParams } from '../http/api-list-params.js';
import { toGraphRiskDetection, type GraphRiskDetection } from './graph.js';
import { afterCursor, cursorSelect, orderByKeys, toPage, type Keyset, type Page } from './keyset.js';

// GET /api/v1/risk-detections: oldest detection first, so a client that follows nextLink to the end
// and later resumes with since= sees every event once; risk_events_detected_idx serves the order.

const KEYSET: Keyset = {
  name: 'api-risk-detections',
  keys: [
    { expr: sql`${riskEvents.detectedDateTime}`, kind: 'micros', desc: false, nulls: 'last' },
    { expr: sql`${riskEvents.id}`, kind: 'text', desc: false, nulls: 'last' },
  ],
};

/** Graph's riskState of an event (graph.ts graphRiskStateOf) as a condition on its status. */
function riskStateCondition(state: RiskState): SQL | undefined {
  const confirmed = eq(riskEvents.riskEventType, 'adminConfirmedUserCompromised');
  switch (state) {
    case 'atRisk':
      return and(eq(riskEvents.status, 'active'), ne(riskEvents.riskEventType, 'adminConfirmedUserCompromised'));
    case 'confirmedCompromised':
      return and(eq(riskEvents.status, 'active'), confirmed);
    case 'dismissed':
      return inArray(riskEvents.status, ['dismissedAsFixed', 'dismissedAsIgnore']);
    case 'confirmedSafe':
      return eq(riskEvents.status, 'dismissedAsFalsePositive');
    case 'remediated':
      return eq(riskEvents.status, 'remediated');
    case 'none':
      return sql`false`;
  }
}

export async function listApiRiskDetections(db: Queryable, tenantId: string, params: ApiListParams): Promise<Page<GraphRiskDetection>> {
  const fetched = await db
    .select({ ...getTableColumns(riskEvents), cursorKey: cursorSelect(KEYSET) })
    .from(riskEvents)
    .where(
      and(
        eq(riskEvents.tenantId, tenantId),
        params.since ? gte(riskEvents.detectedDateTime, params.since) : undefined,
        params.until ? lte(riskEvents.detectedDateTime, params.until) : undefined,
        params.riskEventType ? eq(riskEvents.riskEventType, params.riskEventType) : undefined,
        params.riskState ? riskStateCondition(params.riskState) : undefined,
        params.userPrincipalName ? sql`lower(${riskEvents.userPrincipalName}) = lower(${params.userPrincipalName})` : undefined,
        params.skipToken ? afterCursor(KEYSET, params.skipToken) : undefined,
      ),
    )
    .orderBy(orderByKeys(KEYSET))
    .limit(params.top + 1);
  const page = toPage(fetched, params.top, KEYSET);
  return { rows: page.rows.map((row: RiskEvent) => toGraphRiskDetection(row)), next: page.next };
}
