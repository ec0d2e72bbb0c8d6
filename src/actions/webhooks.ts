import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { openSecret, sealSecret } from '../crypto/secrets.js';
import { webhookDeliveries, webhooks, WEBHOOK_EVENTS, type Webhook, type WebhookEvent } from '../db/schema.js';
import { enqueuePayloads, payloadOf, RETRY_WINDOW_MS, type WebhookPayload } from '../webhooks/outbox.js';
import { newSigningSecret } from '../webhooks/signature.js';
import { problemWithUrl } from '../webhooks/target.js';
import { recordAudit, type Actor } from './audit-record.js';
import { ActionError } from './errors.js';

// /settings/webhooks (docs/api.md, Webhooks): each change one transaction with its audit entry.
// Signing secrets must sign again later, so they are sealed with SECRETS_KEY; without a key
// Riskdesk refuses to add or rotate an endpoint rather than keep a secret in the clear.

const MAX_NAME = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WebhookInput {
  name: string;
  url: string;
  events: string[];
}

export interface Settings {
  secretsKey: Buffer | null;
  allowPrivate: boolean;
}

function validate(input: WebhookInput, settings: Settings): { name: string; url: string; events: WebhookEvent[] } {
  const name = input.name.trim();
  if (name === '' || name.length > MAX_NAME || name.includes('\u0000')) throw new ActionError(400, `name must be 1 to ${MAX_NAME} characters`);
  const url = input.url.trim();
  const problem = problemWithUrl(url, settings.allowPrivate);
  if (problem) throw new ActionError(400, problem);
  const unknown = input.events.filter((event) => !(WEBHOOK_EVENTS as readonly string[]).includes(event));
  if (unknown.length > 0) throw new ActionError(400, `events: unknown event ${unknown[0].slice(0, 60)}`);
  if (input.events.length === 0) throw new ActionError(400, 'events: choose at least one event');
  return { name, url, events: WEBHOOK_EVENTS.filter((event) => input.events.includes(event)) };
}

function requireKey(settings: Settings): Buffer {
  if (!settings.secretsKey) throw new ActionError(409, 'Webhooks need SECRETS_KEY: set it (openssl rand -hex 32) and restart Riskdesk, so signing secrets can be stored sealed.');
  return settings.secretsKey;
}

export async function addWebhook(db: Db, tenantId: string, input: WebhookInput, settings: Settings, actor: Actor, now: Date): Promise<{ webhook: Webhook; secret: string }> {
  const valid = validate(input, settings);
  const key = requireKey(settings);
  const secret = newSigningSecret();
  return db.transaction(async (tx) => {
    const [webhook] = await tx.insert(webhooks).values({ tenantId, ...valid, secret: sealSecret(secret, key), createdAt: now }).returning();
    await recordAudit(tx, actor, [{ tenantId, action: 'webhook.created', targetType: 'webhook', targetId: webhook.id, after: valid }], now);
    return { webhook, secret };
  });
}

/** The tenant's endpoint, locked, at the version the admin saw; another tenant's id is a 404. */
async function lockWebhook(tx: Tx, tenantId: string, webhookId: string, version: number | null): Promise<Webhook> {
  if (!UUID.test(webhookId)) throw new ActionError(404, 'There is no such webhook.');
  const [webhook] = await tx.select().from(webhooks).where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId))).for('update');
  if (!webhook) throw new ActionError(404, 'There is no such webhook.');
  if (version !== null && webhook.version !== version) throw new ActionError(409, 'This webhook changed since you loaded the page. Here is its current state.');
  return webhook;
}

