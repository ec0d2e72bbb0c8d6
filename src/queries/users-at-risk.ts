import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { directoryUsers, type RiskLevel, type RiskState } from '../db/schema.js';
import { levelsAtLeast, type ListFilters, type ListSpec } from '../http/list-filters.js';
import { afterCursor, boundedCount, cursorSelect, orderByKeys, toPage, type Keyset, type Page } from './keyset.js';
import { userPrefix } from './risky-sign-ins.js';

export const USERS_AT_RISK_SPEC: ListSpec = {
  params: ['level', 'state', 'user', 'userId', 'sort', 'cursor', 'limit'],
  // Highest risk first, then the most recent change: the users to look at come first.
  sorts: ['-level', 'level', '-time', 'time'],
};

export interface UserAtRiskRow {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  riskLevel: RiskLevel | 'none';
  riskState: RiskState;
  riskLastUpdatedAt: Date;
  activeEventCount: number;
}

const LEVEL_RANK = sql`(case ${directoryUsers.riskLevel} when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end)`;

// "Last updated" runs one way and the id the other, as in directory_users_risk_idx, so the index
// serves both directions.
function usersKeyset(sort: ListFilters['sort']): Keyset {
  const desc = sort.startsWith('-');
  const time = { expr: sql`${directoryUsers.riskLastUpdatedAt}`, kind: 'micros', desc } as const;
  // The index stores the id ascending (NULLS LAST), so it runs the other way round from the time.
  const id = { expr: sql`${directoryUsers.id}`, kind: 'text', desc: !desc, nulls: desc ? 'last' : 'first' } as const;
  if (sort.endsWith('level')) return { name: sort, keys: [{ expr: LEVEL_RANK, kind: 'int', desc }, time, id] };
  return { name: sort, keys: [time, id] };
}

/** Users flagged for risk: any state but none, ever updated. */
export function usersAtRiskConditions(tenantId: string, filters: ListFilters): SQL {
  const conditions: SQL[] = [
    sql`${directoryUsers.tenantId} = ${tenantId}`,
    sql`${directoryUsers.riskState} <> 'none'`,
    sql`${directoryUsers.riskLastUpdatedAt} is not null`,
  ];
  if (filters.level) conditions.push(sql`${directoryUsers.riskLevel} in (${sql.join(levelsAtLeast(filters.level).map((l) => sql`${l}`), sql`, `)})`);
  if (filters.states.length > 0) conditions.push(sql`${directoryUsers.riskState} in (${sql.join(filters.states.map((s) => sql`${s}`), sql`, `)})`);
  if (filters.user) conditions.push(userPrefix(sql`${directoryUsers.userPrincipalName}`, sql`${directoryUsers.displayName}`, filters.user));
  if (filters.userId) conditions.push(sql`${directoryUsers.id} = ${filters.userId}`);
  return sql.join(conditions, sql` and `);
}

export async function listUsersAtRisk(db: Queryable, tenantId: string, filters: ListFilters): Promise<Page<UserAtRiskRow>> {
  const keyset = usersKeyset(filters.sort);
  const where = usersAtRiskConditions(tenantId, filters);
  const fetched = await db
    .select({
      id: directoryUsers.id,
      userPrincipalName: directoryUsers.userPrincipalName,
      displayName: directoryUsers.displayName,
      riskLevel: directoryUsers.riskLevel,
      riskState: directoryUsers.riskState,
      riskLastUpdatedAt: sql<Date>`${directoryUsers.riskLastUpdatedAt}`.mapWith(directoryUsers.riskLastUpdatedAt),
      activeEventCount: directoryUsers.activeEventCount,
      cursorKey: cursorSelect(keyset),
    })
    .from(directoryUsers)
    .where(filters.cursor ? sql`${where} and ${afterCursor(keyset, filters.cursor)}` : where)
    .orderBy(orderByKeys(keyset))
    .limit(filters.limit + 1);
  return toPage(fetched, filters.limit, keyset);
}

async function hasUsersAtRisk(db: Queryable, tenantId: string): Promise<boolean> {
  const found = await db
    .select({ one: sql<number>`1` })
    .from(directoryUsers)
    .where(and(eq(directoryUsers.tenantId, tenantId), sql`${directoryUsers.riskState} <> 'none'`))
    .limit(1);
  return found.length > 0;
}

export async function getUsersAtRiskPage(db: Queryable, tenantId: string, filters: ListFilters) {
  const [page, total] = await Promise.all([listUsersAtRisk(db, tenantId, filters), boundedCount(db, sql`${directoryUsers}`, usersAtRiskConditions(tenantId, filters))]);
  const anyAtAll = page.rows.length > 0 || (await hasUsersAtRisk(db, tenantId));
  return { ...page, total, anyAtAll };
}
