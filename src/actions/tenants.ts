import { eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { EDITIONS, tenants, type Edition, type Tenant } from '../db/schema.js';
import { getTenantByDomain } from '../queries/tenants.js';
import { ActionError } from './errors.js';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function parseEdition(value: string | undefined): Edition {
  if (!value || !(EDITIONS as readonly string[]).includes(value)) {
    throw new ActionError(400, `edition must be one of ${EDITIONS.join(', ')}${value ? `, got "${value}"` : ''}`);
  }
  return value as Edition;
}

export async function createTenant(db: Queryable, input: { name: string; domain: string; edition: string }): Promise<Tenant> {
  const name = input.name?.trim();
  const domain = input.domain?.trim().toLowerCase();
  if (!name) throw new ActionError(400, 'name is required');
  if (!domain || !DOMAIN.test(domain)) throw new ActionError(400, `domain must be a domain name such as contoso.com${domain ? `, got "${domain}"` : ''}`);
  const edition = parseEdition(input.edition);
  const [created] = await db.insert(tenants).values({ name, domain, edition }).onConflictDoNothing().returning();
  if (!created) throw new ActionError(409, `a tenant with domain ${domain} exists already`);
  return created;
}

export async function requireTenantByDomain(db: Queryable, domain: string | undefined): Promise<Tenant> {
  if (!domain) throw new ActionError(400, '--tenant DOMAIN is required');
  const tenant = await getTenantByDomain(db, domain);
  if (!tenant) throw new ActionError(404, `no tenant with domain ${domain}`);
  return tenant;
}

export async function setTenantEdition(db: Queryable, domain: string | undefined, edition: string | undefined): Promise<Tenant> {
  const parsed = parseEdition(edition);
  const tenant = await requireTenantByDomain(db, domain);
  const [updated] = await db.update(tenants).set({ edition: parsed }).where(eq(tenants.id, tenant.id)).returning();
  return updated;
}