/** A new secret signs from now on; the old one signs alongside it for 24 hours so receivers can switch. */
export function rotateWebhookSecret(db: Db, tenantId: string, webhookId: string, version: number, settings: Settings, actor: Actor, now: Date): Promise<{ webhook: Webhook; secret: string }> {
  return db.transaction(async (tx) => {
    const current = await lockWebhook(tx, tenantId, webhookId, version);
    const key = requireKey(settings);
    openSecret(current.secret, key);
    const secret = newSigningSecret();
    const until = new Date(now.getTime() + RETRY_WINDOW_MS);
    const [webhook] = await tx
      .update(webhooks)
      .set({ secret: sealSecret(secret, key), previousSecret: current.secret, previousSecretUntil: until, version: sql`${webhooks.version} + 1` })
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)))
      .returning();
    await recordAudit(tx, actor, [{ tenantId, action: 'webhook.secretRotated', targetType: 'webhook', targetId: webhookId, after: { previousSecretUntil: until.toISOString() } }], now);
    return { webhook, secret };
  });
}

export function setWebhookEnabled(db: Db, tenantId: string, webhookId: string, version: number, enabled: boolean, actor: Actor, now: Date): Promise<Webhook> {
  return db.transaction(async (tx) => {
    const current = await lockWebhook(tx, tenantId, webhookId, version);
    if (current.enabled === enabled) throw new ActionError(409, `This webhook is already ${enabled ? 'enabled' : 'disabled'}.`);
    const [webhook] = await tx
      .update(webhooks)
      .set({ enabled, disabledReason: enabled ? null : 'Disabled by an admin', version: sql`${webhooks.version} + 1` })
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)))
      .returning();
    await recordAudit(tx, actor, [{ tenantId, action: enabled ? 'webhook.enabled' : 'webhook.disabled', targetType: 'webhook', targetId: webhookId, before: { enabled: !enabled }, after: { enabled } }], now);
    return webhook;
  });
}

export function removeWebhook(db: Db, tenantId: string, webhookId: string, version: number, actor: Actor, now: Date): Promise<void> {
  return db.transaction(async (tx) => {
    const current = await lockWebhook(tx, tenantId, webhookId, version);
    await tx.delete(webhooks).where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)));
    await recordAudit(tx, actor, [{ tenantId, action: 'webhook.removed', targetType: 'webhook', targetId: webhookId, before: { name: current.name, url: current.url, events: current.events } }], now);
  });
}

/** Queues a webhook.test event to this endpoint only (enabled or not is checked by the worker's claim). */
export function sendTestEvent(db: Db, tenantId: string, webhookId: string, actor: Actor, now: Date): Promise<void> {
  return db.transaction(async (tx) => {
    const webhook = await lockWebhook(tx, tenantId, webhookId, null);
    if (!webhook.enabled) throw new ActionError(409, 'This webhook is disabled: enable it to send a test event.');
    const payload: WebhookPayload = payloadOf(tenantId, 'webhook.test', { message: 'A test event from Riskdesk', webhook: { id: webhook.id, name: webhook.name } }, now);
    await enqueuePayloads(tx, tenantId, [payload], now, webhookId);
    await recordAudit(tx, actor, [{ tenantId, action: 'webhook.testSent', targetType: 'webhook', targetId: webhookId, after: { eventId: payload.id } }], now);
  });
}

/** A new Riskdesk-Delivery id, so a receiver that dropped the first as a repeat takes it; the same payload id for those who dedupe on it. */
export function redeliver(db: Db, tenantId: string, webhookId: string, deliveryId: string, actor: Actor, now: Date): Promise<void> {
  return db.transaction(async (tx) => {
    const webhook = await lockWebhook(tx, tenantId, webhookId, null);
    if (!webhook.enabled) throw new ActionError(409, 'This webhook is disabled: enable it to redeliver.');
    if (!/^\d{1,18}$/.test(deliveryId)) throw new ActionError(404, 'There is no such delivery.');
    const [past] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.id, Number(deliveryId))));
    if (!past) throw new ActionError(404, 'There is no such delivery.');
    const [copy] = await tx
      .insert(webhookDeliveries)
      .values({ tenantId, webhookId, eventId: past.eventId, event: past.event, payload: past.payload, nextAttemptAt: now, retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS), createdAt: now })
      .returning({ id: webhookDeliveries.id });
    await recordAudit(tx, actor, [{ tenantId, action: 'webhook.redelivered', targetType: 'webhook', targetId: webhookId, after: { of: past.id, delivery: copy.id } }], now);
  });
}
