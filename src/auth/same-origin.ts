import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

/** CSRF defence: a POST whose Sec-Fetch-Site or Origin names another site is refused (/api/* uses bearer keys, not cookies). */
export function requireSameOrigin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' || c.req.path.startsWith('/api/')) return next();
    const site = c.req.header('Sec-Fetch-Site');
    const origin = c.req.header('Origin');
    const expected = c.var.deps.config.publicOrigin ?? new URL(c.req.url).origin;
    if ((site && site !== 'same-origin') || (origin && origin !== expected)) {
      return c.text('Cross-site request refused: this form must be sent from Riskdesk itself.', 403);
    }
    return next();
  };
}
