import { Hono } from 'hono';
import { apiErrorResponse, onApiError, requireApiKey, type ApiEnv } from './http.js';
import { openApiRoutes } from './openapi.js';
import { riskApiRoutes } from './risk.js';
import { riskDetectionsApiRoutes } from './risk-detections.js';
import { riskyUsersApiRoutes } from './risky-users.js';
import { signInsApiRoutes } from './sign-ins.js';

// /api/v1 (docs/api.md): bearer API keys instead of sessions, no CSRF check (no cookies),
// and JSON everywhere, errors and unknown paths included. openapi.json is open.

export const apiRoutes = new Hono<ApiEnv>()
  .route('/', openApiRoutes)
  // Authenticates with its reads, in one round trip (risk.ts).
  .route('/', riskApiRoutes)
  .use('/api/v1/*', requireApiKey())
  .route('/', signInsApiRoutes)
  .route('/', riskDetectionsApiRoutes)
  .route('/', riskyUsersApiRoutes)
  .all('/api/*', (c) => apiErrorResponse(c, 404, `There is no ${c.req.method} ${c.req.path} in this API; see /api/v1/openapi.json.`));

apiRoutes.onError(onApiError);
