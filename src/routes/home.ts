import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { isPremium } from '../auth/permissions.js';
import { redirectTo } from '../http/render.js';

/** The console's front door: premium tenants land on risk events, the others on risky sign-ins. */
export const homeRoutes = new Hono<AppEnv>()
  .get('/', (c) => redirectTo(c, '/security'))
  .get('/security', (c) => redirectTo(c, isPremium(c.var.tenant.edition) ? '/security/risk-events' : '/security/risky-sign-ins'));
