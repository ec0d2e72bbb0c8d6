import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { passwordHandoffs } from '../db/schema.js';

// Post/Redirect/Get for Reset password: the POST seals the temporary password under a single-use
// token and redirects to a GET page that opens it once. The database keeps only the token's hash
// and a ciphertext whose key comes from the token, so neither a database reader nor a second visit
// can see the password; an unopened one expires after 10 minutes.

export const HANDOFF_TTL_MS = 10 * 60_000;
export const HANDOFF_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const lookupHash = (token: string) => createHash('sha256').update(`lookup:${token}`).digest();
const sealKey = (token: string) => createHash('sha256').update(`seal:${token}`).digest();

function seal(plain: string, token: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(token), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(sealed: Uint8Array, token: string): string | null {
  const bytes = Buffer.from(sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(token), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export interface HandoffInput {
  tenantId: string;
  adminId: string;
  userId: string;
  temporaryPassword: string;
  remediated: number;
  now: Date;
}

/** Inside the reset's transaction: stores the sealed password and returns the token for the redirect. */
export async function createPasswordHandoff(tx: Tx, input: HandoffInput): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  // Expired, never-opened handoffs of the tenant go with the next reset: no job needed.
  await tx.delete(passwordHandoffs).where(and(eq(passwordHandoffs.tenantId, input.tenantId), lt(passwordHandoffs.expiresAt, input.now)));
  await tx.insert(passwordHandoffs).values({
    tenantId: input.tenantId,
    tokenHash: lookupHash(token),
    adminId: input.adminId,
    userId: input.userId,
    sealedPassword: seal(input.temporaryPassword, token),
    remediatedEvents: input.remediated,
    expiresAt: new Date(input.now.getTime() + HANDOFF_TTL_MS),
  });
  return token;
}

export type HandoffResult = { shown: true; temporaryPassword: string; remediated: number } | { shown: false };

/**
 * Opens a handoff once: the row is deleted as it is read, so a reload finds nothing. Only the admin
 * who reset the password, for that user, before it expires.
 */
export async function takePasswordHandoff(db: Db, query: { tenantId: string; adminId: string; userId: string; token: string; now: Date }): Promise<HandoffResult> {
  const [row] = await db
    .delete(passwordHandoffs)
    .where(
      and(
        eq(passwordHandoffs.tenantId, query.tenantId),
        eq(passwordHandoffs.tokenHash, lookupHash(query.token)),
        eq(passwordHandoffs.adminId, query.adminId),
        eq(passwordHandoffs.userId, query.userId),
      ),
    )
    .returning();
  if (!row || row.expiresAt <= query.now) return { shown: false };
  const temporaryPassword = open(row.sealedPassword, query.token);
  return temporaryPassword === null ? { shown: false } : { shown: true, temporaryPassword, remediated: row.remediatedEvents };
}
