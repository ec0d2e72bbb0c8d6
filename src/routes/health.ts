import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';

export const healthRoutes = new Hono<AppEnv>().get('/healthz', async (c) => {
  c.header('Cache-Control', 'no-store');
  const up = await c.var.deps.database.ping();
  return up ? c.text('ok') : c.text('database unavailable', 503);
});
