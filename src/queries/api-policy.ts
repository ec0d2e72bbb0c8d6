import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '../db/client.js';
import { builtOnce } from '../db/prepared.js';
import { apiKeys, directoryUsers, policies, type RiskLevel, type RiskState } from '../db/schema.js';

// The decisions of the risk policies (docs/api.md, GET /api/v1/risk/users/:upn). The API, the evaluate path, the user
// blade and the policy pages' impact preview all ask `decide`, so a preview cannot drift from the API.

export type Policy = typeof policies.$inferSelect;
export type PolicyKind = Policy['kind'];
export type Decision = 'allow' | Policy['control'];
/** What a decision reads of a policy: a saved row or an unsaved draft. */
export type PolicyRule = Pick<Policy, 'enabled' | 'includeAll' | 'includeUpns' | 'excludeUpns' | 'threshold' | 'control'>;

const RANK: Record<RiskLevel | 'none', number> = { none: 0, low: 1, medium: 2, high: 3 };

/** A read by the tenant's id, or by an API key's id for a read sent beside the key's validation (GET /api/v1/risk/users/:upn). */
const BY_TENANT = sql`${sql.placeholder('tenantId')}`;
const BY_KEY = sql`(select ${apiKeys.tenantId} from ${apiKeys} where ${apiKeys.id} = ${sql.placeholder('keyId')})`;

const policySelect = (db: Db, tenant: SQL) =>
  db
    .select()
    .from(policies)
    .where(and(eq(policies.tenantId, tenant), eq(policies.kind, sql.placeholder('kind'))));
const policyQuery = builtOnce((db) => policySelect(db, BY_TENANT).prepare('policy'));
const policyOfKeyQuery = builtOnce((db) => policySelect(db, BY_KEY).prepare('policy_of_key'));

export async function getPolicy(db: Queryable, tenantId: string, kind: PolicyKind): Promise<Policy | null> {
  const [policy] = await policyQuery(db).execute({ tenantId, kind });
  return policy ?? null;
}

/** allow, unless an enabled policy includes the user (and does not exclude them) and the level reaches its threshold. */
export function decide(policy: PolicyRule | null, userPrincipalName: string, level: RiskLevel | 'none'): Decision {
  if (!policy || !policy.enabled) return 'allow';
  const upn = userPrincipalName.toLowerCase();
  const listed = (upns: string[]) => upns.some((entry) => entry.toLowerCase() === upn);
  const included = (policy.includeAll || listed(policy.includeUpns)) && !listed(policy.excludeUpns);
  if (!included || level === 'none' || RANK[level] < RANK[policy.threshold]) return 'allow';
  return policy.control;
}

/** The levels that reach a threshold, for reads that need only candidates the decision could refuse. */
export function levelsAtLeast(threshold: RiskLevel): RiskLevel[] {
  return (['low', 'medium', 'high'] as const).filter((level) => RANK[level] >= RANK[threshold]);
}

export interface UserRiskAnswer {
  userPrincipalName: string;
  riskLevel: RiskLevel | 'none';
  riskState: RiskState;
  decision: Decision;
}

const userRiskSelect = (db: Db, tenant: SQL) =>
  db
    .select({ userPrincipalName: directoryUsers.userPrincipalName, riskLevel: directoryUsers.riskLevel, riskState: directoryUsers.riskState })
    .from(directoryUsers)
    .where(and(eq(directoryUsers.tenantId, tenant), sql`lower(${directoryUsers.userPrincipalName}) = lower(${sql.placeholder('upn')})`))
    .limit(1);
const userRiskQuery = builtOnce((db) => userRiskSelect(db, BY_TENANT).prepare('user_risk'));
const userRiskOfKeyQuery = builtOnce((db) => userRiskSelect(db, BY_KEY).prepare('user_risk_of_key'));

/** A user's risk and the user risk policy's decision; an unknown user has no risk and is allowed. */
export async function getUserRiskDecision(db: Queryable, tenantId: string, userPrincipalName: string): Promise<UserRiskAnswer> {
  // Both reads go out together: one round trip.
  const [[user], policy] = await Promise.all([userRiskQuery(db).execute({ tenantId, upn: userPrincipalName }), getPolicy(db, tenantId, 'userRisk')]);
  return decisionOf(user, policy ?? null, userPrincipalName);
}

/**
 * getUserRiskDecision for the tenant of an API key, to send beside the key's validation: the
 * caller uses the answer only once the key is valid. The key's tenant never changes, so both reads
 * name the same tenant.
 */
export async function getUserRiskDecisionOfKey(db: Queryable, keyId: string, userPrincipalName: string): Promise<UserRiskAnswer> {
  const [[user], [policy]] = await Promise.all([
    userRiskOfKeyQuery(db).execute({ keyId, upn: userPrincipalName }),
    policyOfKeyQuery(db).execute({ keyId, kind: 'userRisk' }),
  ]);
  return decisionOf(user, policy ?? null, userPrincipalName);
}

function decisionOf(user: Omit<UserRiskAnswer, 'decision'> | undefined, policy: Policy | null, userPrincipalName: string): UserRiskAnswer {
  const found = user ?? { userPrincipalName, riskLevel: 'none' as const, riskState: 'none' as const };
  return { ...found, decision: decide(policy, found.userPrincipalName, found.riskLevel) };
}
