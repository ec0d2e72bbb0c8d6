import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { generateTemporaryPassword } from '../auth/passwords.js';
import type { Db, Tx } from '../db/client.js';
import { directoryUsers, riskEvents, type DirectoryUser, type RiskEvent } from '../db/schema.js';
import { createUserRiskEvent } from '../ingest/user-events.js';
import { recordAudit, type Actor } from './audit-record.js';
import { ActionError } from './errors.js';
import { createPasswordHandoff } from './password-handoff.js';
import type { UserEventAction } from './event-status.js';
import { applyFeedback, lockRiskySignIns } from './feedback.js';

// The user blade's actions, each one transaction with its audit records.

export interface UserActionInput {
  tenantId: string;
  userId: string;
  /** The user's version the admin saw; null when the caller acts without a page (the HTTP API). */
  version: number | null;
  actor: Actor;
  now: Date;
}

/** Locks in feedback's order (sign-ins, events, then the user) so the two cannot deadlock; then checks the version. */
export async function lockUserAndActiveEvents(tx: Tx, input: UserActionInput): Promise<{ user: DirectoryUser; events: RiskEvent[] }> {
  const { tenantId, userId } = input;
  const active = and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.userId, userId), eq(riskEvents.status, 'active'));
  const seen = await tx.select({ requestId: riskEvents.requestId }).from(riskEvents).where(active);
  const signInIds = [...new Set(seen.flatMap((event) => (event.requestId ? [event.requestId] : [])))];
  if (signInIds.length > 0) await lockRiskySignIns(tx, tenantId, signInIds);
  const events = await tx.select().from(riskEvents).where(active).orderBy(asc(riskEvents.id)).for('update');
  const [user] = await tx.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenantId), eq(directoryUsers.id, userId))).for('update');
  if (!user) throw new ActionError(404, `There is no user ${userId}.`);
  if (input.version !== null && user.version !== input.version) throw new ActionError(409, 'This user changed since you loaded the page. Here is their current state.');
  return { user, events };
}

export async function closeAllActive(tx: Tx, input: UserActionInput, events: RiskEvent[], action: UserEventAction): Promise<number> {
  const changed = await applyFeedback(tx, input.tenantId, events, action, input.actor, input.now);
  return changed.length;
}

/** Remediates every active event; the temporary password is sealed under a single-use token (password-handoff.ts), never stored in the clear. */
export function resetUserPassword(db: Db, input: UserActionInput, adminId: string): Promise<{ token: string; remediated: number }> {
  return db.transaction(async (tx) => {
    const { events } = await lockUserAndActiveEvents(tx, input);
    const remediated = await closeAllActive(tx, input, events, 'resetPassword');
    await tx
      .update(directoryUsers)
      .set({ passwordResetRequired: true, riskLastUpdatedAt: input.now, version: sql`${directoryUsers.version} + 1` })
      .where(and(eq(directoryUsers.tenantId, input.tenantId), eq(directoryUsers.id, input.userId)));
    await recordAudit(
      tx,
      input.actor,
      [{ tenantId: input.tenantId, action: 'user.resetPassword', targetType: 'user', targetId: input.userId, after: { passwordResetRequired: true, remediatedEvents: remediated } }],
      input.now,
    );
    const token = await createPasswordHandoff(tx, {
      tenantId: input.tenantId,
      adminId,
      userId: input.userId,
      temporaryPassword: generateTemporaryPassword(),
      remediated,
      now: input.now,
    });
    return { token, remediated };
  });
}

export function dismissUserRisk(db: Db, input: UserActionInput): Promise<{ dismissed: number }> {
  return db.transaction(async (tx) => {
    const { events } = await lockUserAndActiveEvents(tx, input);
    if (events.length === 0) throw new ActionError(409, 'This user has no active risk event to dismiss.');
    return { dismissed: await closeAllActive(tx, input, events, 'dismissAll') };
  });
}

/** Confirm compromised: a high, offline, user-activity event naming the admin; the user becomes confirmedCompromised. */
export function confirmUserCompromised(db: Db, input: UserActionInput): Promise<{ eventId: string }> {
  return db.transaction(async (tx) => {
    const { user } = await lockUserAndActiveEvents(tx, input);
    return confirmLockedUserCompromised(tx, user, input);
  });
}

export async function confirmLockedUserCompromised(tx: Tx, user: DirectoryUser, input: UserActionInput): Promise<{ eventId: string }> {
  const created = await createUserRiskEvent(
    tx,
    user,
    {
      riskEventType: 'adminConfirmedUserCompromised',
      // Each confirmation is its own event: confirming again after a dismissal raises a new one.
      dedupeKey: randomUUID(),
      evidence: [
        { key: 'confirmedBy', value: input.actor.label },
        { key: 'confirmedDateTime', value: input.now.toISOString() },
      ],
    },
    input.actor,
    input.now,
  );
  if (!created) throw new ActionError(409, 'This user was just confirmed compromised.');
  return { eventId: created.id };
}

/** The IdP reports a password change (API passwordChanged): active events are remediated and a pending reset clears. */
export async function recordUserPasswordChange(tx: Tx, input: UserActionInput): Promise<{ remediated: number }> {
  const { events } = await lockUserAndActiveEvents(tx, input);
  const remediated = await closeAllActive(tx, input, events, 'passwordChanged');
  await tx
    .update(directoryUsers)
    .set({ passwordResetRequired: false, riskLastUpdatedAt: input.now, version: sql`${directoryUsers.version} + 1` })
    .where(and(eq(directoryUsers.tenantId, input.tenantId), eq(directoryUsers.id, input.userId)));
  await recordAudit(
    tx,
    input.actor,
    [{ tenantId: input.tenantId, action: 'user.passwordChanged', targetType: 'user', targetId: input.userId, after: { passwordResetRequired: false, remediatedEvents: remediated } }],
    input.now,
  );
  return { remediated };
}
