import { Hono } from 'hono';
import { apiKeyIdOf } from '../../auth/api-keys.js';
import { getUserRiskDecisionOfKey } from '../../queries/api-policy.js';
import { ApiError, authenticate, type ApiEnv } from './http.js';

// An identity provider asks this about every user while the user waits, so the key's validation and
// the decision's reads go out in one round trip (the decision is read for the key's tenant and used
// only once the key is valid). It is mounted before the API's key middleware for that reason.

export const riskApiRoutes = new Hono<ApiEnv>().get('/api/v1/risk/users/:upn', async (c) => {
  const upn = c.req.param('upn').trim();
  const valid = upn !== '' && upn.length <= 320 && !upn.includes('\u0000');
  const authenticated = await authenticate(c, (key) => {
    const keyId = apiKeyIdOf(key);
    return valid && keyId ? getUserRiskDecisionOfKey(c.var.deps.database.db, keyId, upn) : Promise.resolve(undefined);
  });
  if (authenticated instanceof Response) return authenticated;
  if (!valid || !authenticated.read) throw new ApiError(400, 'The user principal name must be 1 to 320 characters.');
  return c.json(authenticated.read);
});
