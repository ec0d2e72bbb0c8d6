import { Hono, type Context } from 'hono';
import { ErrorPage } from '../../../views/errors.js';
import { FeedbackConflictPage } from '../../../views/security/feedback-conflict.js';
import { FeedbackFlash } from '../../../views/security/feedback-flash.js';
import { bulkOutcomeQuery } from '../../../views/security/feedback-notice.js';
import type { Actor } from '../../actions/audit.js';
import { ActionError } from '../../actions/errors.js';
import { giveBulkFeedback } from '../../actions/feedback-bulk.js';
import { FEEDBACK_ACTIONS, FEEDBACK_DONE, giveSignInFeedback, isFeedbackAction } from '../../actions/feedback.js';
import type { AppEnv } from '../../app-env.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { safeLocalPath } from '../../http/render.js';

const LIST = '/security/risky-sign-ins';
const SIGN_IN_ID = /^[A-Za-z0-9_-]{1,200}$/;
type Ctx = Context<AppEnv>;
type Form = Record<string, string | File | (string | File)[]>;

/** The row swaps in place for htmx requests aimed at part of the page; boosted and plain forms get a redirect. */
function wantsRow(c: Ctx): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

function field(form: Form, name: string): string | null {
  const value = form[name];
  return typeof value === 'string' ? value : null;
}

function fields(form: Form, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

function actorOf(c: Ctx): Actor {
  return { type: 'admin', id: c.var.admin.id, label: c.var.admin.email };
}

/** A refusal: for htmx the row stays and the message goes to the status region; otherwise a page. */
function refuse(c: Ctx, status: 400 | 404 | 409, title: string, message: string) {
  if (wantsRow(c)) {
    c.header('HX-Reswap', 'none');
    return c.html(<FeedbackFlash message={message} tone="refused" oob />, status);
  }
  return c.html(<ErrorPage status={status} title={title} message={message} admin={layoutAdmin(c)} />, status);
}

function badField(c: Ctx, name: string, message: string) {
  return refuse(c, 400, `Bad value for ${name}`, message);
}

const ACTION_MESSAGE = `action must be one of ${FEEDBACK_ACTIONS.join(', ')}`;

export const riskySignInFeedbackRoutes = new Hono<AppEnv>()
  .post('/security/risky-sign-ins/:signInId/feedback', async (c) => {
    const signInId = c.req.param('signInId');
    const form = await c.req.parseBody();
    const returnTo = safeLocalPath(field(form, 'returnTo'), LIST);
    const action = field(form, 'action');
    const versionText = field(form, 'version') ?? '';
    if (!SIGN_IN_ID.test(signInId)) return refuse(c, 404, 'Not found', `There is no risky sign-in ${signInId}.`);
    if (!isFeedbackAction(action)) return badField(c, 'action', ACTION_MESSAGE);
    if (!/^\d{1,9}$/.test(versionText)) return badField(c, 'version', 'version must be the whole number the form was loaded with');

    try {
      await giveSignInFeedback(c.var.deps.database.db, {
        tenantId: c.var.tenant.id,
        signInId,
        action,
        version: Number(versionText),
        actor: actorOf(c),
        now: c.var.deps.now(),
      });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.status === 409) return conflict(c, error.message, returnTo);
      return refuse(c, error.status === 404 ? 404 : 400, 'Not found', error.message);
    }
    if (!wantsRow(c)) return c.redirect(returnTo, 303);
    return c.html(<FeedbackFlash message={`${FEEDBACK_DONE[action]}.`} oob />);
  })
  .post('/security/risky-sign-ins/bulk-feedback', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const returnTo = safeLocalPath(field(form, 'returnTo'), LIST);
    const action = field(form, 'action');
    if (!isFeedbackAction(action)) return badField(c, 'action', ACTION_MESSAGE);
    const signInIds = fields(form, 'signInId');
    if (signInIds.length === 0) return badField(c, 'signInId', 'Select at least one sign-in, or apply the action to all matching the filter.');
    if (signInIds.length > 10_000) return badField(c, 'signInId', 'Select at most 10,000 sign-ins; to act on more, apply the action to all matching the filter.');

    const outcome = await giveBulkFeedback(c.var.deps.database.db, {
      tenantId: c.var.tenant.id,
      signInIds: signInIds.filter((id) => SIGN_IN_ID.test(id)),
      action,
      actor: actorOf(c),
      now: c.var.deps.now(),
    });
    const invalid = signInIds.length - signInIds.filter((id) => SIGN_IN_ID.test(id)).length;
    return c.redirect(withQuery(returnTo, bulkOutcomeQuery({ action, ...outcome, notFound: outcome.notFound + invalid })), 303);
  });

function withQuery(path: string, query: string): string {
  const url = new URL(path, 'http://local.invalid');
  for (const [name, value] of new URLSearchParams(query)) url.searchParams.set(name, value);
  return url.pathname + url.search + url.hash;
}

function conflict(c: Ctx, message: string, returnTo: string) {
  if (wantsRow(c)) {
    c.header('HX-Reswap', 'none');
    return c.html(<FeedbackFlash message={message} tone="refused" oob />, 409);
  }
  return c.html(<FeedbackConflictPage admin={layoutAdmin(c)} message={message} returnTo={returnTo} />, 409);
}
