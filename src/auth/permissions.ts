import type { Edition, Role } from '../db/schema.js';

// The one place that decides what an edition may see and what a role may do. Route modules and the
// auth middleware ask here; the role and edition matrices in the tests are generated from it.

export const PREMIUM_EDITIONS: readonly Edition[] = ['premium_p1', 'premium_p2'];

export function isPremium(edition: Edition): boolean {
  return PREMIUM_EDITIONS.includes(edition);
}

export const PREMIUM_PATHS = ['/security/risk-events', '/security/users', '/security/policies', '/settings/detection'] as const;

function underAny(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export function isPremiumPath(path: string): boolean {
  return underAny(path, PREMIUM_PATHS);
}

/** POSTs a security reader may still make: finishing sign-in, signing out, managing their own account. */
export const READER_POST_PATHS = ['/login/two-factor', '/logout', '/settings/account'] as const;

export function isReaderAllowedPost(path: string): boolean {
  return underAny(path, READER_POST_PATHS);
}

/** Investigation and feedback actions (Resolve, Mark as false positive, ...), lists (trusted locations, leak lists), directory uploads and policy. */
export function canInvestigate(role: Role): boolean {
  return role === 'global_admin' || role === 'security_admin';
}

/** Admins, API keys, webhooks and tenant settings. */
export function canAdministerTenant(role: Role): boolean {
  return role === 'global_admin';
}

export const GLOBAL_ADMIN_PATHS = ['/settings/admins', '/settings/api-keys', '/settings/webhooks'] as const;

export function isGlobalAdminPath(path: string): boolean {
  return underAny(path, GLOBAL_ADMIN_PATHS);
}

export const ROLE_LABELS: Record<Role, string> = {
  global_admin: 'Global administrator',
  security_admin: 'Security administrator',
  security_reader: 'Security reader',
};
