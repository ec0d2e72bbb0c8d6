import { Hono, type Context } from 'hono';
import { ErrorPage } from '../../../views/errors.js';
import { FeedbackFlash } from '../../../views/security/feedback-flash.js';
import { EventConflictPage } from '../../../views/security/risk-events-conflict.js';
import { RiskEventRow } from '../../../views/security/risk-events-row.js';
import type { Actor } from '../../actions/audit.js';
import { ActionError } from '../../actions/errors.js';
import { FEEDBACK_ACTIONS, FEEDBACK_DONE, isFeedbackAction, setRiskEventStatus } from '../../actions/feedback.js';
import type { AppEnv } from '../../app-env.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { safeLocalPath } from '../../http/render.js';
import { getRiskEvent } from '../../queries/risk-events.js';
import { EVENT_ID, isRiskEventType } from './risk-events.js';

type Ctx = Context<AppEnv>;

/** htmx requests aimed at part of the page get the row; boosted and plain forms get a redirect or a page. */
function wantsRow(c: Ctx): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

function field(form: Record<string, string | File | (string | File)[]>, name: string): string | null {
  const value = form[name];
  return typeof value === 'string' ? value : null;
}

export function actorOf(c: Ctx): Actor {
  return { type: 'admin', id: c.var.admin.id, label: c.var.admin.email };
}

/** A refusal: for htmx the row stays and the message goes to the page's status region; otherwise a page. */
function refuse(c: Ctx, status: 400 | 404, title: string, message: string) {
  if (wantsRow(c)) {
    c.header('HX-Reswap', 'none');
    return c.html(<FeedbackFlash message={message} tone="refused" oob />, status);
  }
  return c.html(<ErrorPage status={status} title={title} message={message} admin={layoutAdmin(c)} />, status);
}

export const riskEventStatusRoutes = new Hono<AppEnv>().post('/security/risk-events/:type/:eventId/status', async (c) => {
  const type = c.req.param('type');
  const eventId = c.req.param('eventId');
  const form = await c.req.parseBody();
  const action = field(form, 'action');
  const versionText = field(form, 'version') ?? '';
  const notFound = `There is no risk event ${eventId} of type ${type}.`;
  if (!isRiskEventType(type) || !EVENT_ID.test(eventId)) return refuse(c, 404, 'Not found', notFound);
  const returnTo = safeLocalPath(field(form, 'returnTo'), `/security/risk-events/${type}`);
  if (!isFeedbackAction(action)) return refuse(c, 400, 'Bad value for action', `action must be one of ${FEEDBACK_ACTIONS.join(', ')}`);
  if (!/^\d{1,9}$/.test(versionText)) return refuse(c, 400, 'Bad value for version', 'version must be the whole number the form was loaded with');
  const { db } = c.var.deps.database;
  const tenantId = c.var.tenant.id;
  // The URL names the type: an event of another type is not at this address.
  if (!(await getRiskEvent(db, tenantId, type, eventId))) return refuse(c, 404, 'Not found', notFound);

  let message = `${FEEDBACK_DONE[action]}.`;
  let status: 200 | 409 = 200;
  try {
    await setRiskEventStatus(db, { tenantId, eventId, action, version: Number(versionText), actor: actorOf(c), now: c.var.deps.now() });
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    if (error.status !== 409) return refuse(c, 404, 'Not found', error.message);
    message = error.message;
    status = 409;
  }
  if (status === 200 && !wantsRow(c)) return c.redirect(returnTo, 303);
  const event = await getRiskEvent(db, tenantId, type, eventId);
  if (!event) return refuse(c, 404, 'Not found', notFound);
  const row = <RiskEventRow event={event} canAct timeZone={c.var.admin.timezone} returnTo={returnTo} message={message} />;
  if (wantsRow(c)) return c.html(row, status);
  return c.html(
    <EventConflictPage admin={layoutAdmin(c)} message={message} returnTo={returnTo}>
      {row}
    </EventConflictPage>,
    409,
  );
});
