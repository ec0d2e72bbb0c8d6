import type { App } from '../../src/app.js';
import { ORIGIN } from '../helpers/session.js';

// Helpers shared by the settings-*.test.ts files of the tenant's lists.

/** A same-origin multipart/form-data POST, as a browser sends a form with a file input. */
export function postMultipart(app: App, cookie: string, path: string, fields: Record<string, string>, file?: { name: string; content: string | Uint8Array; type?: string }) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  if (file) body.append('file', new Blob([file.content], { type: file.type ?? 'text/plain' }), file.name);
  return app.request(`${ORIGIN}${path}`, { method: 'POST', headers: { Origin: ORIGIN, Cookie: cookie }, body });
}

/** The visible text of a page, tags dropped and whitespace collapsed, for phrase assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.:;])/g, '$1');
}
