import { Hono } from 'hono';
import { parseApiListParams } from '../../http/api-list-params.js';
import { listApiRiskDetections } from '../../queries/api-risk-detections.js';
import { decodeDeltaToken, encodeDeltaToken, latestDeltaPosition, listRiskDetectionChanges } from '../../queries/api-risk-detections-delta.js';
import type { ApiEnv } from './http.js';
import { graphPage } from './pages.js';

export const riskDetectionsApiRoutes = new Hono<ApiEnv>()
  .get('/api/v1/risk-detections', async (c) => {
    const params = parseApiListParams(c.req.query());
    return c.json(graphPage(c, await listApiRiskDetections(c.var.deps.database.db, c.var.tenant.id, params)));
  })
  .get('/api/v1/risk-detections/delta', async (c) => {
    const { db } = c.var.deps.database;
    const query = c.req.query();
    const top = parseApiListParams({ $top: query.$top ?? '1000' }).top;
    const link = (name: '$skiptoken' | '$deltatoken', token: string) => {
      const url = new URL(c.req.url);
      const origin = c.var.deps.config.publicOrigin ?? url.origin;
      const next = new URLSearchParams({ [name]: token });
      if (query.$top) next.set('$top', query.$top);
      return `${origin}${url.pathname}?${next}`;
    };
    if (query.$deltatoken === 'latest') {
      return c.json({ value: [], '@odata.deltaLink': link('$deltatoken', encodeDeltaToken(await latestDeltaPosition(db, c.var.tenant.id))) });
    }
    const token = query.$skiptoken ? decodeDeltaToken(query.$skiptoken, '$skiptoken') : query.$deltatoken ? decodeDeltaToken(query.$deltatoken, '$deltatoken') : null;
    const page = await listRiskDetectionChanges(db, c.var.tenant.id, token, top);
    const next = encodeDeltaToken(page.position);
    return c.json(page.more ? { value: page.rows, '@odata.nextLink': link('$skiptoken', next) } : { value: page.rows, '@odata.deltaLink': link('$deltatoken', next) });
  });
