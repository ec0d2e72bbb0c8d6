import { Hono } from 'hono';
import { parseApiListParams } from '../../queries/api-list-params.js';
import { listApiRiskDetections } from '../../queries/api-risk-detections.js';
import type { ApiEnv } from './http.js';
import { graphPage } from './pages.js';

export const riskDetectionsApiRoutes = new Hono<ApiEnv>().get('/api/v1/risk-detections', async (c) => {
  const params = parseApiListParams(c.req.query());
  return c.json(graphPage(c, await listApiRiskDetections(c.var.deps.database.db, c.var.tenant.id, params)));
});
