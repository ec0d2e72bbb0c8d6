import { createAdmin } from '../../src/actions/admins.js';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { createTenant } from '../../src/actions/tenants.js';
import type { Db } from '../../src/db/client.js';
import type { Admin, Edition, Role, Tenant } from '../../src/db/schema.js';

export const TEST_PASSWORD = 'correct-horse-battery';

let counter = 0;

/** A tenant of its own for a test, with a unique domain. */
export async function seedTenant(db: Db, edition: Edition = 'premium_p2', name?: string): Promise<Tenant> {
  counter += 1;
  const slug = `t${Date.now().toString(36)}${counter}`;
  return createTenant(db, { name: name ?? `Tenant ${slug}`, domain: `${slug}.example.com`, edition });
}

/** An admin with TEST_PASSWORD as a permanent password. */
export async function seedAdmin(db: Db, tenant: Tenant, role: Role = 'global_admin'): Promise<Admin> {
  counter += 1;
  const { admin } = await createAdmin(
    db,
    { tenantId: tenant.id, email: `${role.replace('_', '-')}${counter}@${tenant.domain}`, role, password: TEST_PASSWORD },
    SYSTEM,
  );
  return admin;
}
