import { eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { tenants, type Tenant } from '../db/schema.js';

export async function getTenantByDomain(db: Queryable, domain: string): Promise<Tenant | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.domain, domain.trim().toLowerCase()));
  return tenant ?? null;
}

export async function listTenants(db: Queryable): Promise<Tenant[]> {
  return db.select().from(tenants).orderBy(tenants.domain);
}
