import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';

// Secure outside localhost; with Secure the __Host- prefix pins the cookie to this host and path /.
function isSecure(c: Context<AppEnv>): boolean {
  const origin = c.var.deps.config.publicOrigin;
  if (origin) return origin.startsWith('https:');
  const host = new URL(c.req.url).hostname;
  return !['localhost', '127.0.0.1', '[::1]', '::1'].includes(host);
}

function cookieName(secure: boolean): string {
  return secure ? '__Host-riskdesk_session' : 'riskdesk_session';
}

export function getSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, cookieName(isSecure(c)));
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  const secure = isSecure(c);
  setCookie(c, cookieName(secure), token, { httpOnly: true, sameSite: 'Lax', path: '/', secure, expires: expiresAt });
}

export function deleteSessionCookie(c: Context<AppEnv>): void {
  const secure = isSecure(c);
  deleteCookie(c, cookieName(secure), { path: '/', secure });
}
