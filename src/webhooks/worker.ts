import { sql } from 'drizzle-orm';
import { recordAudit, SYSTEM } from '../actions/audit-record.js';
import type { Config } from '../config.js';
import { rows, type Db } from '../db/client.js';
import { openSecret } from '../crypto/secrets.js';
import { log } from '../log.js';
import { postJson, TIMEOUT_MS, type PostResult } from './post.js';
import { signatureHeader } from './signature.js';

// The delivery worker: every server instance runs one. Instances claim due deliveries with
// FOR UPDATE SKIP LOCKED and lease them by moving next_attempt_at past the POST's timeout, so the
// claim is a short transaction and a crashed instance's deliveries are retried after the lease.

export interface WorkerOptions {
  db: Db;
  config: Pick<Config, 'secretsKey' | 'webhookAllowPrivate'>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  batchSize?: number;
  pollMs?: number;
  timeoutMs?: number;
}

const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60 * 1000;
const LOG_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** Exponential backoff with jitter: 15-30 s after the first failure, doubling, at most an hour. */
export function backoffMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

interface Claimed {
  tenant_id: string;
  id: string;
  webhook_id: string;
  event: string;
  payload: unknown;
  attempts: number;
  retry_until: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | null;
}

async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<Claimed[]> {
  return rows<Claimed>(
    db,
    sql`with due as (
          select d.tenant_id, d.id from webhook_deliveries d
            join webhooks w on w.tenant_id = d.tenant_id and w.id = d.webhook_id
           where d.status = 'pending' and d.next_attempt_at <= ${now.toISOString()}::timestamptz and w.enabled
           order by d.next_attempt_at
           limit ${limit}
           for update of d skip locked
        ), claimed as (
          update webhook_deliveries d
             set next_attempt_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz, attempts = d.attempts + 1,
                 last_attempt_at = ${now.toISOString()}::timestamptz
            from due where d.tenant_id = due.tenant_id and d.id = due.id
          returning d.tenant_id, d.id, d.webhook_id, d.event, d.payload, d.attempts, d.retry_until
        )
        select c.tenant_id, c.id::text as id, c.webhook_id, c.event, c.payload, c.attempts, c.retry_until::text as retry_until,
               w.url, w.secret, w.previous_secret, w.previous_secret_until::text as previous_secret_until
          from claimed c join webhooks w on w.tenant_id = c.tenant_id and w.id = c.webhook_id`,
  );
}

function signingSecrets(delivery: Claimed, key: Buffer | null, now: Date): string[] {
  const secrets = [openSecret(delivery.secret, key)];
  if (delivery.previous_secret && delivery.previous_secret_until && new Date(delivery.previous_secret_until) > now) {
    secrets.push(openSecret(delivery.previous_secret, key));
  }
  return secrets;
}

async function attempt(delivery: Claimed, options: WorkerOptions, now: Date): Promise<PostResult> {
  let secrets: string[];
  try {
    secrets = signingSecrets(delivery, options.config.secretsKey, now);
  } catch (error) {
    return { statusCode: null, body: null, error: (error as Error).message, durationMs: 0 };
  }
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  return postJson(
    delivery.url,
    body,
    {
      'Riskdesk-Delivery': delivery.id,
      'Riskdesk-Event': delivery.event,
      'Riskdesk-Timestamp': String(timestamp),
      'Riskdesk-Signature': signatureHeader(secrets, timestamp, body),
    },
    options.config.webhookAllowPrivate,
    options.timeoutMs ?? TIMEOUT_MS,
  );
}

type Outcome = 'succeeded' | 'retry' | 'failed' | 'gone';

function outcomeOf(result: PostResult, nextAt: Date, retryUntil: Date): Outcome {
  if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) return 'succeeded';
  if (result.statusCode === 410) return 'gone';
  return nextAt > retryUntil ? 'failed' : 'retry';
}

async function record(db: Db, delivery: Claimed, result: PostResult, at: Date, options: WorkerOptions): Promise<Outcome> {
  const now = (options.now ?? (() => new Date()))();
  const nextAt = new Date(now.getTime() + backoffMs(delivery.attempts, options.random ?? Math.random));
  const outcome = outcomeOf(result, nextAt, new Date(delivery.retry_until));
  const status = outcome === 'succeeded' ? 'succeeded' : outcome === 'retry' ? 'pending' : 'failed';
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into webhook_attempts (tenant_id, webhook_id, delivery_id, event, at, status_code, duration_ms, response_body, error)
      values (${delivery.tenant_id}, ${delivery.webhook_id}, ${delivery.id}::bigint, ${delivery.event}, ${at.toISOString()}::timestamptz,
              ${result.statusCode}, ${result.durationMs}, ${result.body}, ${result.error})`);
    await tx.execute(sql`
      update webhook_deliveries set status = ${status}, response_status = ${result.statusCode}, response_body = ${result.body ?? result.error},
             next_attempt_at = ${(outcome === 'retry' ? nextAt : now).toISOString()}::timestamptz,
             delivered_at = ${outcome === 'succeeded' ? now.toISOString() : null}::timestamptz
       where tenant_id = ${delivery.tenant_id} and id = ${delivery.id}::bigint`);
    if (outcome !== 'gone') return;
    const disabled = await rows<{ id: string }>(
      tx,
      sql`update webhooks set enabled = false, disabled_reason = 'The receiver answered 410 Gone', version = version + 1
           where tenant_id = ${delivery.tenant_id} and id = ${delivery.webhook_id} and enabled returning id`,
    );
    if (disabled.length > 0) {
      await recordAudit(tx, { ...SYSTEM, label: 'webhook delivery' }, [
        { tenantId: delivery.tenant_id, action: 'webhook.disabled', targetType: 'webhook', targetId: delivery.webhook_id, before: { enabled: true }, after: { enabled: false, reason: '410 Gone' } },
      ], now);
    }
  });
  return outcome;
}

export async function deliverDue(options: WorkerOptions): Promise<number> {
  const now = (options.now ?? (() => new Date()))();
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const claimed = await claimDue(options.db, now, options.batchSize ?? 20, timeoutMs * 2 + 10_000);
  await Promise.all(
    claimed.map(async (delivery) => {
      const result = await attempt(delivery, options, now);
      const outcome = await record(options.db, delivery, result, now, options);
      if (outcome !== 'succeeded') log.info('webhook delivery failed', { delivery: delivery.id, status: result.statusCode, error: result.error, outcome });
    }),
  );
  return claimed.length;
}

/** Drops delivery log rows older than 30 days (finished deliveries and their attempts). */
export async function pruneWebhookLog(db: Db, now: Date): Promise<void> {
  const before = new Date(now.getTime() - LOG_KEEP_MS).toISOString();
  await db.execute(sql`delete from webhook_attempts where at < ${before}::timestamptz`);
  await db.execute(sql`delete from webhook_deliveries where status <> 'pending' and created_at < ${before}::timestamptz`);
}

export function startWebhookWorker(options: WorkerOptions): { stop(): Promise<void> } {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const now = options.now ?? (() => new Date());
  let running = true;
  let lastPrune = 0;
  const loop = (async () => {
    while (running) {
      let attempted = 0;
      try {
        attempted = await deliverDue(options);
        if (now().getTime() - lastPrune > 60 * 60 * 1000) {
          lastPrune = now().getTime();
          await pruneWebhookLog(options.db, now());
        }
      } catch (error) {
        log.error('webhook worker failed', { error: String(error) });
      }
      if (attempted === 0 && running) await sleep(options.pollMs ?? 1000);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
