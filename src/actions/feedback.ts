import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { riskEvents, signIns, type RiskEvent } from '../db/schema.js';
import { recordAudit, type Actor, type AuditRecord } from './audit-record.js';
import { enqueueRiskDetections } from '../webhooks/outbox.js';
import { ActionError } from './errors.js';
import { learnFamiliarLocation } from './familiar.js';
import { idList, recomputeSignInRisk, refreshUserRisk } from './rollups.js';
import { FEEDBACK_DONE, nextStatus, type EventAction, type FeedbackAction } from './event-status.js';

// Every status change goes through applyFeedback below; the rules themselves are in event-status.ts.

export interface FeedbackResult {
  changed: number;
  skipped: number;
}

/** Applies the action to the (locked) events that allow it, with rollups, familiarity and audit; returns the changed events as they were. */
export async function applyFeedback(tx: Tx, tenantId: string, events: RiskEvent[], action: EventAction, actor: Actor, now: Date): Promise<RiskEvent[]> {
  const changed = events.filter((event) => nextStatus(event.status, action) !== null);
  if (changed.length === 0) return [];
  const to = nextStatus(changed[0].status, action)!;
  await tx
    .update(riskEvents)
    .set({
      status: to.status,
      riskDetail: to.riskDetail,
      closedAt: to.status === 'active' ? null : now,
      lastUpdatedDateTime: now,
      version: sql`${riskEvents.version} + 1`,
    })
    .where(and(eq(riskEvents.tenantId, tenantId), sql`${riskEvents.id} = any(${idList(changed.map((event) => event.id))})`));

  const signInIds = unique(changed.flatMap((event) => (event.requestId ? [event.requestId] : [])));
  const userIds = unique(changed.map((event) => event.userId));
  await recomputeSignInRisk(tx, tenantId, signInIds);
  await refreshUserRisk(tx, tenantId, userIds, now, actor);
  if (action === 'falsePositive') {
    for (const event of changed) {
      await learnFamiliarLocation(tx, tenantId, event.userId, { ...event, at: event.activityDateTime });
    }
  }

  const records: AuditRecord[] = changed.map((event) => ({
    tenantId,
    action: `riskEvent.${action}`,
    targetType: 'riskEvent',
    targetId: event.id,
    before: { status: event.status, riskDetail: event.riskDetail },
    after: { status: to.status, riskDetail: to.riskDetail },
  }));
  await recordAudit(tx, actor, records, now);
  await enqueueRiskDetections(tx, tenantId, 'riskDetection.statusChanged', changed.map((event) => event.id), now);
  return changed;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The risky sign-ins among `ids`, locked in id order so concurrent feedback cannot deadlock. */
export async function lockRiskySignIns(tx: Tx, tenantId: string, ids: readonly string[]) {
  return tx
    .select({ id: signIns.id, version: signIns.version })
    .from(signIns)
    .where(and(eq(signIns.tenantId, tenantId), sql`${signIns.id} = any(${idList(ids)})`, isNotNull(signIns.riskLevel)))
    .orderBy(asc(signIns.id))
    .for('update');
}

export async function lockSignInEvents(tx: Tx, tenantId: string, signInIds: readonly string[]) {
  return tx
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId), sql`${riskEvents.requestId} = any(${idList(signInIds)})`))
    .orderBy(asc(riskEvents.id))
    .for('update');
}

export interface SignInFeedbackInput {
  tenantId: string;
  signInId: string;
  action: FeedbackAction;
  version: number;
  actor: Actor;
  now: Date;
}

/** Feedback on one risky sign-in: applies to each of its events that allows the action, skips the others. */
export function giveSignInFeedback(db: Db, input: SignInFeedbackInput): Promise<FeedbackResult> {
  const { tenantId, signInId, action } = input;
  return db.transaction(async (tx) => {
    const [signIn] = await lockRiskySignIns(tx, tenantId, [signInId]);
    if (!signIn) throw new ActionError(404, `There is no risky sign-in ${signInId}.`);
    if (signIn.version !== input.version) throw new ActionError(409, 'This sign-in changed since you loaded it. Here is its current state.');
    const events = await lockSignInEvents(tx, tenantId, [signInId]);
    const changed = await applyFeedback(tx, tenantId, events, action, input.actor, input.now);
    if (changed.length === 0) throw new ActionError(409, `None of this sign-in's risk events can be ${FEEDBACK_DONE[action].toLowerCase()} from its status.`);
    return { changed: changed.length, skipped: events.length - changed.length };
  });
}

export interface EventStatusInput {
  tenantId: string;
  eventId: string;
  action: FeedbackAction;
  version: number;
  actor: Actor;
  now: Date;
}

export function setRiskEventStatus(db: Db, input: EventStatusInput): Promise<RiskEvent> {
  const { tenantId, eventId, action } = input;
  return db.transaction(async (tx) => {
    const [seen] = await tx.select({ requestId: riskEvents.requestId }).from(riskEvents).where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.id, eventId)));
    if (!seen) throw new ActionError(404, `There is no risk event ${eventId}.`);
    // The sign-in first, as sign-in feedback locks it, so the two cannot deadlock.
    if (seen.requestId) await lockRiskySignIns(tx, tenantId, [seen.requestId]);
    const [event] = await tx.select().from(riskEvents).where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.id, eventId))).for('update');
    if (!event) throw new ActionError(404, `There is no risk event ${eventId}.`);
    if (event.version !== input.version) throw new ActionError(409, 'This risk event changed since you loaded it. Here is its current state.');
    if (!nextStatus(event.status, action)) throw new ActionError(409, `A risk event that is ${event.status} cannot be ${FEEDBACK_DONE[action].toLowerCase()}.`);
    await applyFeedback(tx, tenantId, [event], action, input.actor, input.now);
    const [fresh] = await tx.select().from(riskEvents).where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.id, eventId)));
    return fresh;
  });
}
