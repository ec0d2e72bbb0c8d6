import type { Context } from 'hono';
import type { LayoutAdmin } from '../../views/layout.js';
import type { AppEnv } from '../app-env.js';
import { isPremium } from '../auth/permissions.js';

export function layoutAdmin(c: Context<AppEnv>): LayoutAdmin | null {
  const admin = c.get('admin');
  const tenant = c.get('tenant');
  if (!admin || !tenant) return null;
  return { email: admin.email, role: admin.role, tenantName: tenant.name, edition: tenant.edition, premium: isPremium(tenant.edition) };
}
