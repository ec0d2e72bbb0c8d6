import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { builtOnce } from '../db/prepared.js';
import { admins, sessions, tenants, type Admin, type Session, type Tenant } from '../db/schema.js';

// Sessions as Lucia's guide describes them: a token "id.secret"; the database keeps the id and the
// SHA-256 of the secret, compared in constant time, so a leaked sessions table grants nothing.

export const IDLE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** How often an active session's idle deadline is pushed forward (saves a write per request). */
export const RENEW_INTERVAL_MS = 10 * 60 * 1000;

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 24 characters from a 32-letter alphabet: 120 bits of randomness. */
export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte >> 3];
  return out;
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export interface CreatedSession {
  session: Session;
  token: string;
}

export async function createSession(db: Queryable, adminId: string, now: Date, twoFactorVerified: boolean): Promise<CreatedSession> {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const [session] = await db
    .insert(sessions)
    .values({ id, secretHash: hashSecret(secret), adminId, twoFactorVerified, createdAt: now, lastVerifiedAt: now })
    .returning();
  return { session, token: `${id}.${secret}` };
}

export interface ValidatedSession {
  session: Session;
  admin: Admin;
  tenant: Tenant;
  /** True when the idle deadline was pushed forward, so the cookie should be sent again. */
  renewed: boolean;
}

const sessionQuery = builtOnce((db) =>
  db
    .select({ session: sessions, admin: admins, tenant: tenants })
    .from(sessions)
    .innerJoin(admins, eq(admins.id, sessions.adminId))
    .innerJoin(tenants, eq(tenants.id, admins.tenantId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('session'),
);

/** Returns the session behind a token, or null when it is unknown, wrong, idle too long or too old. */
export async function validateSessionToken(db: Queryable, token: string, now: Date): Promise<ValidatedSession | null> {
  const parts = token.split('.');
  if (parts.length !== 2 || parts[0].length !== 24 || parts[1].length !== 24) return null;
  const [id, secret] = parts;
  const [row] = await sessionQuery(db).execute({ id });
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), row.session.secretHash)) return null;

  const t = now.getTime();
  if (t - row.session.lastVerifiedAt.getTime() >= IDLE_TIMEOUT_MS || t - row.session.createdAt.getTime() >= ABSOLUTE_LIFETIME_MS) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let renewed = false;
  if (t - row.session.lastVerifiedAt.getTime() >= RENEW_INTERVAL_MS) {
    row.session.lastVerifiedAt = now;
    await db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, id));
    renewed = true;
  }
  return { ...row, renewed };
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of an admin except the one given (after a password change). */
export async function invalidateOtherSessions(db: Queryable, adminId: string, keepSessionId: string | null): Promise<void> {
  await db
    .delete(sessions)
    .where(keepSessionId ? and(eq(sessions.adminId, adminId), ne(sessions.id, keepSessionId)) : eq(sessions.adminId, adminId));
}

export async function markSessionTwoFactorVerified(db: Queryable, sessionId: string): Promise<void> {
  await db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, sessionId));
}

/** The moment a session stops being valid: the earlier of its idle and absolute deadlines. */
export function sessionExpiresAt(session: Session): Date {
  return new Date(Math.min(session.lastVerifiedAt.getTime() + IDLE_TIMEOUT_MS, session.createdAt.getTime() + ABSOLUTE_LIFETIME_MS));
}
