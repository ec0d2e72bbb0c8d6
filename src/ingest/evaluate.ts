import type { Actor } from '../actions/audit-record.js';
import { refreshUserRisk } from '../actions/rollups.js';
import type { Queryable } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { detect } from '../detection/engine.js';
import { detectLeakedCredentials } from './leaked-events.js';
import { loadDetectionInput } from './context.js';
import type { CreatedRiskEvent } from './events.js';
import { auditIngestion, detectionSignInOf, storeVerdicts } from './ingest.js';
import { lockForEvaluation } from './locks.js';
import { detectionSettingsOf } from './settings.js';
import { rememberSignInAndUser } from './store.js';
import type { SignInRecord } from './types.js';

/**
 * ingestSignIns for one sign-in while it happens (POST /api/v1/sign-ins/evaluate), inside the
 * caller's transaction: the same judgement and the same rows, but under the evaluation's narrow
 * locks (locks.ts) instead of the tenant's, and in two round trips when the sign-in raises nothing.
 * `read` is the caller's answer (its reads of the sign-in's events and the user's risk): sent with the
 * first round trip, and again after the user's risk is recomputed if the sign-in created events.
 */
export async function ingestEvaluatedSignIn<Answer>(
  tx: Queryable,
  tenant: Tenant,
  record: SignInRecord,
  options: { now: Date; actor: Actor },
  read: () => Promise<Answer>,
): Promise<{ fresh: boolean; created: CreatedRiskEvent[]; answer: Answer }> {
  const { now, actor } = options;
  const signIn = detectionSignInOf(record);
  // Sent together: postgres.js pipelines them and PostgreSQL runs them in this order, so the reads
  // happen under the locks and after the user is upserted. For a duplicate only the answer is used:
  // the events stored the first time.
  const [, first, input, answer] = await Promise.all([
    lockForEvaluation(tx, tenant.id, signIn),
    rememberSignInAndUser(tx, tenant.id, record),
    loadDetectionInput(tx, tenant.id, detectionSettingsOf(tenant.detectionSettings), [signIn]),
    read(),
  ]);
  if (!first.fresh) return { fresh: false, created: [], answer };
  const created = await storeVerdicts(tx, tenant.id, [record], detect(input), now);
  if (first.createdUser) {
    const user = { id: record.userId, userPrincipalName: record.userPrincipalName, displayName: record.userDisplayName, mail: null };
    created.push(...(await detectLeakedCredentials(tx, tenant.id, [user], now, () => record.createdDateTime)));
  }
  // Nothing created: the user's risk is what the first read saw, and the sign-in has no events.
  if (created.length === 0) {
    if (first.createdUser) await auditIngestion(tx, tenant.id, actor, [record.userId], [], now);
    return { fresh: true, created, answer };
  }
  await auditIngestion(tx, tenant.id, actor, first.createdUser ? [record.userId] : [], created, now);
  // The answer is read again behind the recompute (pipelined after its update).
  const [, again] = await Promise.all([refreshUserRisk(tx, tenant.id, created.map((event) => event.userId), now, actor), read()]);
  return { fresh: true, created, answer: again };
}
