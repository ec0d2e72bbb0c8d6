import type { Context } from 'hono';
import type { Page } from '../../queries/keyset.js';
import type { ApiEnv } from './http.js';

/** A Graph page: the rows as `value`, and an @odata.nextLink (this URL with the next $skiptoken) while more follow. */
export function graphPage<T>(c: Context<ApiEnv>, page: Page<T>) {
  if (!page.next) return { value: page.rows };
  const url = new URL(c.req.url);
  url.searchParams.set('$skiptoken', page.next);
  const origin = c.var.deps.config.publicOrigin ?? url.origin;
  return { value: page.rows, '@odata.nextLink': `${origin}${url.pathname}${url.search}` };
}
