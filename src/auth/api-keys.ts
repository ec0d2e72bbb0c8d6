import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../actions/audit-record.js';
import { ActionError } from '../actions/errors.js';
import type { Db, Queryable } from '../db/client.js';
import { builtOnce } from '../db/prepared.js';
import { apiKeys, tenants, type Tenant } from '../db/schema.js';
import { generateSecureRandomString, hashSecret } from './sessions.js';

// API keys as sessions are (sessions.ts): a key "rdk_<id>.<secret>"; the database keeps the id and
// the SHA-256 of the secret, compared in constant time, so the api_keys table grants nothing.

const PREFIX = 'rdk_';
/** last_used_at is written at most this often, so a busy IdP does not write a row per request. */
export const LAST_USED_INTERVAL_MS = 60_000;
const MAX_NAME = 100;

export type ApiKey = typeof apiKeys.$inferSelect;

export interface CreatedApiKey {
  apiKey: ApiKey;
  key: string;
}

export function apiKeyActor(apiKey: Pick<ApiKey, 'id' | 'name'>): Actor {
  return { type: 'apiKey', id: apiKey.id, label: `API key ${apiKey.name}` };
}

function requireName(name: string | undefined): string {
  const trimmed = (name ?? '').trim();
  if (trimmed === '') throw new ActionError(400, 'name is required');
  if (trimmed.length > MAX_NAME || trimmed.includes('\u0000')) throw new ActionError(400, `name must be 1 to ${MAX_NAME} characters`);
  return trimmed;
}

export function createApiKey(db: Db, input: { tenantId: string; name: string | undefined }, actor: Actor, now: Date): Promise<CreatedApiKey> {
  const name = requireName(input.name);
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  return db.transaction(async (tx) => {
    const [apiKey] = await tx.insert(apiKeys).values({ id, tenantId: input.tenantId, name, secretHash: hashSecret(secret), createdAt: now }).returning();
    await recordAudit(tx, actor, [{ tenantId: input.tenantId, action: 'apiKey.created', targetType: 'apiKey', targetId: id, after: { name } }], now);
    return { apiKey, key: `${PREFIX}${id}.${secret}` };
  });
}

const keyQuery = builtOnce((db) =>
  db.select({ apiKey: apiKeys, tenant: tenants }).from(apiKeys).innerJoin(tenants, eq(tenants.id, apiKeys.tenantId)).where(eq(apiKeys.id, sql.placeholder('id'))).prepare('api_key'),
);

/** The id a key names, for a read sent beside its validation (the risk decision); null when the key is malformed. */
export function apiKeyIdOf(key: string): string | null {
  return splitKey(key)?.id ?? null;
}

function splitKey(key: string): { id: string; secret: string } | null {
  if (!key.startsWith(PREFIX)) return null;
  const parts = key.slice(PREFIX.length).split('.');
  if (parts.length !== 2 || parts[0].length !== 24 || parts[1].length !== 24) return null;
  return { id: parts[0], secret: parts[1] };
}

/** The tenant behind a key, or null when the key is malformed, unknown, wrong or revoked. */
export async function validateApiKey(db: Queryable, key: string, now: Date): Promise<{ apiKey: ApiKey; tenant: Tenant } | null> {
  const parts = splitKey(key);
  if (!parts) return null;
  const { id, secret } = parts;
  const [row] = await keyQuery(db).execute({ id });
  if (!row || row.apiKey.revokedAt !== null) return null;
  if (!constantTimeEqual(hashSecret(secret), row.apiKey.secretHash)) return null;
  const lastUsed = row.apiKey.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - lastUsed >= LAST_USED_INTERVAL_MS) {
    row.apiKey.lastUsedAt = now;
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
  }
  return row;
}

/** Revokes one of the tenant's keys; another tenant's id is as unknown as a missing one (404). */
export function revokeApiKey(db: Db, input: { tenantId: string; keyId: string }, actor: Actor, now: Date): Promise<ApiKey> {
  if (!/^[a-z0-9]{24}$/.test(input.keyId)) return Promise.reject(new ActionError(404, 'There is no such API key.'));
  return db.transaction(async (tx) => {
    const mine = and(eq(apiKeys.tenantId, input.tenantId), eq(apiKeys.id, input.keyId));
    const [revoked] = await tx.update(apiKeys).set({ revokedAt: now }).where(and(mine, isNull(apiKeys.revokedAt))).returning();
    if (!revoked) {
      const [existing] = await tx.select().from(apiKeys).where(mine);
      if (!existing) throw new ActionError(404, `There is no API key ${input.keyId}.`);
      return existing;
    }
    await recordAudit(tx, actor, [{ tenantId: input.tenantId, action: 'apiKey.revoked', targetType: 'apiKey', targetId: revoked.id, before: { revokedAt: null }, after: { revokedAt: now.toISOString() } }], now);
    return revoked;
  });
}
