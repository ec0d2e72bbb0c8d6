import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { addWebhook } from '../../src/actions/webhooks.js';
import { startWebhookWorker } from '../../src/webhooks/worker.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { startReceiver } from '../helpers/receiver.js';
import { HOUR, PLACES, signIn as signInRecord, T0, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const secretsKey = randomBytes(32);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe('webhooks end to end', () => {
  it('delivers one signed riskDetection.created per event of an import to a receiver that was down for its first minute', async () => {
    const tenant = await seedTenant(database.db, 'premium_p2', 'Contoso');
    const started = new Date();
    const clock = testClock(started);
    const accepted: string[] = [];
    let refused = 0;
    let downUntil: number | null = null;
    const receiver = await startReceiver((request, res) => {
      // Down for the first minute (of the worker's clock) from the first delivery it is sent: the
      // worker's idle polls move that clock on, so a window counted from the test's start could pass
      // before the import commits on a slower database.
      downUntil ??= clock.now().getTime() + 60_000;
      if (clock.now().getTime() < downUntil) {
        refused += 1;
        return res.writeHead(503).end('starting up');
      }
      accepted.push(String(request.headers['riskdesk-delivery']));
      res.writeHead(204).end();
    });
    const { secret } = await addWebhook(database.db, tenant.id, { name: 'SIEM', url: receiver.url, events: ['riskDetection.created'] }, { secretsKey, allowPrivate: true }, SYSTEM, clock.now());
    const app = buildTestApp(database, { config: { secretsKey, webhookAllowPrivate: true }, now: clock.now });
    // The worker's clock is the test's and every pause moves it on ten times faster: backoff passes in milliseconds.
    const worker = startWebhookWorker({
      db: database.db,
      config: { secretsKey, webhookAllowPrivate: true },
      now: clock.now,
      sleep: async (ms) => {
        clock.advance(ms * 10);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    let riskDetections = 0;
    try {
      const records = Array.from({ length: 5 }, (_, i) => [
        signInRecord({ id: `acc-${i}-a`, userId: `u${i}`, userPrincipalName: `u${i}@contoso.com`, atMs: T0 }),
        signInRecord({ id: `acc-${i}-b`, userId: `u${i}`, userPrincipalName: `u${i}@contoso.com`, atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.7' }),
      ]).flat();
      const res = await apiPost(app, await keyFor(database.db, tenant), '/api/v1/sign-ins', records.map(toGraph));
      expect(res.status).toBe(200);
      riskDetections = ((await res.json()) as unknown as { riskDetections: number }).riskDetections;
      expect(riskDetections).toBeGreaterThan(0);
      await expect.poll(() => accepted.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(riskDetections);
    } finally {
      await worker.stop();
      await receiver.close();
    }
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toHaveLength(riskDetections);
    expect(new Set(accepted).size).toBe(riskDetections);
    const payloads = receiver.payloads();
    expect(payloads.every((payload) => payload.type === 'riskDetection.created' && payload.tenant.id === tenant.id)).toBe(true);
    expect(new Set(payloads.map((payload) => payload.data.id)).size).toBe(riskDetections);
    for (const request of receiver.requests) {
      const expected = createHmac('sha256', secret).update(`${request.headers['riskdesk-timestamp']}.${request.body}`).digest('hex');
      expect(request.headers['riskdesk-signature']).toBe(`v1=${expected}`);
    }
  });
});
