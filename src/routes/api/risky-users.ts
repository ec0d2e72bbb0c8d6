import { Hono, type Context } from 'hono';
import { applyToRiskyUsers, parseUserIds, type RiskyUserAction } from '../../actions/api-risky-users.js';
import { apiKeyActor } from '../../auth/api-keys.js';
import { parseApiListParams } from '../../http/api-list-params.js';
import { listApiRiskyUsers } from '../../queries/api-risky-users.js';
import { readJson, type ApiEnv } from './http.js';
import { graphPage } from './pages.js';

const actionRoute = (action: RiskyUserAction) => async (c: Context<ApiEnv>) => {
  const userIds = parseUserIds(await readJson(c));
  await applyToRiskyUsers(c.var.deps.database.db, { tenantId: c.var.tenant.id, userIds, action, actor: apiKeyActor(c.var.apiKey), now: c.var.deps.now() });
  return c.body(null, 204);
};

export const riskyUsersApiRoutes = new Hono<ApiEnv>()
  .get('/api/v1/risky-users', async (c) => {
    const params = parseApiListParams(c.req.query());
    return c.json(graphPage(c, await listApiRiskyUsers(c.var.deps.database.db, c.var.tenant.id, params)));
  })
  .post('/api/v1/risky-users/dismiss', actionRoute('dismiss'))
  .post('/api/v1/risky-users/confirmCompromised', actionRoute('confirmCompromised'))
  .post('/api/v1/risky-users/passwordChanged', actionRoute('passwordChanged'));
