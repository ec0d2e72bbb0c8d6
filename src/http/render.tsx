import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ErrorPage, ErrorPanel } from '../../views/errors.js';
import { FeedbackFlash } from '../../views/security/feedback-flash.js';
import type { AppEnv } from '../app-env.js';
import { layoutAdmin } from './layout-admin.js';
import { FilterError, listUrl, parseListFilters, requestQuery, type ListFilters, type ListSpec } from './list-filters.js';

export type Html = string | Promise<string>;

/** Only an htmx request that swaps part of the body (HX-Request-Type: partial) gets the fragment; boosted navigations get the page. */
export function wantsFragment(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') === 'partial';
}

/** An htmx swap of part of the page (a row, a blade section): it gets the changed part back instead of a redirect. */
export function wantsSwap(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

export function renderPageOrFragment(c: Context, page: () => Html, fragment: () => Html, status = 200) {
  c.header('Vary', 'HX-Request, HX-Request-Type', { append: true });
  return c.html(wantsFragment(c) ? fragment() : page(), status as ContentfulStatusCode);
}

/**
 * 303 after a POST, 302 for a GET: fetch follows it, so a plain or boosted form lands on the new page.
 * A partial swap gets HX-Redirect instead, so a page never lands inside a row.
 */
export function redirectTo(c: Context, location: string, htmxStatus: 200 | 401 = 200) {
  c.header('Vary', 'HX-Request, HX-Request-Type', { append: true });
  if (wantsSwap(c)) {
    c.header('HX-Redirect', location);
    return c.body(null, htmxStatus);
  }
  return c.redirect(location, c.req.method === 'GET' || c.req.method === 'HEAD' ? 302 : 303);
}

export type RefusalStatus = 400 | 403 | 404 | 409 | 413 | 414 | 422 | 429 | 500 | 503;

/** What is refused and why; an ActionError (and so a ThrottledError) or a FilterError is one. */
export interface Refusal {
  status: RefusalStatus;
  message: string;
  title?: string;
  retryAfterSeconds?: number;
}

export interface RefuseOptions {
  /** The form page re-rendered with the message, for a whole-page answer; without it, the error page. */
  page?: (message: string) => Html | Promise<Html>;
}

const TITLES: Record<RefusalStatus, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Changed meanwhile',
  413: 'Too large',
  414: 'Query string too long',
  422: 'Cannot do that',
  429: 'Too many attempts',
  500: 'Something went wrong',
  503: 'Unavailable',
};

/**
 * htmx 4 swaps 4xx/5xx, so a refusal must be safe to swap: a partial GET gets the error panel, a
 * partial action keeps its row (HX-Reswap: none) with the message out of band, anything else the
 * form page with the message or the error page.
 */
export async function refuse(c: Context<AppEnv>, { status, message, title = TITLES[status], retryAfterSeconds }: Refusal, options: RefuseOptions = {}): Promise<Response> {
  c.header('Vary', 'HX-Request, HX-Request-Type', { append: true });
  if (retryAfterSeconds !== undefined) c.header('Retry-After', String(retryAfterSeconds));
  const read = c.req.method === 'GET' || c.req.method === 'HEAD';
  if (read && wantsFragment(c)) return c.html(<ErrorPanel status={status} title={title} message={message} />, status);
  if (!read && wantsSwap(c)) {
    c.header('HX-Reswap', 'none');
    return c.html(<FeedbackFlash message={message} tone="refused" oob />, status);
  }
  if (options.page) return c.html(await options.page(message), status);
  return c.html(<ErrorPage status={status} title={title} message={message} admin={layoutAdmin(c)} />, status);
}

/** Accepts only a local path (no scheme, no host, no backslash tricks) to send the admin back to. */
export function safeLocalPath(value: string | null | undefined, fallback: string): string {
  if (!value || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  // Control characters can make browsers read the path as something else.
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    const url = new URL(value, 'http://local.invalid');
    if (url.origin !== 'http://local.invalid') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** Pushes the list's own non-empty parameters, not every empty field; the same URL again replaces the entry rather than pushing a second. */
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

/** A bad value, found while parsing or when the query decodes the cursor, answers 400 naming the parameter. */
export function withFilters(c: Context<AppEnv>, spec: ListSpec, handle: (filters: ListFilters) => Promise<Response>): Promise<Response> {
  return withFiltersOf(c, spec, requestQuery(c), handle);
}

export async function withFiltersOf(c: Context<AppEnv>, spec: ListSpec, query: URLSearchParams, handle: (filters: ListFilters) => Promise<Response>): Promise<Response> {
  try {
    const filters = parseListFilters(query, spec, { edition: c.var.tenant.edition, now: c.var.deps.now() });
    return await handle(filters);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    return refuse(c, error);
  }
}
