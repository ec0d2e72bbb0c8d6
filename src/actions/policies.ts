import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { policies, RISK_LEVELS, type RiskLevel } from '../db/schema.js';
import type { PolicyKind, PolicyRule } from '../queries/api-policy.js';
import { getPolicyState, type PolicyState } from '../queries/policies.js';
import { recordAudit, type Actor } from './audit-record.js';
import { ActionError } from './errors.js';

// Saving a risk policy (docs/api.md, Decisions): validated whole, written with its audit entry in one
// transaction, and only over the version the form was loaded with.

export const POLICY_CONTROLS: Record<PolicyKind, readonly PolicyRule['control'][]> = {
  userRisk: ['block', 'requirePasswordChange'],
  signInRisk: ['block', 'requireMfa'],
};

const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_UPNS = 1000;

export interface PolicyDraftForm {
  enabled: boolean;
  include: string;
  includeUpns: string;
  excludeUpns: string;
  threshold: string;
  control: string;
}

/** One UPN a line; blank lines are ignored, case and duplicates folded. The error names the field and the line. */
function parseUpns(name: string, text: string): string[] {
  const upns: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const upn = line.trim();
    if (upn === '') continue;
    if (upn.length > 320 || !UPN.test(upn)) {
      throw new ActionError(400, `${name} line ${index + 1}: "${upn.slice(0, 100)}" is not a user principal name (name@domain)`);
    }
    const folded = upn.toLowerCase();
    if (!upns.includes(folded)) upns.push(folded);
  }
  if (upns.length > MAX_UPNS) throw new ActionError(400, `${name} lists ${upns.length} users; at most ${MAX_UPNS}`);
  return upns;
}

export function parsePolicyDraft(kind: PolicyKind, form: PolicyDraftForm): PolicyRule {
  if (form.include !== 'all' && form.include !== 'listed') throw new ActionError(400, 'include must be "all" or "listed"');
  if (!(RISK_LEVELS as readonly string[]).includes(form.threshold)) throw new ActionError(400, `threshold must be one of ${RISK_LEVELS.join(', ')}`);
  const controls = POLICY_CONTROLS[kind];
  if (!(controls as readonly string[]).includes(form.control)) throw new ActionError(400, `control must be one of ${controls.join(', ')}`);
  const includeUpns = parseUpns('includeUpns', form.includeUpns);
  const excludeUpns = parseUpns('excludeUpns', form.excludeUpns);
  const includeAll = form.include === 'all';
  if (!includeAll && includeUpns.length === 0) throw new ActionError(400, 'includeUpns: list at least one user, or include all users');
  return {
    enabled: form.enabled,
    includeAll,
    includeUpns: includeAll ? [] : includeUpns,
    excludeUpns,
    threshold: form.threshold as RiskLevel,
    control: form.control as PolicyRule['control'],
  };
}

const ruleOf = ({ enabled, includeAll, includeUpns, excludeUpns, threshold, control }: PolicyRule): PolicyRule => ({
  enabled,
  includeAll,
  includeUpns,
  excludeUpns,
  threshold,
  control,
});

/** Writes the policy over `version` (0: the tenant never saved one); a stale version is 409. */
export async function savePolicy(
  db: Db,
  input: { tenantId: string; kind: PolicyKind; rule: PolicyRule; version: number; actor: Actor; now: Date },
): Promise<PolicyState> {
  const { tenantId, kind, rule, version } = input;
  return db.transaction(async (tx) => {
    const before = await getPolicyState(tx, tenantId, kind);
    const stale = new ActionError(409, 'The policy changed since this page was loaded: here is the saved policy. Make your change again.');
    if (before.version !== version) throw stale;
    const values = { ...ruleOf(rule), version: version + 1, updatedAt: input.now };
    const [saved] =
      version === 0
        ? await tx.insert(policies).values({ tenantId, kind, ...values }).onConflictDoNothing().returning()
        : await tx
            .update(policies)
            .set(values)
            .where(and(eq(policies.tenantId, tenantId), eq(policies.kind, kind), eq(policies.version, version)))
            .returning();
    if (!saved) throw stale;
    await recordAudit(
      tx,
      input.actor,
      [{ tenantId, action: 'policy.update', targetType: 'policy', targetId: kind, before: before.version === 0 ? null : ruleOf(before), after: ruleOf(saved) }],
      input.now,
    );
    const { tenantId: _, ...state } = saved;
    return state;
  });
}
