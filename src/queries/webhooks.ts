import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { webhookAttempts, webhookDeliveries, webhooks, type Webhook } from '../db/schema.js';

export function listWebhooks(db: Queryable, tenantId: string): Promise<Webhook[]> {
  return db.select().from(webhooks).where(eq(webhooks.tenantId, tenantId)).orderBy(asc(webhooks.createdAt), asc(webhooks.id));
}

export async function getWebhook(db: Queryable, tenantId: string, webhookId: string): Promise<Webhook | null> {
  if (!/^[0-9a-f-]{36}$/i.test(webhookId)) return null;
  const [webhook] = await db.select().from(webhooks).where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)));
  return webhook ?? null;
}

export interface DeliveryLogEntry {
  deliveryId: number;
  event: string;
  at: Date | null;
  statusCode: number | null;
  durationMs: number | null;
  responseBody: string | null;
  error: string | null;
  deliveryStatus: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date;
}

/** Deliveries waiting for their first attempt (or in it), then the last 100 attempts, newest first. */
export async function listDeliveryLog(db: Queryable, tenantId: string, webhookId: string): Promise<DeliveryLogEntry[]> {
  const notTried = sql`not exists (select 1 from webhook_attempts a where a.tenant_id = ${webhookDeliveries.tenantId} and a.delivery_id = ${webhookDeliveries.id})`;
  const queued = await db
    .select({ deliveryId: webhookDeliveries.id, event: webhookDeliveries.event, nextAttemptAt: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending'), notTried))
    .orderBy(desc(webhookDeliveries.id))
    .limit(100);
  const attempts = await db
    .select({
      deliveryId: webhookAttempts.deliveryId,
      event: webhookAttempts.event,
      at: webhookAttempts.at,
      statusCode: webhookAttempts.statusCode,
      durationMs: webhookAttempts.durationMs,
      responseBody: webhookAttempts.responseBody,
      error: webhookAttempts.error,
      deliveryStatus: sql<'pending' | 'succeeded' | 'failed'>`coalesce(${webhookDeliveries.status}, 'failed')`,
      nextAttemptAt: sql<Date>`coalesce(${webhookDeliveries.nextAttemptAt}, ${webhookAttempts.at})`.mapWith(webhookAttempts.at),
    })
    .from(webhookAttempts)
    .leftJoin(webhookDeliveries, and(eq(webhookDeliveries.tenantId, webhookAttempts.tenantId), eq(webhookDeliveries.id, webhookAttempts.deliveryId)))
    .where(and(eq(webhookAttempts.tenantId, tenantId), eq(webhookAttempts.webhookId, webhookId)))
    .orderBy(desc(webhookAttempts.id))
    .limit(100);
  return [
    ...queued.map((row) => ({ ...row, at: null, statusCode: null, durationMs: null, responseBody: null, error: null, deliveryStatus: 'pending' as const })),
    ...attempts,
  ];
}

export interface WebhookQueueStats {
  byStatus: Record<'pending' | 'succeeded' | 'failed', number>;
  oldestPendingSeconds: number;
}

/** For /metrics: read from the database, so every instance reports the whole queue. */
export async function getWebhookQueueStats(db: Queryable, now: Date): Promise<WebhookQueueStats> {
  const found = await rows<{ status: 'pending' | 'succeeded' | 'failed'; count: number; oldest: number | null }>(
    db,
    sql`select status, count(*)::int as count,
               extract(epoch from (${now.toISOString()}::timestamptz - min(created_at)))::float8 as oldest
          from webhook_deliveries group by status`,
  );
  const byStatus = { pending: 0, succeeded: 0, failed: 0 };
  let oldestPendingSeconds = 0;
  for (const row of found) {
    byStatus[row.status] = Number(row.count);
    if (row.status === 'pending') oldestPendingSeconds = Math.max(0, Number(row.oldest ?? 0));
  }
  return { byStatus, oldestPendingSeconds };
}
