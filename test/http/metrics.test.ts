import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { addWebhook } from '../../src/actions/webhooks.js';
import { seedTenant } from '../helpers/fixtures.js';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp } from '../helpers/app.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

const TOKEN = 'metrics-token-for-tests';

describe('GET /metrics', () => {
  it('answers 404 while METRICS_TOKEN is unset', async () => {
    const app = buildTestApp(database);
    expect((await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('refuses a missing or wrong token with 401', async () => {
    const app = buildTestApp(database, { config: { metricsToken: TOKEN } });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { Authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
  });

  it('serves Prometheus text with request counts for the right token', async () => {
    const app = buildTestApp(database, { config: { metricsToken: TOKEN } });
    await app.request('/healthz');
    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toMatch(/^riskdesk_http_requests_total\{method="GET",status="2xx"\} [1-9]\d*$/m);
    expect(text).toMatch(/^riskdesk_database_up 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(Number(/^process_cpu_seconds_total ([\d.]+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
  });
});

describe('GET /metrics webhook queue', () => {
  it('reports deliveries by outcome and the age of the oldest one waiting', async () => {
    const tenant = await seedTenant(database.db);
    const { webhook } = await addWebhook(database.db, tenant.id, { name: 'x', url: 'https://siem.example.com', events: ['riskDetection.created'] }, { secretsKey: randomBytes(32), allowPrivate: false }, SYSTEM, new Date());
    const now = new Date('2026-11-27T12:00:00Z');
    for (const [status, minutesAgo] of [['pending', 10], ['pending', 2], ['succeeded', 30], ['failed', 60]] as const) {
      const at = new Date(now.getTime() - minutesAgo * 60_000).toISOString();
      await database.db.execute(sql`insert into webhook_deliveries (tenant_id, webhook_id, event, payload, status, created_at, retry_until)
        values (${tenant.id}, ${webhook.id}, 'riskDetection.created', '{}'::jsonb, ${status}, ${at}::timestamptz, ${at}::timestamptz)`);
    }
    const app = buildTestApp(database, { config: { metricsToken: TOKEN }, now: () => now });
    const text = await (await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toMatch(/^riskdesk_webhook_deliveries\{status="pending"\} 2$/m);
    expect(text).toMatch(/^riskdesk_webhook_deliveries\{status="succeeded"\} 1$/m);
    expect(text).toMatch(/^riskdesk_webhook_deliveries\{status="failed"\} 1$/m);
    expect(text).toMatch(/^riskdesk_webhook_queue_age_seconds 600$/m);
  });
});
