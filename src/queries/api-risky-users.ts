import { and, eq, gte, isNotNull, lte, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { directoryUsers, type DirectoryUser } from '../db/schema.js';
import type { ApiListParams } from '../http/api-list-params.js';
import { afterCursor, cursorSelect, orderByKeys, toPage, type Keyset, type Page } from './keyset.js';

// GET /api/v1/risky-users: every user who ever had risk (riskState other than none), least
// recently changed first, as Graph riskyUser objects.

const KEYSET: Keyset = {
  name: 'api-risky-users',
  keys: [
    { expr: sql`${directoryUsers.riskLastUpdatedAt}`, kind: 'micros', desc: false, nulls: 'last' },
    { expr: sql`${directoryUsers.id}`, kind: 'text', desc: false, nulls: 'last' },
  ],
};

type RiskyUserRow = Pick<DirectoryUser, 'id' | 'userPrincipalName' | 'displayName' | 'riskLevel' | 'riskState' | 'riskDetail' | 'riskLastUpdatedAt'>;

/** A directory user as a Microsoft Graph riskyUser. */
export function toGraphRiskyUser(user: RiskyUserRow) {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    riskLevel: user.riskLevel,
    riskState: user.riskState,
    riskDetail: user.riskDetail,
    riskLastUpdatedDateTime: user.riskLastUpdatedAt?.toISOString() ?? null,
    isDeleted: false,
    isProcessing: false,
  };
}

export type GraphRiskyUser = ReturnType<typeof toGraphRiskyUser>;

export async function listApiRiskyUsers(db: Queryable, tenantId: string, params: ApiListParams): Promise<Page<GraphRiskyUser>> {
  const fetched = await db
    .select({
      id: directoryUsers.id,
      userPrincipalName: directoryUsers.userPrincipalName,
      displayName: directoryUsers.displayName,
      riskLevel: directoryUsers.riskLevel,
      riskState: directoryUsers.riskState,
      riskDetail: directoryUsers.riskDetail,
      riskLastUpdatedAt: directoryUsers.riskLastUpdatedAt,
      cursorKey: cursorSelect(KEYSET),
    })
    .from(directoryUsers)
    .where(
      and(
        eq(directoryUsers.tenantId, tenantId),
        ne(directoryUsers.riskState, 'none'),
        isNotNull(directoryUsers.riskLastUpdatedAt),
        params.since ? gte(directoryUsers.riskLastUpdatedAt, params.since) : undefined,
        params.until ? lte(directoryUsers.riskLastUpdatedAt, params.until) : undefined,
        params.riskState ? eq(directoryUsers.riskState, params.riskState) : undefined,
        params.userPrincipalName ? sql`lower(${directoryUsers.userPrincipalName}) = lower(${params.userPrincipalName})` : undefined,
        params.riskEventType
          ? sql`exists (select 1 from risk_events e where e.tenant_id = ${directoryUsers.tenantId} and e.user_id = ${directoryUsers.id} and e.risk_event_type = ${params.riskEventType})`
          : undefined,
        params.skipToken ? afterCursor(KEYSET, params.skipToken) : undefined,
      ),
    )
    .orderBy(orderByKeys(KEYSET))
    .limit(params.top + 1);
  const page = toPage(fetched, params.top, KEYSET);
  return { rows: page.rows.map(toGraphRiskyUser), next: page.next };
}
