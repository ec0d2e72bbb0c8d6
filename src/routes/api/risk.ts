import { Hono } from 'hono';
import { getUserRiskDecision } from '../../queries/api-policy.js';
import { ApiError, type ApiEnv } from './http.js';

export const riskApiRoutes = new Hono<ApiEnv>().get('/api/v1/risk/users/:upn', async (c) => {
  const upn = c.req.param('upn').trim();
  if (upn === '' || upn.length > 320 || upn.includes('\u0000')) throw new ApiError(400, 'The user principal name must be 1 to 320 characters.');
  return c.json(await getUserRiskDecision(c.var.deps.database.db, c.var.tenant.id, upn));
});
