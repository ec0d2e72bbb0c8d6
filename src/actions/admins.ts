import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { admins, ROLES, sessions, type Admin, type Role } from '../db/schema.js';
import { checkNewPassword, generateTemporaryPassword, hashPassword } from '../auth/passwords.js';
import { recordAudit, type Actor } from './audit.js';
import { ActionError } from './errors.js';
import { requireTenantByDomain } from './tenants.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseRole(value: string | undefined): Role {
  if (!value || !(ROLES as readonly string[]).includes(value)) {
    throw new ActionError(400, `role must be one of ${ROLES.join(', ')}${value ? `, got "${value}"` : ''}`);
  }
  return value as Role;
}

export function normaliseEmail(value: string | undefined): string {
  const email = value?.trim().toLowerCase() ?? '';
  if (!EMAIL.test(email) || email.length > 254) throw new ActionError(400, `email must be an email address${email ? `, got "${email}"` : ''}`);
  return email;
}

export interface CreatedAdmin {
  admin: Admin;
  /** Set when the password was generated: shown once, and must be changed at first sign-in. */
  temporaryPassword?: string;
}

/**
 * Creates an admin of a tenant. With a password it is permanent; without one a temporary password
 * is generated, shown once, and must be changed at first sign-in.
 */
export async function createAdmin(
  db: Db,
  input: { tenantId: string; email: string | undefined; role: string | undefined; password?: string; displayName?: string },
  actor: Actor,
): Promise<CreatedAdmin> {
  const email = normaliseEmail(input.email);
  const role = parseRole(input.role);
  if (input.password !== undefined) {
    const problem = checkNewPassword(input.password);
    if (problem) throw new ActionError(400, problem);
  }
  const temporaryPassword = input.password === undefined ? generateTemporaryPassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .insert(admins)
      .values({
        tenantId: input.tenantId,
        email,
        role,
        passwordHash,
        displayName: input.displayName ?? null,
        mustChangePassword: temporaryPassword !== undefined,
      })
      .onConflictDoNothing()
      .returning();
    if (!admin) throw new ActionError(409, `an admin with email ${email} exists already`);
    await recordAudit(tx, actor, [
      { tenantId: admin.tenantId, action: 'admin.create', targetType: 'admin', targetId: email, after: { email, role } },
    ]);
    return { admin, temporaryPassword };
  });
}

export async function createAdminInTenant(
  db: Db,
  input: { tenant: string | undefined; email: string | undefined; role: string | undefined; password?: string },
  actor: Actor,
): Promise<CreatedAdmin & { tenantDomain: string }> {
  const tenant = await requireTenantByDomain(db, input.tenant);
  const created = await createAdmin(db, { tenantId: tenant.id, email: input.email, role: input.role, password: input.password }, actor);
  return { ...created, tenantDomain: tenant.domain };
}

export async function getAdminByEmail(db: Db, email: string): Promise<Admin | null> {
  const [admin] = await db.select().from(admins).where(eq(sql`lower(${admins.email})`, email.trim().toLowerCase()));
  return admin ?? null;
}

/** Operator recovery: sets a temporary password (to be changed at sign-in) and ends every session. */
export async function resetAdminPassword(db: Db, emailInput: string | undefined, actor: Actor): Promise<{ admin: Admin; temporaryPassword: string }> {
  const email = normaliseEmail(emailInput);
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .update(admins)
      .set({ passwordHash, mustChangePassword: true, version: sql`${admins.version} + 1` })
      .where(eq(sql`lower(${admins.email})`, email))
      .returning();
    if (!admin) throw new ActionError(404, `no admin with email ${email}`);
    await tx.delete(sessions).where(eq(sessions.adminId, admin.id));
    await recordAudit(tx, actor, [{ tenantId: admin.tenantId, action: 'admin.resetPassword', targetType: 'admin', targetId: email }]);
    return { admin, temporaryPassword };
  });
}
