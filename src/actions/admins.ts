import { and, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/client.js';
import { admins, recoveryCodes, ROLES, sessions, tenants, type Admin, type Role, type Tenant } from '../db/schema.js';
import { checkNewPassword, generateTemporaryPassword, hashPassword } from '../auth/passwords.js';
import { recordAudit, type Actor } from './audit-record.js';
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
  temporaryPassword?: string;
}

/** Without a password the admin gets a temporary one, shown once and to be changed at first sign-in. */
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

// The actions below are /settings/admins: a global admin managing the admins of their own tenant.
// Every one is scoped to that tenant, so another tenant's admin id answers 404 like an unknown one.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Locks and returns the tenant's admin, or 404 when the id is malformed, unknown or another tenant's. */
async function lockTenantAdmin(tx: Queryable, tenantId: string, adminId: string): Promise<Admin> {
  if (!UUID.test(adminId)) throw new ActionError(404, 'There is no such admin');
  const [admin] = await tx.select().from(admins).where(and(eq(admins.tenantId, tenantId), eq(admins.id, adminId))).for('update');
  if (!admin) throw new ActionError(404, 'There is no such admin');
  return admin;
}

function requireAdminVersion(admin: Admin, version: number | null): void {
  if (version === null) throw new ActionError(400, 'version is required: reload the page and try again');
  if (admin.version !== version) throw new ActionError(409, `${admin.email} changed since this page was loaded: here is the current state. Try again.`);
}

/** Refuses when the change would leave the tenant without a global admin; holds their rows locked. */
async function requireAnotherGlobalAdmin(tx: Queryable, tenantId: string, leaving: Admin): Promise<void> {
  if (leaving.role !== 'global_admin') return;
  const globals = await tx
    .select({ id: admins.id })
    .from(admins)
    .where(and(eq(admins.tenantId, tenantId), eq(admins.role, 'global_admin')))
    .for('update');
  if (globals.filter((row) => row.id !== leaving.id).length === 0) {
    throw new ActionError(409, `${leaving.email} is the last global administrator of this tenant`);
  }
}

export async function changeAdminRole(
  db: Db,
  tenantId: string,
  input: { adminId: string; role: string; version: number | null },
  actor: Actor,
): Promise<Admin> {
  return db.transaction(async (tx) => {
    const target = await lockTenantAdmin(tx, tenantId, input.adminId);
    requireAdminVersion(target, input.version);
    const role = parseRole(input.role);
    if (target.role === role) return target;
    if (role !== 'global_admin') await requireAnotherGlobalAdmin(tx, tenantId, target);
    const [updated] = await tx
      .update(admins)
      .set({ role, version: sql`${admins.version} + 1` })
      .where(eq(admins.id, target.id))
      .returning();
    await recordAudit(tx, actor, [
      { tenantId, action: 'admin.changeRole', targetType: 'admin', targetId: target.email, before: { role: target.role }, after: { role } },
    ]);
    return updated;
  });
}

/** Removes an admin of the tenant (their sessions and recovery codes go with them); never oneself. */
export async function removeAdmin(db: Db, tenantId: string, input: { adminId: string; version: number | null; actingAdminId: string }, actor: Actor): Promise<Admin> {
  return db.transaction(async (tx) => {
    const target = await lockTenantAdmin(tx, tenantId, input.adminId);
    if (target.id === input.actingAdminId) throw new ActionError(409, 'You cannot remove yourself: ask another global administrator');
    requireAdminVersion(target, input.version);
    await requireAnotherGlobalAdmin(tx, tenantId, target);
    await tx.delete(admins).where(eq(admins.id, target.id));
    await recordAudit(tx, actor, [
      { tenantId, action: 'admin.remove', targetType: 'admin', targetId: target.email, before: { email: target.email, role: target.role } },
    ]);
    return target;
  });
}

/** Turns another admin's two-step verification off, for one who lost their device and recovery codes. */
export async function resetAdminMfa(db: Db, tenantId: string, input: { adminId: string; version: number | null; actingAdminId: string }, actor: Actor): Promise<Admin> {
  return db.transaction(async (tx) => {
    const target = await lockTenantAdmin(tx, tenantId, input.adminId);
    if (target.id === input.actingAdminId) throw new ActionError(409, 'Manage your own two-step verification on your account page');
    requireAdminVersion(target, input.version);
    if (target.totpSecret === null) throw new ActionError(409, `${target.email} has no two-step verification to reset`);
    const [updated] = await tx
      .update(admins)
      .set({ totpSecret: null, totpLastCounter: null, version: sql`${admins.version} + 1` })
      .where(eq(admins.id, target.id))
      .returning();
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.adminId, target.id));
    await tx.delete(sessions).where(eq(sessions.adminId, target.id));
    await recordAudit(tx, actor, [{ tenantId, action: 'admin.resetMfa', targetType: 'admin', targetId: target.email }]);
    return updated;
  });
}

/** The acting admin must have two-step verification on first, so they do not lock themselves into enrolment. */
export async function setTenantMfaRequired(db: Db, tenant: Tenant, actingAdmin: Admin, required: boolean, actor: Actor): Promise<Tenant> {
  if (required && actingAdmin.totpSecret === null) {
    throw new ActionError(409, 'Turn on two-step verification for your own account first (Settings › Account)');
  }
  return db.transaction(async (tx) => {
    const [updated] = await tx.update(tenants).set({ mfaRequired: required }).where(eq(tenants.id, tenant.id)).returning();
    if (updated.mfaRequired !== tenant.mfaRequired) {
      await recordAudit(tx, actor, [
        { tenantId: tenant.id, action: 'tenant.setMfaRequired', targetType: 'tenant', targetId: tenant.domain, before: { mfaRequired: tenant.mfaRequired }, after: { mfaRequired: required } },
      ]);
    }
    return updated;
  });
}
