import { Hono, type Context } from 'hono';
import { WebhookPage, DeliveryLog } from '../../../views/settings/webhook.js';
import { WebhooksPage, type WebhooksPageProps } from '../../../views/settings/webhooks.js';
import type { AppEnv } from '../../app-env.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { addWebhook, redeliver, removeWebhook, rotateWebhookSecret, sendTestEvent, setWebhookEnabled, type Settings } from '../../actions/webhooks.js';
import { field, fields, readForm, versionField } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, refuse } from '../../http/render.js';
import { getWebhook, listDeliveryLog, listWebhooks } from '../../queries/webhooks.js';

// Global admins only: /settings/webhooks is among permissions.ts GLOBAL_ADMIN_PATHS.

const NOTICES: Record<string, string> = {
  test: 'Test event queued: it appears in the delivery log once sent.',
  redelivered: 'Queued for delivery again.',
  enabled: 'Webhook enabled.',
  disabled: 'Webhook disabled: nothing is sent to it until it is enabled again.',
  removed: 'Webhook removed.',
};

function settingsOf(c: Context<AppEnv>): Settings {
  return { secretsKey: c.var.deps.config.secretsKey, allowPrivate: c.var.deps.config.webhookAllowPrivate };
}

async function listPage(c: Context<AppEnv>, extra: Pick<WebhooksPageProps, 'error' | 'draft'> = {}) {
  const webhooks = await listWebhooks(c.var.deps.database.db, c.var.tenant.id);
  return (
    <WebhooksPage
      layout={layoutAdmin(c)}
      tenantName={c.var.tenant.name}
      webhooks={webhooks}
      timeZone={c.var.admin.timezone}
      canStoreSecrets={c.var.deps.config.secretsKey !== null}
      notice={NOTICES[c.req.query('done') ?? '']}
      {...extra}
    />
  );
}

async function detailPage(c: Context<AppEnv>, webhookId: string, extra: { error?: string; rotatedSecret?: string } = {}) {
  const { db } = c.var.deps.database;
  const webhook = await getWebhook(db, c.var.tenant.id, webhookId);
  if (!webhook) return null;
  const log = await listDeliveryLog(db, c.var.tenant.id, webhook.id);
  return (
    <WebhookPage
      layout={layoutAdmin(c)}
      webhook={webhook}
      log={log}
      timeZone={c.var.admin.timezone}
      now={c.var.deps.now()}
      notice={extra.rotatedSecret ? undefined : NOTICES[c.req.query('done') ?? '']}
      {...extra}
    />
  );
}

/** Re-renders the endpoint's page with the refusal; an unknown endpoint gets the plain not-found page. */
async function detailFailure(c: Context<AppEnv>, webhookId: string, error: unknown) {
  if (!(error instanceof ActionError)) throw error;
  const page = await detailPage(c, webhookId, { error: error.message });
  return page ? refuse(c, error, { page: () => page }) : c.notFound();
}

export const webhooksRoutes = new Hono<AppEnv>()
  .get('/settings/webhooks', async (c) => c.html(await listPage(c)))
  .post('/settings/webhooks', async (c) => {
    const form = await readForm(c);
    const input = { name: field(form, 'name'), url: field(form, 'url'), events: fields(form, 'events') };
    try {
      const { webhook, secret } = await addWebhook(c.var.deps.database.db, c.var.tenant.id, input, settingsOf(c), adminActor(c.var.admin), c.var.deps.now());
      // The secret is shown this once: never cached.
      c.header('Cache-Control', 'no-store');
      return c.html((await detailPage(c, webhook.id, { rotatedSecret: secret }))!, 201);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => listPage(c, { error: message, draft: input }) });
    }
  })
  .get('/settings/webhooks/:webhookId', async (c) => {
    const page = await detailPage(c, c.req.param('webhookId'));
    return page ? c.html(page) : c.notFound();
  })
  .get('/settings/webhooks/:webhookId/log', async (c) => {
    const webhook = await getWebhook(c.var.deps.database.db, c.var.tenant.id, c.req.param('webhookId'));
    if (!webhook) return c.notFound();
    const log = await listDeliveryLog(c.var.deps.database.db, c.var.tenant.id, webhook.id);
    return c.html(<DeliveryLog webhookId={webhook.id} log={log} timeZone={c.var.admin.timezone} />);
  })
  .post('/settings/webhooks/:webhookId/:change{enable|disable}', async (c) => {
    const { webhookId, change } = c.req.param();
    try {
      const version = versionField(await readForm(c));
      await setWebhookEnabled(c.var.deps.database.db, c.var.tenant.id, webhookId, version, change === 'enable', adminActor(c.var.admin), c.var.deps.now());
    } catch (error) {
      return detailFailure(c, webhookId, error);
    }
    return redirectTo(c, `/settings/webhooks/${webhookId}?done=${change}d`);
  })
  .post('/settings/webhooks/:webhookId/rotate', async (c) => {
    const { webhookId } = c.req.param();
    try {
      const version = versionField(await readForm(c));
      const { secret } = await rotateWebhookSecret(c.var.deps.database.db, c.var.tenant.id, webhookId, version, settingsOf(c), adminActor(c.var.admin), c.var.deps.now());
      c.header('Cache-Control', 'no-store');
      return c.html((await detailPage(c, webhookId, { rotatedSecret: secret }))!);
    } catch (error) {
      return detailFailure(c, webhookId, error);
    }
  })
  .post('/settings/webhooks/:webhookId/remove', async (c) => {
    const { webhookId } = c.req.param();
    try {
      const version = versionField(await readForm(c));
      await removeWebhook(c.var.deps.database.db, c.var.tenant.id, webhookId, version, adminActor(c.var.admin), c.var.deps.now());
    } catch (error) {
      return detailFailure(c, webhookId, error);
    }
    return redirectTo(c, '/settings/webhooks?done=removed');
  })
  .post('/settings/webhooks/:webhookId/test', async (c) => {
    const { webhookId } = c.req.param();
    try {
      await sendTestEvent(c.var.deps.database.db, c.var.tenant.id, webhookId, adminActor(c.var.admin), c.var.deps.now());
    } catch (error) {
      return detailFailure(c, webhookId, error);
    }
    return redirectTo(c, `/settings/webhooks/${webhookId}?done=test`);
  })
  .post('/settings/webhooks/:webhookId/deliveries/:deliveryId/redeliver', async (c) => {
    const { webhookId, deliveryId } = c.req.param();
    try {
      await redeliver(c.var.deps.database.db, c.var.tenant.id, webhookId, deliveryId, adminActor(c.var.admin), c.var.deps.now());
    } catch (error) {
      return detailFailure(c, webhookId, error);
    }
    return redirectTo(c, `/settings/webhooks/${webhookId}?done=redelivered`);
  });
