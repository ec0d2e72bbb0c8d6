import { sql } from 'drizzle-orm';
import { sealSecret } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { graphConnections, type Tenant } from '../db/schema.js';
import { recordAudit, type Actor } from './audit-record.js';
import { ActionError } from './errors.js';

export interface GraphConnectionInput {
  directoryTenantId: string;
  clientId: string;
  clientSecret: string;
  scheduleMinutes: number | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIRECTORY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

/**
 * Stores (or replaces) a tenant's app registration for `pull graph`, the secret sealed with
 * SECRETS_KEY (refused without it); the audit row names the client id, never the secret.
 */
export async function connectGraph(db: Db, tenant: Tenant, input: GraphConnectionInput, secretsKey: Buffer | null, actor: Actor): Promise<void> {
  if (!DIRECTORY.test(input.directoryTenantId)) throw new ActionError(400, '--directory-tenant must be the Entra tenant id (a GUID) or its domain');
  if (!GUID.test(input.clientId)) throw new ActionError(400, '--client-id must be the app registration\'s application (client) id, a GUID');
  if (input.clientSecret === '' || input.clientSecret.length > 1024 || /[\u0000-\u001f]/.test(input.clientSecret)) {
    throw new ActionError(400, 'the client secret (read from standard input) must be one line of at most 1024 characters');
  }
  if (input.scheduleMinutes !== null && (!Number.isSafeInteger(input.scheduleMinutes) || input.scheduleMinutes < 5 || input.scheduleMinutes > 1440)) {
    throw new ActionError(400, '--every must be a whole number of minutes from 5 to 1440');
  }
  if (!secretsKey) throw new ActionError(400, 'SECRETS_KEY is not set: Riskdesk refuses to store a client secret it cannot encrypt (openssl rand -hex 32)');
  const sealed = sealSecret(input.clientSecret, secretsKey);
  const values = { directoryTenantId: input.directoryTenantId, clientId: input.clientId.toLowerCase(), sealedClientSecret: sealed, scheduleMinutes: input.scheduleMinutes };
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ clientId: graphConnections.clientId, directoryTenantId: graphConnections.directoryTenantId, scheduleMinutes: graphConnections.scheduleMinutes }).from(graphConnections).where(sql`${graphConnections.tenantId} = ${tenant.id}::uuid`);
    await tx
      .insert(graphConnections)
      .values({ tenantId: tenant.id, ...values })
      .onConflictDoUpdate({ target: graphConnections.tenantId, set: { ...values, lastError: null, updatedAt: new Date() } });
    const after = { clientId: values.clientId, directoryTenantId: values.directoryTenantId, scheduleMinutes: values.scheduleMinutes };
    await recordAudit(tx, actor, [{ tenantId: tenant.id, action: 'graph.connect', targetType: 'tenant', targetId: tenant.id, before: before ?? null, after }]);
  });
}
