import { Hono, type Context } from 'hono';
import { BulkFeedbackConfirmPage } from '../../../views/security/feedback-confirm.js';
import { bulkOutcomeQuery } from '../../http/bulk-outcome.js';
import { DEFAULT_COLUMNS, RiskySignInRow, riskySignInColumns, riskySignInsNoun } from '../../../views/security/risky-sign-ins.js';
import { COUNT_ID, CountText } from '../../../views/components/results.js';
import { FeedbackDoneNotice, FLASH_ID } from '../../../views/security/feedback-flash.js';
import { adminActor } from '../../actions/audit-record.js';
import { giveBulkFeedback } from '../../actions/feedback-bulk.js';
import { FEEDBACK_ACTIONS, FEEDBACK_DONE, isFeedbackAction, type FeedbackAction } from '../../actions/event-status.js';
import { giveSignInFeedback } from '../../actions/feedback.js';
import type { AppEnv } from '../../app-env.js';
import { URL_SAFE_ID } from '../../db/ids.js';
import { isPremium } from '../../auth/permissions.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { field, fields, readForm, type Form } from '../../http/forms.js';
import { redirectTo, refuse, safeLocalPath } from '../../http/render.js';
import { countBulkFeedbackTargets } from '../../queries/feedback.js';
import { activeFilterLabels, FilterError, listQuery, listUrl, parseListFilters } from '../../http/list-filters.js';
import { countRiskySignIns, getRiskySignInRow, riskySignInConditions, RISKY_SIGN_INS_SPEC } from '../../queries/risky-sign-ins.js';
import { renderRiskySignIns } from './risky-sign-ins.js';
import { answerRowAction, isRefusal, parseStatusForm } from './row-action.js';

const LIST = '/security/risky-sign-ins';
const MAX_SELECTED = 10_000;
const ACTION_MESSAGE = `action must be one of ${FEEDBACK_ACTIONS.join(', ')}`;
type Ctx = Context<AppEnv>;

function badField(c: Ctx, name: string, message: string) {
  return refuse(c, { status: 400, title: `Bad value for ${name}`, message });
}

function returnToFilters(c: Ctx, returnTo: string) {
  const url = new URL(returnTo, 'http://local.invalid');
  if (url.pathname !== LIST) return null;
  try {
    return parseListFilters(url.searchParams, RISKY_SIGN_INS_SPEC, { edition: c.var.tenant.edition, now: c.var.deps.now() });
  } catch (error) {
    if (error instanceof FilterError) return null;
    throw error;
  }
}

/** The sign-in's list row as it stands now (in the list's columns), with a word on what happened to it. */
async function freshRow(c: Ctx, signInId: string, returnTo: string, message: string) {
  const row = await getRiskySignInRow(c.var.deps.database.db, c.var.tenant.id, signInId);
  if (!row) return null;
  const columns = returnToFilters(c, returnTo)?.columns ?? DEFAULT_COLUMNS;
  return { row, view: <RiskySignInRow row={row} columns={columns} premium={isPremium(c.var.tenant.edition)} canAct timeZone={c.var.admin.timezone} returnTo={returnTo} message={message} /> };
}

/**
 * After feedback with htmx: the new row, plus (as htmx 4 partials, which may follow a <tr>) the
 * list's count under its filters and a short notice with an undo.
 */
async function swappedRow(c: Ctx, signInId: string, action: FeedbackAction, returnTo: string) {
  const fresh = await freshRow(c, signInId, returnTo, `${FEEDBACK_DONE[action]}.`);
  if (!fresh) return null;
  const filters = returnToFilters(c, returnTo);
  const total = filters ? await countRiskySignIns(c.var.deps.database.db, c.var.tenant.id, filters) : null;
  return (
    <>
      {fresh.view}
      {total ? (
        <template hx="" type="partial" hx-target={`#${COUNT_ID}`} hx-swap="outerHTML">
          <CountText total={total} noun={riskySignInsNoun(total)} />
        </template>
      ) : null}
      <template hx="" type="partial" hx-target={`#${FLASH_ID}`} hx-swap="outerHTML">
        <FeedbackDoneNotice action={action} signInId={signInId} version={fresh.row.version} returnTo={returnTo} />
      </template>
    </>
  );
}

/**
 * A refused bulk submission shows the list again with the message next to the form and the
 * filters kept; htmx (a boosted form) is told to show the list's URL, not the POST's.
 */
