import type { Actor } from '../actions/audit-record.js';
import type { Queryable } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { detect } from '../detection/engine.js';
import { loadDetectionInput } from './context.js';
import type { CreatedRiskEvent } from './events.js';
import { detectionSignInOf, finishIngestion, latestUsers, storeVerdicts } from './ingest.js';
import { lockForEvaluation } from './locks.js';
import { detectionSettingsOf } from './settings.js';
import { rememberSignInAndUser } from './store.js';
import type { SignInRecord } from './types.js';

/**
 * ingestSignIns for one sign-in while it happens (POST /api/v1/sign-ins/evaluate), inside the
 * caller's transaction: the same judgement and the same rows, but under the evaluation's narrow
 * locks (locks.ts) instead of the tenant's, and in three round trips where the batch takes a dozen.
 */
export async function ingestEvaluatedSignIn(
  tx: Queryable,
  tenant: Tenant,
  record: SignInRecord,
  options: { now: Date; actor: Actor },
): Promise<{ fresh: boolean; created: CreatedRiskEvent[] }> {
  const signIn = detectionSignInOf(record);
  // Sent together: postgres.js pipelines them and PostgreSQL runs them in this order, so the reads
  // happen under the locks and after the user is upserted. For a duplicate they go unused.
  const [, first, input] = await Promise.all([
    lockForEvaluation(tx, tenant.id, signIn),
    rememberSignInAndUser(tx, tenant.id, record),
    loadDetectionInput(tx, tenant.id, detectionSettingsOf(tenant.detectionSettings), [signIn]),
  ]);
  if (!first.fresh) return { fresh: false, created: [] };
  const created = await storeVerdicts(tx, tenant.id, [record], detect(input), options.now);
  await finishIngestion(tx, tenant.id, [record], latestUsers([record]), first.createdUser ? [record.userId] : [], created, options);
  return { fresh: true, created };
}
