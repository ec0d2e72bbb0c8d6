import { Hono, type Context } from 'hono';
import { AdminsPage, type AdminsPageProps } from '../../../views/settings/admins.js';
import type { AppEnv } from '../../app-env.js';
import { listTenantAdmins } from '../../queries/admins.js';
import { changeAdminRole, createAdmin, removeAdmin, resetAdminMfa, setTenantMfaRequired } from '../../actions/admins.js';
import { adminActor, type Actor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { ROLE_LABELS } from '../../auth/permissions.js';
import { ROLES } from '../../db/schema.js';
import { redirectTo, refuse } from '../../http/render.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { field, optionalVersion, readForm } from '../../http/forms.js';

// Global admins only: permissions.ts lists /settings/admins among GLOBAL_ADMIN_PATHS and the auth
// middleware refuses everyone else before these handlers run.

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

const NOTICES: Record<string, string> = {
  role: 'Role changed.',
  removed: 'Admin removed.',
  'mfa-reset': 'Two-step verification was reset; that admin was signed out and can set it up again.',
  'mfa-required': 'Two-step verification is now required for every admin.',
  'mfa-optional': 'Two-step verification is no longer required.',
};

async function adminsPage(c: Context<AppEnv>, extra: Pick<AdminsPageProps, 'error' | 'notice' | 'created'> = {}) {
  const { admin: me, tenant } = c.var;
  const admins = await listTenantAdmins(c.var.deps.database.db, tenant.id);
  return (
    <AdminsPage
      layout={layoutAdmin(c)}
      tenantName={tenant.name}
      mfaRequired={tenant.mfaRequired}
      admins={admins.map((admin) => ({
        id: admin.id,
        email: admin.email,
        role: admin.role,
        version: admin.version,
        mfaEnabled: admin.totpSecret !== null,
        mustChangePassword: admin.mustChangePassword,
        createdAt: admin.createdAt,
        isSelf: admin.id === me.id,
      }))}
      roles={ROLE_OPTIONS}
      timeZone={me.timezone}
      notice={extra.notice ?? NOTICES[c.req.query('done') ?? '']}
      error={extra.error}
      created={extra.created}
    />
  );
}

function parseBoolean(value: string): boolean {
  if (value === 'true' || value === 'on') return true;
  if (value === 'false' || value === 'off') return false;
  throw new ActionError(400, 'mfaRequired must be true or false');
}

interface AdminChange {
  adminId: string;
  role: string;
  version: number | null;
}

/** A change to one admin from its row's form: run it, then back to the list with a notice, or the list with the error. */
async function changeAdmin(c: Context<AppEnv>, done: keyof typeof NOTICES, change: (input: AdminChange, actor: Actor) => Promise<unknown>) {
  const form = await readForm(c);
  try {
    await change({ adminId: c.req.param('adminId') ?? '', role: field(form, 'role'), version: optionalVersion(form) }, adminActor(c.var.admin));
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return refuse(c, error, { page: (message) => adminsPage(c, { error: message }) });
  }
  return redirectTo(c, `/settings/admins?done=${done}`);
}

export const adminsRoutes = new Hono<AppEnv>()
  .get('/settings/admins', async (c) => c.html(await adminsPage(c)))
  .post('/settings/admins', async (c) => {
    const form = await readForm(c);
    try {
      const { admin, temporaryPassword } = await createAdmin(
        c.var.deps.database.db,
        { tenantId: c.var.tenant.id, email: field(form, 'email'), role: field(form, 'role') || undefined },
        adminActor(c.var.admin),
      );
      c.header('Cache-Control', 'no-store');
      return c.html(await adminsPage(c, { created: { email: admin.email, temporaryPassword: temporaryPassword ?? '' } }));
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => adminsPage(c, { error: message }) });
    }
  })
  .post('/settings/admins/mfa-required', async (c) => {
    const form = await readForm(c);
    let required: boolean;
    try {
      required = parseBoolean(field(form, 'mfaRequired'));
      await setTenantMfaRequired(c.var.deps.database.db, c.var.tenant, c.var.admin, required, adminActor(c.var.admin));
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => adminsPage(c, { error: message }) });
    }
    return redirectTo(c, `/settings/admins?done=${required ? 'mfa-required' : 'mfa-optional'}`);
  })
  .post('/settings/admins/:adminId/role', (c) =>
    changeAdmin(c, 'role', (input, actor) => changeAdminRole(c.var.deps.database.db, c.var.tenant.id, input, actor)),
  )
  .post('/settings/admins/:adminId/remove', (c) =>
    changeAdmin(c, 'removed', (input, actor) => removeAdmin(c.var.deps.database.db, c.var.tenant.id, { ...input, actingAdminId: c.var.admin.id }, actor)),
  )
  .post('/settings/admins/:adminId/reset-mfa', (c) =>
    changeAdmin(c, 'mfa-reset', (input, actor) => resetAdminMfa(c.var.deps.database.db, c.var.tenant.id, { ...input, actingAdminId: c.var.admin.id }, actor)),
  );
