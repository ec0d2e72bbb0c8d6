import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { Metrics } from '../http/metrics.js';

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
    return c.body(metrics.render(await c.var.deps.database.ping()), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