function refuseBulk(c: Ctx, returnTo: string, message: string) {
  const url = new URL(returnTo, 'http://local.invalid');
  const query = url.pathname === LIST ? url.searchParams : new URLSearchParams();
  if (c.req.header('HX-Request') === 'true') c.header('HX-Push-Url', listUrl(LIST, listQuery(query, RISKY_SIGN_INS_SPEC)));
  return renderRiskySignIns(c, query, { message, status: 400 });
}

function withQuery(path: string, query: string): string {
  const url = new URL(path, 'http://local.invalid');
  for (const [name, value] of new URLSearchParams(query)) url.searchParams.set(name, value);
  return url.pathname + url.search + url.hash;
}

/** "Apply to all matching": the list's filters, a confirmation page first, then the action. */
async function bulkOnFilter(c: Ctx, form: Form, action: FeedbackAction, returnTo: string) {
  const { tenant } = c.var;
  const filter = field(form, 'filter').replace(/^\?/, '');
  const query = new URLSearchParams(filter);
  query.delete('cursor');
  const filters = parseListFilters(query, RISKY_SIGN_INS_SPEC, { edition: tenant.edition, now: c.var.deps.now() });
  const where = riskySignInConditions(tenant.id, filters);
  const db = c.var.deps.database.db;
  if (field(form, 'confirm') !== 'yes') {
    const count = await countBulkFeedbackTargets(db, where);
    const labels = activeFilterLabels(filters);
    return c.html(<BulkFeedbackConfirmPage admin={layoutAdmin(c)} action={action} count={count} filter={query.toString()} filterLabels={labels} returnTo={returnTo} />);
  }
  const outcome = await giveBulkFeedback(db, { tenantId: tenant.id, filterSql: where, action, actor: adminActor(c.var.admin), now: c.var.deps.now() });
  return redirectTo(c, withQuery(returnTo, bulkOutcomeQuery({ action, ...outcome })));
}

async function bulkOnSelection(c: Ctx, form: Form, action: FeedbackAction, returnTo: string) {
  const selected = [...new Set(fields(form, 'signInId'))];
  if (selected.length === 0) return refuseBulk(c, returnTo, 'Select at least one sign-in, or apply the action to all matching the filter.');
  if (selected.length > MAX_SELECTED) return refuseBulk(c, returnTo, 'Select at most 10,000 sign-ins; to act on more, apply the action to all matching the filter.');
  const valid = selected.filter((id) => URL_SAFE_ID.test(id));
  const outcome = await giveBulkFeedback(c.var.deps.database.db, {
    tenantId: c.var.tenant.id,
    signInIds: valid,
    action,
    actor: adminActor(c.var.admin),
    now: c.var.deps.now(),
  });
  const notFound = outcome.notFound + selected.length - valid.length;
  return redirectTo(c, withQuery(returnTo, bulkOutcomeQuery({ action, ...outcome, notFound })));
}

export const riskySignInFeedbackRoutes = new Hono<AppEnv>()
  .post('/security/risky-sign-ins/:signInId/feedback', async (c) => {
    const signInId = c.req.param('signInId');
    if (!URL_SAFE_ID.test(signInId)) return refuse(c, { status: 404, message: `There is no risky sign-in ${signInId}.` });
    const form = await parseStatusForm(c, LIST);
    if (isRefusal(form)) return refuse(c, form);
    return answerRowAction(c, {
      form,
      list: { path: LIST, label: 'Risky sign-ins' },
      table: { caption: 'The sign-in as it is now', columns: riskySignInColumns(true) },
      run: () => giveSignInFeedback(c.var.deps.database.db, { tenantId: c.var.tenant.id, signInId, action: form.action, version: form.version, actor: adminActor(c.var.admin), now: c.var.deps.now() }),
      freshRow: async (message) => (await freshRow(c, signInId, form.returnTo, message))?.view ?? null,
      swapped: () => swappedRow(c, signInId, form.action, form.returnTo),
      doneLocation: withQuery(form.returnTo, bulkOutcomeQuery({ action: form.action, changed: 1, skipped: 0, notFound: 0 })),
    });
  })
  .post('/security/risky-sign-ins/bulk-feedback', async (c) => {
    const form = await readForm(c);
    const returnTo = safeLocalPath(field(form, 'returnTo'), LIST);
    const action = field(form, 'action');
    if (!isFeedbackAction(action)) return badField(c, 'action', ACTION_MESSAGE);
    const scope = field(form, 'scope') || 'selected';
    if (scope !== 'selected' && scope !== 'all') return badField(c, 'scope', 'scope must be selected or all');
    if (scope === 'selected') return bulkOnSelection(c, form, action, returnTo);
    try {
      return await bulkOnFilter(c, form, action, returnTo);
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      return refuse(c, error);
    }
  });
