import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });
});
