import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ActionError } from '../../actions/errors.js';
import { ThrottledError } from '../../auth/throttle.js';
import type { Html } from '../../http/render.js';

/**
 * Answers a refused action by re-rendering the page with the message and the matching status
 * (400, 404, 409, or 429 with Retry-After); anything else is a real failure and propagates.
 */
export async function renderFailure(c: Context, error: unknown, page: (message: string) => Html | Promise<Html>): Promise<Response> {
  if (error instanceof ThrottledError) {
    c.header('Retry-After', String(error.retryAfterSeconds));
    return c.html(await page(error.message), 429);
  }
  if (error instanceof ActionError) return c.html(await page(error.message), error.status as ContentfulStatusCode);
  throw error;
}
