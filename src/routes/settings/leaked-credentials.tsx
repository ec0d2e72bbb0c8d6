import { Hono, type Context } from 'hono';
import { LeakedCredentialsPage } from '../../../views/settings/leaked-credentials.js';
import type { AppEnv } from '../../app-env.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { canInvestigate, isPremium } from '../../auth/permissions.js';
import { field, fields, readForm } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, refuse } from '../../http/render.js';
import { uploadedText, uploadLimit, UPLOAD_MAX_LABEL } from '../../http/upload.js';
import { importLeakedCredentials, removeLeakEntries } from '../../lists/leaked.js';
import { parseLeakList } from '../../lists/parse-list.js';
import { getLeakSummary, listLeakEntries, listLeakEvents } from '../../queries/leaked-credentials.js';

// Global and security admins upload and remove leak entries (docs/settings-lists.md); readers
// see the counts only, so the addresses are not even read for them.

const COUNT = /^\d{1,9}$/;

function notice(c: Context<AppEnv>): string | undefined {
  const q = (name: string) => c.req.query(name) ?? '';
  if (q('done') === 'removed' && COUNT.test(q('removed'))) return `${q('removed')} entries removed.`;
  if (q('done') !== 'imported' || !['entries', 'added', 'removed', 'riskDetections'].every((name) => COUNT.test(q(name)))) return undefined;
  return `Leak list uploaded: ${q('entries')} entries read, ${q('added')} added, ${q('removed')} removed, ${q('riskDetections')} leaked credentials events raised.`;
}

async function leakedPage(c: Context<AppEnv>, error?: string) {
  const { db } = c.var.deps.database;
  const tenantId = c.var.tenant.id;
  const canChange = canInvestigate(c.var.admin.role);
  const cursor = c.req.query('cursor') ?? null;
  const [summary, page, events] = await Promise.all([
    getLeakSummary(db, tenantId),
    canChange ? listLeakEntries(db, tenantId, cursor) : { entries: [], next: null },
    canChange ? listLeakEvents(db, tenantId) : [],
  ]);
  return (
    <LeakedCredentialsPage
      layout={layoutAdmin(c)}
      premium={isPremium(c.var.tenant.edition)}
      canChange={canChange}
      timeZone={c.var.admin.timezone}
      maxUploadLabel={UPLOAD_MAX_LABEL}
      summary={summary}
      entries={page.entries}
      nextCursor={page.next}
      events={events}
      notice={notice(c)}
      error={error}
    />
  );
}

export const leakedCredentialsRoutes = new Hono<AppEnv>()
  .get('/settings/leaked-credentials', async (c) => {
    const cursor = c.req.query('cursor') ?? '';
    // A NUL would fail the query (PostgreSQL text cannot hold it): refused like an over-long cursor.
    if (cursor.length > 320 || cursor.includes('\u0000')) {
      return refuse(c, { status: 400, message: 'cursor: must be a leak entry of at most 320 characters, without NUL.' });
    }
    return c.html(await leakedPage(c));
  })
  .post('/settings/leaked-credentials', uploadLimit, async (c) => {
    const form = await readForm(c);
    try {
      const { text, fileName } = await uploadedText(form);
      const entries = parseLeakList(text);
      if (entries.length === 0) throw new ActionError(400, 'file: the list has no entries (only blank lines and # comments)');
      const result = await importLeakedCredentials(
        c.var.deps.database.db,
        c.var.tenant,
        { entries, source: fileName ?? 'pasted in the console', replace: field(form, 'replace') === 'true' },
        adminActor(c.var.admin),
        c.var.deps.now(),
      );
      const counts = new URLSearchParams({ done: 'imported', entries: String(result.entries), added: String(result.added), removed: String(result.removed), riskDetections: String(result.riskDetections) });
      return redirectTo(c, `/settings/leaked-credentials?${counts}`);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => leakedPage(c, message) });
    }
  })
  .post('/settings/leaked-credentials/remove', async (c) => {
    const form = await readForm(c);
    try {
      const { removed } = await removeLeakEntries(c.var.deps.database.db, c.var.tenant, fields(form, 'entry'), adminActor(c.var.admin), c.var.deps.now());
      return redirectTo(c, `/settings/leaked-credentials?done=removed&removed=${removed}`);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => leakedPage(c, message) });
    }
  });
