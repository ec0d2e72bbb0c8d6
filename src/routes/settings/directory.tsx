import { Hono, type Context } from 'hono';
import { DirectoryPage } from '../../../views/settings/directory.js';
import type { AppEnv } from '../../app-env.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { canInvestigate } from '../../auth/permissions.js';
import { readForm } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, refuse } from '../../http/render.js';
import { uploadedText, uploadLimit, UPLOAD_MAX_LABEL } from '../../http/upload.js';
import { importDirectoryUsers, parseDirectoryUsers } from '../../lists/users.js';
import { getDirectorySummary } from '../../queries/directory.js';

// Global and security admins upload users, like the lists their leak entries match against
// (canInvestigate in permissions.ts); readers read the counts. Not a global-admin path: the
// directory is investigation data, not the tenant's console configuration.

const COUNT = /^\d{1,9}$/;

function notice(c: Context<AppEnv>): string | undefined {
  const q = (name: string) => c.req.query(name) ?? '';
  if (q('done') !== 'imported' || !['received', 'created', 'riskDetections'].every((name) => COUNT.test(q(name)))) return undefined;
  return `Imported ${q('received')} users (${q('created')} new), ${q('riskDetections')} risk detections.`;
}

async function directoryPage(c: Context<AppEnv>, error?: string) {
  const summary = await getDirectorySummary(c.var.deps.database.db, c.var.tenant.id);
  return (
    <DirectoryPage
      layout={layoutAdmin(c)}
      canChange={canInvestigate(c.var.admin.role)}
      maxUploadLabel={UPLOAD_MAX_LABEL}
      summary={summary}
      notice={notice(c)}
      error={error}
    />
  );
}

export const directoryRoutes = new Hono<AppEnv>()
  .get('/settings/directory', async (c) => c.html(await directoryPage(c)))
  .post('/settings/directory', uploadLimit, async (c) => {
    const form = await readForm(c);
    try {
      const { text } = await uploadedText(form);
      const users = parseDirectoryUsers(text);
      if (users.length === 0) throw new ActionError(400, 'file: the upload holds no users');
      const result = await importDirectoryUsers(c.var.deps.database.db, c.var.tenant, users, adminActor(c.var.admin), c.var.deps.now());
      const counts = new URLSearchParams({ done: 'imported', received: String(result.received), created: String(result.created), riskDetections: String(result.riskDetections) });
      return redirectTo(c, `/settings/directory?${counts}`);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => directoryPage(c, message) });
    }
  });
