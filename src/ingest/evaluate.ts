import type { Actor } from '../actions/audit-record.js';
import { enqueueRiskChanges, recomputeAndAuditUserRisk, refreshUserRisk } from '../actions/rollups.js';
import type { Queryable } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { detect } from '../detection/engine.js';
import { enqueueRiskDetections, subscribedEvents } from '../webhooks/outbox.js';
import { detectLeakedCredentials } from './leaked-events.js';
import { loadDetectionInput } from './context.js';
import type { CreatedRiskEvent } from './events.js';
import { auditCreatedUsers, detectionSignInOf, storeVerdicts } from './ingest.js';
import { lockForEvaluation } from './locks.js';
import { detectionSettingsOf } from './settings.js';
import { rememberSignInAndUser } from './store.js';
import type { SignInRecord } from './types.js';

/**
 * ingestSignIns for one sign-in while it happens (POST /api/v1/sign-ins/evaluate), inside the
 * caller's transaction: the same judgement and the same rows, but under the evaluation's narrow
 * locks (locks.ts) instead of the tenant's, in two round trips for a known user.
 * `read` is the caller's answer (its reads of the sign-in's events and the user's risk). It must send
 * its statements at once (db/client.ts, send), as this function's own do: each round trip's
 * statements then run in the order they are sent here. It is read with the first round trip, and
 * again behind the recompute of the user's risk when the sign-in raised something.
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
  // The first round trip: the locks, the sign-in remembered and its user upserted, then what the
  // detector needs, the tenant's webhook subscriptions and the answer, read under the locks. For a
  // duplicate only the answer is used: the events stored the first time.
  const [, first, input, subscribed, answer] = await Promise.all([
    lockForEvaluation(tx, tenant.id, signIn),
    rememberSignInAndUser(tx, tenant.id, record),
    loadDetectionInput(tx, tenant.id, detectionSettingsOf(tenant.detectionSettings), [signIn]),
    subscribedEvents(tx, tenant.id),
    read(),
  ]);
  if (!first.fresh) return { fresh: false, created: [], answer };
  const output = detect(input);
  const raised = output.verdicts.some((verdict) => verdict.events.length > 0);

  if (first.createdUser) {
    // A user seen for the first time: audited first, and their leaked credentials looked up once the
    // user exists. Rare, so in turn.
    const [, created] = await Promise.all([auditCreatedUsers(tx, tenant.id, actor, [record.userId], now), storeVerdicts(tx, tenant.id, [record], output, now, actor)]);
    const user = { id: record.userId, userPrincipalName: record.userPrincipalName, displayName: record.userDisplayName, mail: null };
    created.push(...(await detectLeakedCredentials(tx, tenant.id, [user], now, { audit: actor, activityAt: () => record.createdDateTime })));
    if (created.length === 0) return { fresh: true, created, answer };
    if (subscribed.has('riskDetection.created')) await enqueueRiskDetections(tx, tenant.id, 'riskDetection.created', created.map((event) => event.id), now);
    const [, again] = await Promise.all([refreshUserRisk(tx, tenant.id, [record.userId], now, actor), read()]);
    return { fresh: true, created, answer: again };
  }

  // Nothing raised: the user's risk is what the first read saw, and the sign-in has no events.
  if (!raised) return { fresh: true, created: await storeVerdicts(tx, tenant.id, [record], output, now, actor), answer };

  // The second round trip: the sign-in and its events (audited by their insert), the user's risk
  // recomputed and audited, and the answer read again behind them. Webhooks after, in the order of
  // a batch's: the detections, then the user's risk.
  const [created, changes, again] = await Promise.all([
    storeVerdicts(tx, tenant.id, [record], output, now, actor),
    recomputeAndAuditUserRisk(tx, tenant.id, [record.userId], now, actor),
    read(),
  ]);
  if (subscribed.has('riskDetection.created')) await enqueueRiskDetections(tx, tenant.id, 'riskDetection.created', created.map((event) => event.id), now);
  await enqueueRiskChanges(tx, tenant.id, changes, now);
  return { fresh: true, created, answer: again };
}
