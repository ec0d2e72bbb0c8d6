import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.js';

/** Forms and API bodies stop at 1 MB, except sign-in batches and list uploads, which carry their own caps. */
export const MAX_FORM_BYTES = 1024 * 1024;
const OWN_LIMITS = new Set(['/api/v1/sign-ins', '/api/v1/sign-ins/evaluate', '/settings/leaked-credentials', '/settings/directory']);

export function bodyCap(tooLarge: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  const capped = bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => tooLarge(c as Context<AppEnv>) });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || OWN_LIMITS.has(c.req.path)) return next();
    return capped(c, next);
  };
}

/**
 * At most `maxInFlight` requests are served at once and `maxQueued` wait for a turn; past that the
 * answer is 503 at once, so a burst cannot grow an unbounded queue in front of the database pool.
 */
export function requestGate(limits: { maxInFlight: number; maxQueued: number }, busy: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight -= 1;
  };
  return async (c, next) => {
    if (inFlight >= limits.maxInFlight) {
      if (waiting.length >= limits.maxQueued) {
        c.header('Retry-After', '1');
        return busy(c);
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      inFlight += 1;
    }
    try {
      await next();
    } finally {
      release();
    }
  };
}
