import { Hono, type Context } from 'hono';
import { ApiKeysPage, type ApiKeysPageProps } from '../../../views/settings/api-keys.js';
import { ActionError } from '../../actions/errors.js';
import type { AppEnv } from '../../app-env.js';
import { adminActor } from '../../actions/audit-record.js';
import { createApiKey, revokeApiKey } from '../../auth/api-keys.js';
import { listApiKeys } from '../../queries/api-keys.js';
import { field, readForm } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, refuse } from '../../http/render.js';

// Global admins only: /settings/api-keys is among permissions.ts GLOBAL_ADMIN_PATHS.

async function apiKeysPage(c: Context<AppEnv>, extra: Pick<ApiKeysPageProps, 'error' | 'created'> = {}) {
  const { admin, tenant } = c.var;
  const keys = await listApiKeys(c.var.deps.database.db, tenant.id);
  return (
    <ApiKeysPage
      layout={layoutAdmin(c)}
      tenantName={tenant.name}
      keys={keys.map(({ id, name, createdAt, lastUsedAt, revokedAt }) => ({ id, name, createdAt, lastUsedAt, revokedAt }))}
      timeZone={admin.timezone}
      notice={c.req.query('done') === 'revoked' ? 'API key revoked: it no longer works.' : undefined}
      error={extra.error}
      created={extra.created}
    />
  );
}

export const apiKeysRoutes = new Hono<AppEnv>()
  .get('/settings/api-keys', async (c) => c.html(await apiKeysPage(c)))
  .post('/settings/api-keys', async (c) => {
    const form = await readForm(c);
    try {
      const { apiKey, key } = await createApiKey(c.var.deps.database.db, { tenantId: c.var.tenant.id, name: field(form, 'name') }, adminActor(c.var.admin), c.var.deps.now());
      // Shown once: never cached.
      c.header('Cache-Control', 'no-store');
      return c.html(await apiKeysPage(c, { created: { name: apiKey.name, key } }));
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => apiKeysPage(c, { error: message }) });
    }
  })
  .post('/settings/api-keys/:keyId/revoke', async (c) => {
    try {
      await revokeApiKey(c.var.deps.database.db, { tenantId: c.var.tenant.id, keyId: c.req.param('keyId') }, adminActor(c.var.admin), c.var.deps.now());
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => apiKeysPage(c, { error: message }) });
    }
    return redirectTo(c, '/settings/api-keys?done=revoked');
  });
