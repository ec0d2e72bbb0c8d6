import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { Admin, Session, Tenant } from '../db/schema.js';
import { editionLabel } from '../../views/layout.js';
import { redirectTo, refuse } from '../http/render.js';
import { deleteSessionCookie, getSessionCookie, setSessionCookie } from './cookie.js';
import { canAdministerTenant, isGlobalAdminPath, isPremium, isPremiumPath, isReaderAllowedPost } from './permissions.js';
import { sessionExpiresAt, validateSessionToken } from './sessions.js';

/** Open without a session (login, health, static files); /api/* and /metrics authenticate on their own. */
export function isPublicPath(path: string): boolean {
  return (
    path === '/login' ||
    path === '/healthz' ||
    path.startsWith('/static/') ||
    path === '/api/v1/openapi.json' ||
    path.startsWith('/api/') ||
    path === '/metrics'
  );
}

/**
 * What a signed-in admin must do before anything else, in this order: prove the second factor (only
 * sign-out and the code form are open, so a stolen password cannot reach account settings), change
 * a temporary password, enrol in MFA when the tenant requires it.
 */
type PendingStep = 'secondFactor' | 'password' | 'enrolMfa';

const PENDING: Record<PendingStep, { paths: readonly string[]; location: string }> = {
  secondFactor: { paths: ['/logout', '/login/two-factor'], location: '/login/two-factor' },
  password: { paths: ['/logout', '/settings/account'], location: '/settings/account?required=password' },
  enrolMfa: { paths: ['/logout', '/settings/account'], location: '/settings/account?required=mfa' },
};

export function pendingStep(admin: Admin, tenant: Tenant, session: Session): PendingStep | null {
  if (admin.totpSecret !== null && !session.twoFactorVerified) return 'secondFactor';
  if (admin.mustChangePassword) return 'password';
  if (tenant.mfaRequired && admin.totpSecret === null) return 'enrolMfa';
  return null;
}

/**
 * Authenticated by default: every request outside the public paths needs a valid session, which
 * puts the admin and tenant on c.var. Also enforces the edition and role rules of permissions.ts.
 */
export function requireSession(isRoute: (path: string) => boolean = () => true): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    // A path no route serves is 404 signed in or out, without a detour through the login page.
    if (!isRoute(c.req.path)) return c.notFound();
    const token = getSessionCookie(c);
    const validated = token ? await validateSessionToken(c.var.deps.database.db, token, c.var.deps.now()) : null;
    if (!validated) {
      if (token) deleteSessionCookie(c);
      return redirectToLogin(c);
    }
    const { session, admin, tenant, renewed } = validated;
    if (renewed && token) setSessionCookie(c, token, sessionExpiresAt(session));
    c.set('admin', admin);
    c.set('tenant', tenant);
    c.set('sessionId', session.id);

    const step = pendingStep(admin, tenant, session);
    if (step && !PENDING[step].paths.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`))) {
      return redirectTo(c, withNext(c, PENDING[step].location));
    }
    const denied = checkAccess(c);
    if (denied) return denied;
    return next();
  };
}

function checkAccess(c: Context<AppEnv>) {
  const { admin, tenant } = c.var;
  const path = c.req.path;
  if (isPremiumPath(path) && !isPremium(tenant.edition)) {
    const message = `This view is part of Premium P1 and Premium P2. ${tenant.name} is on ${editionLabel(tenant.edition)}: ask your operator to change the edition to see it.`;
    return refuse(c, { status: 403, title: 'Premium feature', message });
  }
  if (isGlobalAdminPath(path) && !canAdministerTenant(admin.role)) {
    return forbidden(c, 'Only a global administrator can manage this.');
  }
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && admin.role === 'security_reader' && !isReaderAllowedPost(path)) {
    return forbidden(c, 'Security readers can view and download, but not change anything.');
  }
  return null;
}

export function forbidden(c: Context<AppEnv>, message: string) {
  return refuse(c, { status: 403, message });
}

function redirectToLogin(c: Context<AppEnv>) {
  const url = new URL(c.req.url);
  const next = c.req.method === 'GET' ? url.pathname + url.search : '/';
  return redirectTo(c, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, 401);
}

/** Keeps the page a GET was heading for, so the admin lands there once the step is done. */
function withNext(c: Context<AppEnv>, location: string): string {
  const url = new URL(c.req.url);
  const next = url.pathname + url.search;
  if (c.req.method !== 'GET' || next === '/' || location.includes('?')) return location;
  return `${location}?next=${encodeURIComponent(next)}`;
}

