import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** What a hono/jsx element renders to. */
export type Html = string | Promise<string>;

/**
 * htmx 4 sends HX-Request: true on every request it makes and HX-Request-Type: partial when it swaps
 * less than the whole body. Only such a request gets the fragment; everything else (a plain visit,
 * a boosted navigation with HX-Request-Type: full) gets the whole page.
 */
export function wantsFragment(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') === 'partial';
}

/**
 * An htmx request that swaps part of the page (a row, a blade section) rather than a boosted form
 * (HX-Request-Type: full): it gets the changed part back instead of a redirect.
 */
export function wantsSwap(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

/** Renders the fragment for htmx partial requests and the page otherwise, and says that it varies. */
export function renderPageOrFragment(c: Context, page: () => Html, fragment: () => Html, status = 200) {
  c.header('Vary', 'HX-Request, HX-Request-Type', { append: true });
  return c.html(wantsFragment(c) ? fragment() : page(), status as ContentfulStatusCode);
}

/** After a POST: 303 back for plain forms; for htmx, a client-side redirect header. */
export function redirectAfterPost(c: Context, location: string) {
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Location', location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
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
