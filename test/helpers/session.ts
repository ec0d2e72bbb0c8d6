import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { TEST_PASSWORD } from './fixtures.js';

export const ORIGIN = 'http://localhost';

/** Signs in through the real POST /login and returns the Cookie header to send on later requests. */
export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.request(`${ORIGIN}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams({ email, password }),
  });
  expect(res.status, `sign-in of ${email}`).toBe(303);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0];
}

/** A GET as the signed-in admin. */
export function get(app: App, cookie: string, path: string, headers: Record<string, string> = {}) {
  return app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie, ...headers } });
}

/** A same-origin form POST as the signed-in admin. */
export function post(app: App, cookie: string, path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return app.request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, Cookie: cookie, ...headers },
    body,
  });
}
