import { Hono, type Context } from 'hono';
import { TrustedLocationPage, TrustedLocationsPage, type TrustedLocationPageProps } from '../../../views/settings/trusted-locations.js';
import type { AppEnv } from '../../app-env.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { canInvestigate } from '../../auth/permissions.js';
import { field, readForm, versionField } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, refuse } from '../../http/render.js';
import { addTrustedLocation, BadLinesError, editTrustedLocation, removeTrustedLocation } from '../../lists/trusted-locations.js';
import { COVERAGE_DAYS, getTrustedLocation, listTrustedLocations } from '../../queries/trusted-locations.js';
import { ErrorPage } from '../../../views/errors.js';

// Global and security admins change trusted locations (docs/settings-lists.md); readers read.
// The auth middleware answers a reader's POST with 403 before these handlers run.

type Extra = Pick<TrustedLocationPageProps, 'error' | 'badLines' | 'draft'>;

const NOTICES: Record<string, string> = {
  saved: 'Trusted location saved. It applies to sign-ins imported from now on.',
  removed: 'Trusted location removed.',
};

function common(c: Context<AppEnv>, error: unknown) {
  return {
    layout: layoutAdmin(c),
    canChange: canInvestigate(c.var.admin.role),
    timeZone: c.var.admin.timezone,
    coverageDays: COVERAGE_DAYS,
    badLines: error instanceof BadLinesError ? error.lines : undefined,
  };
}

async function listPage(c: Context<AppEnv>, extra: Extra = {}, error?: unknown) {
  const locations = await listTrustedLocations(c.var.deps.database.db, c.var.tenant.id, c.var.deps.now());
  const added = c.req.query('added');
  const notice = c.req.query('done') === 'added' && /^\d{1,9}$/.test(added ?? '') ? `Trusted location saved: ${added} ranges added. It applies to sign-ins imported from now on.` : NOTICES[c.req.query('done') ?? ''];
  return <TrustedLocationsPage {...common(c, error)} locations={locations} notice={notice} error={extra.error} draft={extra.draft} />;
}

function notFoundPage(c: Context<AppEnv>) {
  return <ErrorPage status={404} title="Not found" message="There is no such trusted location." admin={layoutAdmin(c)} />;
}

/** A refused edit keeps what the admin typed, except when it was stale (409): then the fresh state shows. */
function keptDraft(error: unknown, draft: { name: string; ranges: string }) {
  return error instanceof ActionError && error.status === 400 ? draft : undefined;
}

async function locationPage(c: Context<AppEnv>, extra: Extra = {}, error?: unknown) {
  const location = await getTrustedLocation(c.var.deps.database.db, c.var.tenant.id, c.req.param('locationId') ?? '', c.var.deps.now());
  if (!location) return null;
  return <TrustedLocationPage {...common(c, error)} location={location} notice={NOTICES[c.req.query('done') ?? '']} error={extra.error} draft={extra.draft} />;
}

export const trustedLocationsRoutes = new Hono<AppEnv>()
  .get('/settings/trusted-locations', async (c) => c.html(await listPage(c)))
  .post('/settings/trusted-locations', async (c) => {
    const form = await readForm(c);
    const draft = { name: field(form, 'name'), ranges: field(form, 'ranges') };
    try {
      const result = await addTrustedLocation(c.var.deps.database.db, c.var.tenant, draft, adminActor(c.var.admin));
      return redirectTo(c, `/settings/trusted-locations?done=added&added=${result.added}`);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => listPage(c, { error: message, draft }, error) });
    }
  })
  .get('/settings/trusted-locations/:locationId', async (c) => {
    const page = await locationPage(c);
    return page ? c.html(page) : refuse(c, { status: 404, message: 'There is no such trusted location.' });
  })
  .post('/settings/trusted-locations/:locationId', async (c) => {
    const form = await readForm(c);
    const id = c.req.param('locationId');
    const draft = { name: field(form, 'name'), ranges: field(form, 'ranges') };
    try {
      await editTrustedLocation(c.var.deps.database.db, c.var.tenant, { id, version: versionField(form), ...draft }, adminActor(c.var.admin));
      return redirectTo(c, `/settings/trusted-locations/${id}?done=saved`);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: async (message) => (await locationPage(c, { error: message, draft: keptDraft(error, draft) }, error)) ?? notFoundPage(c) });
    }
  })
  .post('/settings/trusted-locations/:locationId/remove', async (c) => {
    const form = await readForm(c);
    try {
      await removeTrustedLocation(c.var.deps.database.db, c.var.tenant, { id: c.req.param('locationId'), version: versionField(form) }, adminActor(c.var.admin));
      return redirectTo(c, '/settings/trusted-locations?done=removed');
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: async (message) => (await locationPage(c, { error: message }, error)) ?? notFoundPage(c) });
    }
  });
