import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { Metrics } from '../http/metrics.js';
import { getWebhookQueueStats, type WebhookQueueStats } from '../queries/webhooks.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GET /metrics for `Authorization: Bearer $METRICS_TOKEN`; 404 while no token is configured. */
export function metricsRoutes(metrics: Metrics) {
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    const token = c.var.deps.config.metricsToken;
    if (!token) return c.notFound();
    const given = c.req.header('Authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    if (!sameSecret(given, token)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.text('A valid metrics token is required.', 401);
    }
    c.header('Cache-Control', 'no-store');
    const up = await c.var.deps.database.ping();
    const webhooks = up ? renderWebhookStats(await getWebhookQueueStats(c.var.deps.database.db, c.var.deps.now())) : '';
    return c.body(metrics.render(up) + webhooks, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}

function renderWebhookStats(stats: WebhookQueueStats): string {
  const lines = [
    '# HELP riskdesk_webhook_deliveries Webhook deliveries in the outbox (all instances), by outcome.',
    '# TYPE riskdesk_webhook_deliveries gauge',
    ...Object.entries(stats.byStatus).map(([status, count]) => `riskdesk_webhook_deliveries{status="${status}"} ${count}`),
    '# HELP riskdesk_webhook_queue_age_seconds Age of the oldest webhook delivery not yet delivered.',
    '# TYPE riskdesk_webhook_queue_age_seconds gauge',
    `riskdesk_webhook_queue_age_seconds ${stats.oldestPendingSeconds}`,
  ];
  return `${lines.join('\n')}\n`;
}
