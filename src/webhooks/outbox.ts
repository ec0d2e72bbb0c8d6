import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { directoryUsers, riskEvents, type WebhookEvent } from '../db/schema.js';
import { chunk, jsonParam } from '../ingest/sql.js';
import { toGraphRiskDetection } from '../queries/graph.js';
import { toGraphRiskyUser } from '../queries/api-risky-users.js';

// The transactional outbox: callers pass the transaction that makes the
// change, so a delivery exists exactly when the change commits. The worker (worker.ts) sends them.

export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WebhookPayload {
  type: WebhookEvent | 'webhook.test';
  id: string;
  occurredDateTime: string;
  tenant: { id: string };
  data: unknown;
}

/** The event types some enabled endpoint of the tenant wants: one small indexed read, so tenants without webhooks pay nothing more. */
export async function subscribedEvents(db: Queryable, tenantId: string): Promise<Set<string>> {
  const found = await rows<{ event: string }>(
    db,
    sql`select distinct e as event from webhooks w, unnest(w.events) e where w.tenant_id = ${tenantId} and w.enabled`,
  );
  return new Set(found.map((row) => row.event));
}

export function payloadOf(tenantId: string, type: WebhookPayload['type'], data: unknown, now: Date): WebhookPayload {
  return { type, id: randomUUID(), occurredDateTime: now.toISOString(), tenant: { id: tenantId }, data };
}

/** One multi-row insert: every payload to every enabled endpoint subscribed to its type (or to one endpoint). */
export async function enqueuePayloads(db: Queryable, tenantId: string, payloads: WebhookPayload[], now: Date, webhookId?: string): Promise<void> {
  const retryUntil = new Date(now.getTime() + RETRY_WINDOW_MS).toISOString();
  for (const part of chunk(payloads, 2000)) {
    await db.execute(sql`
      insert into webhook_deliveries (tenant_id, webhook_id, event_id, event, payload, next_attempt_at, retry_until, created_at)
      select w.tenant_id, w.id, x.id, x.type, x.payload, ${now.toISOString()}::timestamptz, ${retryUntil}::timestamptz, ${now.toISOString()}::timestamptz
        from webhooks w
        cross join json_to_recordset(${jsonParam(part.map((payload) => ({ id: payload.id, type: payload.type, payload })))}) as x(id uuid, type text, payload jsonb)
       where w.tenant_id = ${tenantId} and w.enabled
         and ${webhookId ? sql`w.id = ${webhookId}::uuid` : sql`x.type = any(w.events)`}`);
  }
}

/** riskDetection.created or .statusChanged for the given events, as they are now in this transaction. */
export async function enqueueRiskDetections(db: Queryable, tenantId: string, type: 'riskDetection.created' | 'riskDetection.statusChanged', eventIds: readonly string[], now: Date): Promise<void> {
  if (eventIds.length === 0) return;
  if (!(await subscribedEvents(db, tenantId)).has(type)) return;
  const payloads: WebhookPayload[] = [];
  for (const part of chunk([...eventIds], 5000)) {
    const found = await db
      .select()
      .from(riskEvents)
      .where(and(eq(riskEvents.tenantId, tenantId), sql`${riskEvents.id} = any(array(select jsonb_array_elements_text(${JSON.stringify(part)}::jsonb)))`))
      .orderBy(riskEvents.detectedDateTime, riskEvents.id);
    payloads.push(...found.map((event) => payloadOf(tenantId, type, toGraphRiskDetection(event), now)));
  }
  await enqueuePayloads(db, tenantId, payloads, now);
}

/** riskyUser.riskChanged for users whose risk moved, in the riskyUser shape of the API. */
export async function enqueueRiskyUsers(db: Queryable, tenantId: string, userIds: readonly string[], now: Date): Promise<void> {
  if (userIds.length === 0) return;
  if (!(await subscribedEvents(db, tenantId)).has('riskyUser.riskChanged')) return;
  const payloads: WebhookPayload[] = [];
  for (const part of chunk([...userIds], 5000)) {
    const found = await db
      .select()
      .from(directoryUsers)
      .where(and(eq(directoryUsers.tenantId, tenantId), sql`${directoryUsers.id} = any(array(select jsonb_array_elements_text(${JSON.stringify(part)}::jsonb)))`))
      .orderBy(directoryUsers.id);
    payloads.push(...found.map((user) => payloadOf(tenantId, 'riskyUser.riskChanged', toGraphRiskyUser(user), now)));
  }
  await enqueuePayloads(db, tenantId, payloads, now);
}
