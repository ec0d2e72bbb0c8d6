import { and, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/client.js';
import { admins, recoveryCodes, type Admin } from '../db/schema.js';
import { checkNewPassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../auth/recovery-codes.js';
import { consumeSecondFactor } from '../auth/second-factor.js';
import { invalidateOtherSessions, markSessionTwoFactorVerified } from '../auth/sessions.js';
import { beginLoginAttempt, succeedLoginAttempt, ThrottledError } from '../auth/throttle.js';
import { decodeTotpKey, matchTotpCode } from '../auth/totp.js';
import { adminActor, recordAudit } from './audit-record.js';
import { ActionError } from './errors.js';

// An admin's own account: password, two-step verification, timezone. Each change bumps the admin's
// version (a stale form answers 409) and is audited in the same transaction.

export interface AccountContext {
  db: Db;
  admin: Admin;
  sessionId: string;
  ipAddress: string;
  now: Date;
}

function requireVersion(admin: Admin, version: number): void {
  if (admin.version !== version) throw new ActionError(409, 'Your account changed since this page was loaded: here is its current state. Try again.');
}

async function updateAtVersion(tx: Queryable, admin: Admin, version: number, values: Partial<typeof admins.$inferInsert>): Promise<Admin> {
  const [updated] = await tx
    .update(admins)
    .set({ ...values, version: sql`${admins.version} + 1` })
    .where(and(eq(admins.id, admin.id), eq(admins.version, version)))
    .returning();
  if (!updated) throw new ActionError(409, 'Your account changed since this page was loaded: here is its current state. Try again.');
  return updated;
}

/** The current password, or a second-factor code when allowed; throttled like sign-in, so a borrowed session cannot guess. */
async function proveIdentity(ctx: AccountContext, input: { password?: string; code?: string }): Promise<void> {
  if (!input.password && !input.code) throw new ActionError(400, 'Enter your current password' + (input.code !== undefined ? ' or a code' : ''));
  const attempt = await beginLoginAttempt(ctx.db, ctx.admin.email, ctx.ipAddress, ctx.now);
  if (attempt.retryAfterSeconds !== undefined) throw new ThrottledError(attempt.retryAfterSeconds);
  const ok = input.password
    ? await verifyPassword(ctx.admin.passwordHash, input.password)
    : (await consumeSecondFactor(ctx.db, ctx.admin, input.code ?? '', ctx.now)) !== null;
  if (!ok) throw new ActionError(400, input.password ? 'The current password is not right' : 'The code is not right');
  await succeedLoginAttempt(ctx.db, attempt.attemptId);
}

export async function changePassword(
  ctx: AccountContext,
  input: { currentPassword: string; newPassword: string; confirmPassword: string; version: number },
): Promise<Admin> {
  requireVersion(ctx.admin, input.version);
  const problem = checkNewPassword(input.newPassword);
  if (problem) throw new ActionError(400, problem);
  if (input.newPassword !== input.confirmPassword) throw new ActionError(400, 'The new password and its confirmation differ');
  if (input.newPassword === input.currentPassword) throw new ActionError(400, 'The new password must differ from the current one');
  await proveIdentity(ctx, { password: input.currentPassword });
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.db.transaction(async (tx) => {
    const updated = await updateAtVersion(tx, ctx.admin, input.version, { passwordHash, mustChangePassword: false });
    // Whoever else held a session (perhaps the reason for the change) is signed out.
    await invalidateOtherSessions(tx, ctx.admin.id, ctx.sessionId);
    await recordAudit(tx, adminActor(ctx.admin), [{ tenantId: ctx.admin.tenantId, action: 'admin.changePassword', targetType: 'admin', targetId: ctx.admin.email }], ctx.now);
    return updated;
  });
}

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The canonical spelling of an IANA timezone name ("europe/paris" → "Europe/Paris"), or null when unknown. */
export function canonicalTimeZone(name: string): string | null {
  if (!name || name.length > 64 || !IANA_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export async function setTimezone(ctx: AccountContext, input: { timezone: string; version: number }): Promise<Admin> {
  requireVersion(ctx.admin, input.version);
  const timezone = canonicalTimeZone(input.timezone.trim());
  if (!timezone) throw new ActionError(400, `timezone must be an IANA timezone name such as Europe/Paris or UTC, got "${input.timezone.slice(0, 64)}"`);
  return ctx.db.transaction(async (tx) => {
    const updated = await updateAtVersion(tx, ctx.admin, input.version, { timezone });
    await recordAudit(
      tx,
      adminActor(ctx.admin),
      [{ tenantId: ctx.admin.tenantId, action: 'admin.setTimezone', targetType: 'admin', targetId: ctx.admin.email, before: { timezone: ctx.admin.timezone }, after: { timezone } }],
      ctx.now,
    );
    return updated;
  });
}

async function replaceRecoveryCodes(tx: Queryable, adminId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.adminId, adminId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ adminId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/** Turns two-step verification on once a code proves the app saved the key; returns the recovery codes, shown this once. */
export async function enableTotp(ctx: AccountContext, input: { secret: string; code: string; version: number }): Promise<string[]> {
  if (ctx.admin.totpSecret !== null) throw new ActionError(409, 'Two-step verification is already on');
  requireVersion(ctx.admin, input.version);
  const key = decodeTotpKey(input.secret);
  if (!key) throw new ActionError(400, 'The enrolment key is not valid: start again');
  const counter = matchTotpCode(key, input.code.trim().replace(/\s/g, ''), ctx.now);
  if (counter === null) throw new ActionError(400, 'The code is not right: check the time on your device and enter the code the app shows now');
  return ctx.db.transaction(async (tx) => {
    await updateAtVersion(tx, ctx.admin, input.version, { totpSecret: key, totpLastCounter: counter });
    const codes = await replaceRecoveryCodes(tx, ctx.admin.id);
    // This session just proved the new factor; the admin's other sessions must prove it at their next request.
    await markSessionTwoFactorVerified(tx, ctx.sessionId);
    await recordAudit(tx, adminActor(ctx.admin), [{ tenantId: ctx.admin.tenantId, action: 'admin.enableMfa', targetType: 'admin', targetId: ctx.admin.email }], ctx.now);
    return codes;
  });
}

export async function disableTotp(ctx: AccountContext, input: { password: string; code: string; version: number }): Promise<Admin> {
  if (ctx.admin.totpSecret === null) throw new ActionError(409, 'Two-step verification is already off');
  requireVersion(ctx.admin, input.version);
  await proveIdentity(ctx, { password: input.password || undefined, code: input.code });
  return ctx.db.transaction(async (tx) => {
    const updated = await updateAtVersion(tx, ctx.admin, input.version, { totpSecret: null, totpLastCounter: null });
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.adminId, ctx.admin.id));
    await recordAudit(tx, adminActor(ctx.admin), [{ tenantId: ctx.admin.tenantId, action: 'admin.disableMfa', targetType: 'admin', targetId: ctx.admin.email }], ctx.now);
    return updated;
  });
}

/** New recovery codes replace the old ones (all of them, used or not), given the current password. */
export async function regenerateRecoveryCodes(ctx: AccountContext, input: { password: string }): Promise<string[]> {
  if (ctx.admin.totpSecret === null) throw new ActionError(409, 'Two-step verification is off: there are no recovery codes');
  await proveIdentity(ctx, { password: input.password });
  return ctx.db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, ctx.admin.id);
    await recordAudit(tx, adminActor(ctx.admin), [{ tenantId: ctx.admin.tenantId, action: 'admin.regenerateRecoveryCodes', targetType: 'admin', targetId: ctx.admin.email }], ctx.now);
    return codes;
  });
}

