import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { FilterError, parseListFilters, type ListFilters, type ListSpec } from './list-filters.js';
import { refuse, wantsFragment } from './render.js';

/** The request's query string, as the filters read it. */
export function requestQuery(c: Context<AppEnv>): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** A list's URL with its query, for returnTo. */
export function listUrl(path: string, query: URLSearchParams): string {
  // Commas need no escaping in a query string, and `columns=user,time` reads better in a bookmark.
  const search = query.toString().replace(/%2C/gi, ',');
  return search ? `${path}?${search}` : path;
}

/**
 * A list fragment names the URL htmx should show: the list's own non-empty parameters, not every
 * empty field the form sent. The same URL again (Enter after a change already swapped) replaces
 * the entry instead of pushing a second one.
 */
export function pushListUrl(c: Context<AppEnv>, path: string, query: URLSearchParams): void {
  if (!wantsFragment(c)) return;
  const url = listUrl(path, query);
  const current = c.req.header('HX-Current-URL');
  let same = false;
  try {
    const seen = current ? new URL(current) : null;
    same = seen !== null && seen.pathname + seen.search === url;
  } catch {
    same = false;
  }
  c.header(same ? 'HX-Replace-Url' : 'HX-Push-Url', url);
}

/**
 * Parses a list's filters and runs the handler with them; a bad value, found while parsing or when
 * the query decodes the cursor, answers 400 naming the parameter (a fragment for htmx, else a page).
 */
export function withFilters(c: Context<AppEnv>, spec: ListSpec, handle: (filters: ListFilters) => Promise<Response>): Promise<Response> {
  return withFiltersOf(c, spec, requestQuery(c), handle);
}

/** withFilters for a query other than the request's (a list re-rendered after a refused POST). */
export async function withFiltersOf(c: Context<AppEnv>, spec: ListSpec, query: URLSearchParams, handle: (filters: ListFilters) => Promise<Response>): Promise<Response> {
  try {
    const filters = parseListFilters(query, spec, { edition: c.var.tenant.edition, now: c.var.deps.now() });
    return await handle(filters);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    return refuse(c, error);
  }
}
