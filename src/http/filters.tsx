import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { FilterError, parseListFilters, type ListFilters, type ListSpec } from './list-filters.js';
import { refuse } from './render.js';

/** The request's query string, as the filters read it. */
export function requestQuery(c: Context<AppEnv>): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** A list's URL with its query, for returnTo. */
export function listUrl(path: string, query: URLSearchParams): string {
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Parses a list's filters and runs the handler with them; a bad value, found while parsing or when
 * the query decodes the cursor, answers 400 naming the parameter (a fragment for htmx, else a page).
 */
export async function withFilters(c: Context<AppEnv>, spec: ListSpec, handle: (filters: ListFilters) => Promise<Response>): Promise<Response> {
  try {
    const filters = parseListFilters(requestQuery(c), spec, { edition: c.var.tenant.edition, now: c.var.deps.now() });
    return await handle(filters);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    return refuse(c, error);
  }
}
