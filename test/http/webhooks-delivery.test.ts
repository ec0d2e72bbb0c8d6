import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { applyFeedback, lockSignInEvents } from '../../src/actions/feedback.js';
import { addWebhook, rotateWebhookSecret } from '../../src/actions/webhooks.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { deliverDue, type WorkerOptions } from '../../src/webhooks/worker.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { startReceiver } from '../helpers/receiver.js';
import { HOUR, PLACES, signIn as signInRecord, T0 } from '../helpers/sign-ins.js';
import { apiGet, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const secretsKey = randomBytes(32);
const settings = { secretsKey, allowPrivate: true };
const config = { secretsKey, webhookAllowPrivate: true };
const receivers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});
afterAll(() => database.destroy());

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function webhookFor(tenant: Tenant, url: string, events = ['riskDetection.created', 'riskDetection.statusChanged', 'riskyUser.riskChanged']) {
  return addWebhook(database.db, tenant.id, { name: 'SIEM', url, events }, settings, SYSTEM, new Date());
}

/** Two sign-ins an hour apart, Seattle then Tokyo: impossible travel and friends for each user. */
function travellers(tenant: Tenant, users: number, prefix = 'u') {
  return Array.from({ length: users }, (_, i) => [
    signInRecord({ id: `${tenant.id}-${prefix}${i}-a`, userId: `${prefix}${i}`, userPrincipalName: `${prefix}${i}@contoso.com`, atMs: T0 }),
    signInRecord({ id: `${tenant.id}-${prefix}${i}-b`, userId: `${prefix}${i}`, userPrincipalName: `${prefix}${i}@contoso.com`, atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.7' }),
  ]).flat();
}

function worker(overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  return { db: database.db, config, random: () => 0.5, timeoutMs: 2000, ...overrides };
}

/** Verifies Riskdesk-Signature as a receiver would, with node:crypto only. */
function signedWith(secret: string, headers: Record<string, string | string[] | undefined>, body: string): boolean {
  const timestamp = String(headers['riskdesk-timestamp']);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return String(headers['riskdesk-signature'])
    .split(' ')
    .some((part) => part === `v1=${expected}`);
}

async function countDeliveries(tenantId: string, where = sql`true`): Promise<number> {
  const [row] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from webhook_deliveries where tenant_id = ${tenantId} and ${where}`);
  return Number(row.n);
}

describe('webhook delivery', () => {
  it('delivers one signed riskDetection.created per event created, in the API shape, once', async () => {
    const tenant = await seedTenant(database.db);
    const healthy = await receiver();
    const { secret } = await webhookFor(tenant, healthy.url);
    const result = await ingestSignIns(database.db, tenant, travellers(tenant, 3));
    expect(result.riskDetections).toBeGreaterThan(2);

    while ((await deliverDue(worker())) > 0);
    const created = healthy.payloads().filter((payload) => payload.type === 'riskDetection.created');
    expect(created).toHaveLength(result.riskDetections);
    for (const request of healthy.requests) {
      expect(signedWith(secret, request.headers, request.body)).toBe(true);
      expect(signedWith('whsec_wrong', request.headers, request.body)).toBe(false);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['riskdesk-delivery']).toMatch(/^\d+$/);
    }
    expect(new Set(healthy.requests.map((request) => request.headers['riskdesk-delivery'])).size).toBe(healthy.requests.length);

    const api = await (await apiGet(buildTestApp(database), await keyFor(database.db, tenant), '/api/v1/risk-detections?$top=1000')).json();
    const byId = new Map(api.value.map((detection) => [detection.id, detection]));
    for (const payload of created) {
      expect(payload.tenant).toEqual({ id: tenant.id });
      expect(payload.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(payload.occurredDateTime))).toBe(false);
      expect(payload.data).toEqual(byId.get(payload.data.id as string));
    }
    const users = healthy.payloads().filter((payload) => payload.type === 'riskyUser.riskChanged');
    expect(users.map((payload) => payload.data.id).sort()).toEqual(['u0', 'u1', 'u2']);
    expect(users[0].data).toMatchObject({ riskState: 'atRisk', isDeleted: false });

    const before = healthy.requests.length;
    expect(await deliverDue(worker())).toBe(0);
    expect(healthy.requests.length).toBe(before);
  });

  it('writes nothing to the outbox for a tenant without an enabled webhook subscribed to the event', async () => {
    const tenant = await seedTenant(database.db);
    await ingestSignIns(database.db, tenant, travellers(tenant, 2));
    expect(await countDeliveries(tenant.id)).toBe(0);
    const other = await seedTenant(database.db);
    await webhookFor(other, 'http://127.0.0.1:9/hook', ['riskDetection.statusChanged']);
    await ingestSignIns(database.db, other, travellers(other, 2));
    expect(await countDeliveries(other.id)).toBe(0);
  });

  it('sends riskDetection.statusChanged with the new state, and nothing for feedback that rolls back', async () => {
    const tenant = await seedTenant(database.db);
    const healthy = await receiver();
    await webhookFor(tenant, healthy.url, ['riskDetection.statusChanged']);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1));
    const signInId = `${tenant.id}-u0-b`;

    await expect(
      database.db.transaction(async (tx) => {
        const events = await lockSignInEvents(tx, tenant.id, [signInId]);
        await applyFeedback(tx, tenant.id, events, 'resolve', SYSTEM, new Date());
        throw new Error('the request failed after the change');
      }),
    ).rejects.toThrow('failed after');
    expect(await countDeliveries(tenant.id)).toBe(0);

    const changed = await database.db.transaction(async (tx) => applyFeedback(tx, tenant.id, await lockSignInEvents(tx, tenant.id, [signInId]), 'resolve', SYSTEM, new Date()));
    while ((await deliverDue(worker())) > 0);
    expect(healthy.payloads()).toHaveLength(changed.length);
    for (const payload of healthy.payloads()) expect(payload).toMatchObject({ type: 'riskDetection.statusChanged', data: { riskState: 'dismissed', riskDetail: 'none' } });
  });

  it('retries a receiver that fails five times with growing, jittered delays, and it sees one delivery id', async () => {
    const tenant = await seedTenant(database.db);
    const flaky = await receiver((_request, res, index) => res.writeHead(index < 5 ? 503 : 200).end(index < 5 ? 'down for maintenance' : 'ok'));
    await webhookFor(tenant, flaky.url, ['riskyUser.riskChanged']);
    const clock = testClock();
    await ingestSignIns(database.db, tenant, travellers(tenant, 1), { now: clock.now() });
    const gaps: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      expect(await deliverDue(worker({ now: clock.now }))).toBe(1);
      const [delivery] = await rows<{ status: string; next: string }>(database.db, sql`select status, next_attempt_at::text as next from webhook_deliveries where tenant_id = ${tenant.id}`);
      if (attempt < 5) {
        expect(delivery.status).toBe('pending');
        const gap = new Date(delivery.next).getTime() - clock.now().getTime();
        gaps.push(gap);
        // Not due before its time.
        clock.advance(gap - 1000);
        expect(await deliverDue(worker({ now: clock.now }))).toBe(0);
        clock.advance(1000);
      } else {
        expect(delivery.status).toBe('succeeded');
      }
    }
    expect(gaps).toEqual([22_500, 45_000, 90_000, 180_000, 360_000]);
    expect(flaky.requests).toHaveLength(6);
    expect(new Set(flaky.requests.map((request) => request.headers['riskdesk-delivery'])).size).toBe(1);
    const attempts = await rows<{ status_code: number; response_body: string }>(database.db, sql`select status_code, response_body from webhook_attempts where tenant_id = ${tenant.id} order by id`);
    expect(attempts.map((a) => a.status_code)).toEqual([503, 503, 503, 503, 503, 200]);
    expect(attempts[0].response_body).toBe('down for maintenance');
  });

  it('marks a delivery failed once retries would pass 24 hours', async () => {
    const tenant = await seedTenant(database.db);
    const broken = await receiver((_request, res) => res.writeHead(500).end());
    await webhookFor(tenant, broken.url, ['riskyUser.riskChanged']);
    const clock = testClock();
    await ingestSignIns(database.db, tenant, travellers(tenant, 1), { now: clock.now() });
    let rounds = 0;
    while (rounds++ < 100) {
      await deliverDue(worker({ now: clock.now }));
      const [delivery] = await rows<{ status: string; next: string }>(database.db, sql`select status, next_attempt_at::text as next from webhook_deliveries where tenant_id = ${tenant.id}`);
      if (delivery.status !== 'pending') break;
      clock.set(new Date(delivery.next));
    }
    expect(await countDeliveries(tenant.id, sql`status = 'failed'`)).toBe(1);
    expect(clock.now().getTime() - testClock().now().getTime()).toBeLessThanOrEqual(24 * HOUR);
    expect(rounds).toBeGreaterThan(20);
  });

  it('gives up on a receiver that hangs after the timeout, while ingestion goes on', async () => {
    const tenant = await seedTenant(database.db);
    const hanging = await receiver(() => {});
    await webhookFor(tenant, hanging.url, ['riskDetection.created']);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'a'));
    let finished = false;
    const delivering = deliverDue(worker({ timeoutMs: 1500 })).then(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hanging.requests.length).toBeGreaterThan(0);
    const second = await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'b'));
    expect(second.riskDetections).toBeGreaterThan(0);
    expect(finished).toBe(false);
    await delivering;
    const [attempt] = await rows<{ error: string; status_code: number | null }>(database.db, sql`select error, status_code from webhook_attempts where tenant_id = ${tenant.id} limit 1`);
    expect(attempt).toEqual({ error: 'no answer within 1.5 s', status_code: null });
    expect(await countDeliveries(tenant.id, sql`status = 'pending'`)).toBeGreaterThan(0);
  });

  it('disables an endpoint that answers 410 Gone, with an audit entry, and queues nothing more for it', async () => {
    const tenant = await seedTenant(database.db);
    const gone = await receiver((_request, res) => res.writeHead(410).end('gone'));
    const { webhook } = await webhookFor(tenant, gone.url, ['riskyUser.riskChanged']);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'a'));
    await deliverDue(worker());
    const [row] = await rows<{ enabled: boolean; disabled_reason: string }>(database.db, sql`select enabled, disabled_reason from webhooks where id = ${webhook.id}`);
    expect(row).toEqual({ enabled: false, disabled_reason: 'The receiver answered 410 Gone' });
    const audit = await rows<{ action: string }>(database.db, sql`select action from audit_log where tenant_id = ${tenant.id} and target_id = ${webhook.id} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['webhook.created', 'webhook.disabled']);
    expect(await countDeliveries(tenant.id, sql`status = 'failed'`)).toBe(1);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'b'));
    expect(await countDeliveries(tenant.id)).toBe(1);
  });

  it('lets two workers share the queue and deliver each event once', async () => {
    const tenant = await seedTenant(database.db);
    const healthy = await receiver((_request, res) => setTimeout(() => res.writeHead(204).end(), 5));
    await webhookFor(tenant, healthy.url, ['riskDetection.created']);
    const { riskDetections } = await ingestSignIns(database.db, tenant, travellers(tenant, 12));
    const drain = async () => {
      while ((await deliverDue(worker({ batchSize: 3 }))) > 0);
    };
    await Promise.all([drain(), drain()]);
    expect(healthy.requests).toHaveLength(riskDetections);
    expect(new Set(healthy.requests.map((request) => request.headers['riskdesk-delivery'])).size).toBe(riskDetections);
    expect(await countDeliveries(tenant.id, sql`status = 'succeeded'`)).toBe(riskDetections);
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const tenant = await seedTenant(database.db);
    const healthy = await receiver();
    const clock = testClock();
    const { webhook, secret: old } = await webhookFor(tenant, healthy.url, ['riskyUser.riskChanged']);
    const { secret: fresh } = await rotateWebhookSecret(database.db, tenant.id, webhook.id, webhook.version, settings, SYSTEM, clock.now());
    await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'a'), { now: clock.now() });
    await deliverDue(worker({ now: clock.now }));
    const [during] = healthy.requests;
    expect(String(during.headers['riskdesk-signature']).split(' ')).toHaveLength(2);
    expect(signedWith(fresh, during.headers, during.body)).toBe(true);
    expect(signedWith(old, during.headers, during.body)).toBe(true);

    clock.advance(24 * HOUR + 1000);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1, 'b'), { now: clock.now() });
    await deliverDue(worker({ now: clock.now }));
    const after = healthy.requests[1];
    expect(signedWith(fresh, after.headers, after.body)).toBe(true);
    expect(signedWith(old, after.headers, after.body)).toBe(false);
  });

  it('refuses loopback and private targets unless WEBHOOK_ALLOW_PRIVATE is set, after DNS too', async () => {
    const tenant = await seedTenant(database.db);
    const healthy = await receiver();
    await webhookFor(tenant, healthy.url.replace('127.0.0.1', 'localhost'), ['riskyUser.riskChanged']);
    await ingestSignIns(database.db, tenant, travellers(tenant, 1));
    await deliverDue(worker({ config: { secretsKey, webhookAllowPrivate: false } }));
    expect(healthy.requests).toHaveLength(0);
    const [attempt] = await rows<{ error: string }>(database.db, sql`select error from webhook_attempts where tenant_id = ${tenant.id}`);
    expect(attempt.error).toMatch(/https|private/);
  });

  it('does not follow redirects and keeps only the first 1 KB of a large answer', async () => {
    const tenant = await seedTenant(database.db);
    const target = await receiver();
    const answers = await receiver((_request, res, index) =>
      index === 0 ? res.writeHead(302, { Location: target.url }).end() : res.writeHead(200).end('x'.repeat(200 * 1024)),
    );
    await webhookFor(tenant, answers.url, ['riskyUser.riskChanged']);
    const clock = testClock();
    await ingestSignIns(database.db, tenant, travellers(tenant, 1), { now: clock.now() });
    await deliverDue(worker({ now: clock.now }));
    clock.advance(60_000);
    await deliverDue(worker({ now: clock.now }));
    expect(target.requests).toHaveLength(0);
    const attempts = await rows<{ status_code: number; length: number }>(database.db, sql`select status_code, length(response_body)::int as length from webhook_attempts where tenant_id = ${tenant.id} order by id`);
    expect(attempts).toEqual([{ status_code: 302, length: 0 }, { status_code: 200, length: 1024 }]);
  });
});
