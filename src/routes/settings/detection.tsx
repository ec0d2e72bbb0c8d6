import { Hono, type Context } from 'hono';
import { DetectionSettingsPage, type DetectionSettingsPageProps } from '../../../views/settings/detection.js';
import { ReplayPanel } from '../../../views/settings/detection-replay.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import {
  DETECTION_SETTING_FIELDS,
  formOfSettings,
  parseDetectionSettings,
  saveDetectionSettings,
  type DetectionSettingsForm,
} from '../../actions/detection-settings.js';
import type { AppEnv } from '../../app-env.js';
import { forbidden } from '../../auth/middleware.js';
import { canAdministerTenant, canInvestigate } from '../../auth/permissions.js';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../db/schema.js';
import { field, optionalVersion, readForm, type Form } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, renderPageOrFragment } from '../../http/render.js';
import { detectionSettingsOf } from '../../ingest/settings.js';
import { replayDetection, type ReplayResult } from '../../queries/detection-replay.js';

// Premium (permissions.ts PREMIUM_PATHS). Global and security admins preview a draft; global admins
// save it (tenant settings, like admins and API keys); readers read, and the middleware refuses their POSTs.

type Ctx = Context<AppEnv>;

interface Shown {
  form: DetectionSettingsForm;
  version: number;
  replay: ReplayResult | null;
  notice?: string;
  error?: string;
}

function savedSettings(c: Ctx): { settings: DetectionSettings; version: number } {
  const { tenant } = c.var;
  return { settings: detectionSettingsOf(tenant.detectionSettings), version: tenant.detectionSettingsVersion };
}

function pageProps(c: Ctx, shown: Shown): DetectionSettingsPageProps {
  const { admin, tenant } = c.var;
  return {
    layout: layoutAdmin(c)!,
    tenantName: tenant.name,
    fields: DETECTION_SETTING_FIELDS,
    defaults: DEFAULT_DETECTION_SETTINGS,
    canPreview: canInvestigate(admin.role),
    canSave: canAdministerTenant(admin.role),
    canAdminister: canAdministerTenant(admin.role),
    timeZone: admin.timezone,
    ...shown,
  };
}

function draftFormOf(body: Form): DetectionSettingsForm {
  return Object.fromEntries(DETECTION_SETTING_FIELDS.map((f) => [f.name, field(body, f.name)])) as DetectionSettingsForm;
}

async function renderPreview(c: Ctx, body: Form) {
  const form = draftFormOf(body);
  const saved = savedSettings(c);
  const version = optionalVersion(body) ?? saved.version;
  let shown: Shown;
  try {
    const draft = parseDetectionSettings(form);
    shown = { form, version, replay: await replayDetection(c.var.deps.database.db, c.var.tenant.id, saved.settings, draft) };
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    shown = { form, version, replay: null, error: error.message };
  }
  const props = pageProps(c, shown);
  return renderPageOrFragment(
    c,
    () => <DetectionSettingsPage {...props} />,
    () => <ReplayPanel replay={props.replay} timeZone={props.timeZone} error={props.error} />,
    shown.error ? 400 : 200,
  );
}

const SAVED = 'Thresholds saved. They apply to sign-ins ingested from now on.';

export const detectionSettingsRoutes = new Hono<AppEnv>()
  .get('/settings/detection', async (c) => {
    const saved = savedSettings(c);
    const props = pageProps(c, { form: formOfSettings(saved.settings), version: saved.version, replay: null, notice: c.req.query('done') === 'saved' ? SAVED : undefined });
    return c.html(<DetectionSettingsPage {...props} />);
  })
  .post('/settings/detection/preview', async (c) => renderPreview(c, await readForm(c)))
  .post('/settings/detection', async (c) => {
    const body = await readForm(c);
    if (field(body, 'action') !== 'save') return renderPreview(c, body);
    if (!canAdministerTenant(c.var.admin.role)) return forbidden(c, 'Only a global administrator can change the detection thresholds.');
    const form = draftFormOf(body);
    const version = optionalVersion(body);
    try {
      if (version === null) throw new ActionError(400, 'version is required: reload the page and try again');
      const settings = parseDetectionSettings(form);
      await saveDetectionSettings(c.var.deps.database.db, { tenantId: c.var.tenant.id, settings, version, actor: adminActor(c.var.admin), now: c.var.deps.now() });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const saved = savedSettings(c);
      const shown: Shown =
        error.status === 409
          ? { form: formOfSettings(saved.settings), version: saved.version, replay: null, error: error.message }
          : { form, version: version ?? saved.version, replay: null, error: error.message };
      return c.html(<DetectionSettingsPage {...pageProps(c, shown)} />, error.status === 409 ? 409 : 400);
    }
    return redirectTo(c, '/settings/detection?done=saved');
  });
