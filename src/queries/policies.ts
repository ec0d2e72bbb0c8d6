import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import type { RiskLevel } from '../db/schema.js';
import { decide, getPolicy, levelsAtLeast, type Decision, type PolicyKind, type PolicyRule } from './api-policy.js';

// The risk policy pages: the saved policy, and the impact of a draft computed
// by the same `decide` the API answers with, over data read in bounded chunks.

const CHUNK = 1000;
const SAMPLE = 5;
export const SIGN_IN_PREVIEW_DAYS = 7;

export interface PolicyState extends PolicyRule {
  kind: PolicyKind;
  /** 0 while the tenant never saved this policy: saving then creates it. */
  version: number;
  updatedAt: Date | null;
}

export const DEFAULT_CONTROLS: Record<PolicyKind, PolicyRule['control']> = { userRisk: 'block', signInRisk: 'block' };

/** The tenant's policy of this kind, or the disabled default a new tenant starts with. */
export async function getPolicyState(db: Queryable, tenantId: string, kind: PolicyKind): Promise<PolicyState> {
  const saved = await getPolicy(db, tenantId, kind);
  if (saved) {
    const { tenantId: _, ...rest } = saved;
    return rest;
  }
  return { kind, enabled: false, includeAll: true, includeUpns: [], excludeUpns: [], threshold: 'high', control: DEFAULT_CONTROLS[kind], version: 0, updatedAt: null };
}

export interface MatchedUser {
  userId: string;
  userPrincipalName: string;
  displayName: string | null;
  riskLevel: RiskLevel;
  decision: Decision;
}

export interface UserRiskImpact {
  /** Users whose current risk the draft would refuse (block or require a password change). */
  users: number;
  sample: MatchedUser[];
}

const nameOf = (user: { displayName: string | null; userPrincipalName: string }) => (user.displayName || user.userPrincipalName).toLowerCase();

/** Keeps the first few by a key without holding every match. */
function keepFirst<T>(sample: T[], item: T, key: (item: T) => string, size = SAMPLE): void {
  sample.push(item);
  sample.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (sample.length > size) sample.pop();
}

/** How many users the draft matches now: every user with risk at or above its threshold, through `decide`. */
export async function previewUserRiskPolicy(db: Queryable, tenantId: string, rule: PolicyRule): Promise<UserRiskImpact> {
  const levels = levelsAtLeast(rule.threshold);
  const impact: UserRiskImpact = { users: 0, sample: [] };
  let after = '';
  for (;;) {
    const chunk = await rows<{ id: string; upn: string; display_name: string | null; risk_level: RiskLevel }>(
      db,
      sql`select id, user_principal_name as upn, display_name, risk_level from directory_users
          where tenant_id = ${tenantId}::uuid and risk_state <> 'none'
            and risk_level in (${sql.join(levels.map((level) => sql`${level}`), sql`, `)})
            and id > ${after}
          order by id limit ${CHUNK}`,
    );
    for (const row of chunk) {
      const decision = decide(rule, row.upn, row.risk_level);
      if (decision === 'allow') continue;
      impact.users++;
      keepFirst(impact.sample, { userId: row.id, userPrincipalName: row.upn, displayName: row.display_name, riskLevel: row.risk_level, decision }, nameOf);
    }
    if (chunk.length < CHUNK) return impact;
    after = chunk[chunk.length - 1].id;
  }
}

export interface SignInRiskImpact {
  /** Risky sign-ins of the last 7 days the draft would have blocked or challenged. */
  signIns: number;
  users: number;
  sample: MatchedUser[];
  since: Date;
}

/**
 * What the draft would have done to the last 7 days of sign-ins; a sign-in without risk is always
 * allowed. NULLS LAST matches sign_ins_risky_time_idx exactly, so each chunk walks that index.
 */
export async function previewSignInRiskPolicy(db: Queryable, tenantId: string, rule: PolicyRule, now: Date): Promise<SignInRiskImpact> {
  const since = new Date(now.getTime() - SIGN_IN_PREVIEW_DAYS * 86_400_000);
  const levels = levelsAtLeast(rule.threshold);
  const users = new Map<string, MatchedUser>();
  let signIns = 0;
  let cursor: { at: string; id: string } | null = null;
  for (;;) {
    const after: ReturnType<typeof sql> = cursor ? sql`and (created_date_time, id) < (${cursor.at}::timestamptz, ${cursor.id})` : sql``;
    const chunk: { id: string; at: string; user_id: string; upn: string; display_name: string | null; risk_level: RiskLevel }[] = await rows(
      db,
      sql`select id, created_date_time::text as at, user_id, user_principal_name as upn, user_display_name as display_name, risk_level
          from sign_ins
          where tenant_id = ${tenantId}::uuid and risk_level is not null and created_date_time >= ${since.toISOString()}::timestamptz
            and risk_level in (${sql.join(levels.map((level) => sql`${level}`), sql`, `)}) ${after}
          order by created_date_time desc nulls last, id desc nulls last limit ${CHUNK}`,
    );
    for (const row of chunk) {
      const decision = decide(rule, row.upn, row.risk_level);
      if (decision === 'allow') continue;
      signIns++;
      const seen = users.get(row.user_id);
      if (!seen || RANK_ORDER.indexOf(row.risk_level) > RANK_ORDER.indexOf(seen.riskLevel)) {
        users.set(row.user_id, { userId: row.user_id, userPrincipalName: row.upn, displayName: row.display_name, riskLevel: row.risk_level, decision });
      }
    }
    if (chunk.length < CHUNK) break;
    const last = chunk[chunk.length - 1];
    cursor = { at: last.at, id: last.id };
  }
  const sample: MatchedUser[] = [];
  for (const user of users.values()) keepFirst(sample, user, nameOf);
  return { signIns, users: users.size, sample, since };
}

const RANK_ORDER: RiskLevel[] = ['low', 'medium', 'high'];
