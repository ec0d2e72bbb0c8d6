import type { App } from '../../src/app.js';
import { createSession } from '../../src/auth/sessions.js';
import type { Database } from '../../src/db/client.js';
import type { Admin } from '../../src/db/schema.js';
import { TEST_PASSWORD } from '../helpers/fixtures.js';
import { ORIGIN } from '../helpers/session.js';

// Helpers shared by the auth-*.test.ts files.

/** node-server style bindings, so getConnInfo sees this connecting address. */
export function fromAddress(address: string) {
  return { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' } } };
}

export interface RequestOptions {
  cookie?: string;
  ip?: string;
  headers?: Record<string, string>;
}

/** A same-origin form POST, optionally with a session cookie and from a given address. */
export function postForm(app: App, path: string, form: Record<string, string>, options: RequestOptions = {}) {
  return app.request(
    `${ORIGIN}${path}`,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: ORIGIN,
        ...(options.cookie ? { Cookie: options.cookie } : {}),
        ...options.headers,
      },
      body: new URLSearchParams(form),
    },
    options.ip ? fromAddress(options.ip) : {},
  );
}

export function getPage(app: App, path: string, options: RequestOptions = {}) {
  return app.request(
    `${ORIGIN}${path}`,
    { headers: { ...(options.cookie ? { Cookie: options.cookie } : {}), ...options.headers } },
    options.ip ? fromAddress(options.ip) : {},
  );
}

export function postLogin(app: App, form: { email: string; password?: string; code?: string; next?: string }, options: RequestOptions = {}) {
  const body: Record<string, string> = { email: form.email, password: form.password ?? TEST_PASSWORD };
  if (form.code !== undefined) body.code = form.code;
  if (form.next !== undefined) body.next = form.next;
  return postForm(app, '/login', body, options);
}

/** "name=value" of the session cookie a response sets, or null. */
export function sessionCookieOf(res: Response): string | null {
  const header = res.headers.get('set-cookie');
  if (!header) return null;
  return header.split(';')[0];
}

/** A session made directly in the database, second factor done: quick for matrices. */
export async function sessionFor(database: Database, admin: Admin, now = new Date()): Promise<string> {
  const { token } = await createSession(database.db, admin.id, now, true);
  return `riskdesk_session=${token}`;
}

/** The value of the hidden input `name` in a page, or null. */
export function hiddenValue(html: string, name: string): string | null {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return match ? match[1] : null;
}
