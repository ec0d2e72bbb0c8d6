import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { admins, recoveryCodes, type Admin } from '../db/schema.js';
import { hashRecoveryCode, looksLikeRecoveryCode } from './recovery-codes.js';
import { looksLikeTotpCode, matchTotpCode } from './totp.js';

/**
 * Checks and consumes a second-factor code: a TOTP code (whose step must be later than the last one
 * used, so it cannot be replayed) or an unused recovery code (marked used). Each consumption is one
 * conditional UPDATE, so two requests racing with the same code cannot both win.
 */
export async function consumeSecondFactor(db: Queryable, admin: Admin, input: string, now: Date): Promise<'totp' | 'recoveryCode' | null> {
  const code = input.trim().replace(/\s/g, '');
  if (!admin.totpSecret || !code) return null;
  if (looksLikeTotpCode(code)) {
    const counter = matchTotpCode(admin.totpSecret, code, now);
    if (counter === null) return null;
    const [updated] = await db
      .update(admins)
      .set({ totpLastCounter: counter })
      .where(and(eq(admins.id, admin.id), or(isNull(admins.totpLastCounter), lt(admins.totpLastCounter, counter))))
      .returning({ id: admins.id });
    return updated ? 'totp' : null;
  }
  if (!looksLikeRecoveryCode(code)) return null;
  const [used] = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.adminId, admin.id), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ adminId: recoveryCodes.adminId });
  return used ? 'recoveryCode' : null;
}
