import { Hono, type Context } from 'hono';
import { EventConflictPage } from '../../../views/security/risk-events-conflict.js';
import { RiskEventRow } from '../../../views/security/risk-events-row.js';
import { adminActor } from '../../actions/audit.js';
import { ActionError } from '../../actions/errors.js';
import { FEEDBACK_ACTIONS, FEEDBACK_DONE, isFeedbackAction } from '../../actions/event-status.js';
import { setRiskEventStatus } from '../../actions/feedback.js';
import type { AppEnv } from '../../app-env.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { field, readForm } from '../../http/forms.js';
import { safeLocalPath, wantsSwap } from '../../http/render.js';
import { getRiskEvent } from '../../queries/risk-events.js';
import { refuseAction } from './refuse.js';
import { EVENT_ID, isRiskEventType } from './risk-events.js';

type Ctx = Context<AppEnv>;


export const riskEventStatusRoutes = new Hono<AppEnv>().post('/security/risk-events/:type/:eventId/status', async (c) => {
  const type = c.req.param('type');
  const eventId = c.req.param('eventId');
  const form = await readForm(c);
  const action = field(form, 'action');
  const versionText = field(form, 'version');
  const notFound = `There is no risk event ${eventId} of type ${type}.`;
  if (!isRiskEventType(type) || !EVENT_ID.test(eventId)) return refuseAction(c, 404, 'Not found', notFound);
  const returnTo = safeLocalPath(field(form, 'returnTo'), `/security/risk-events/${type}`);
  if (!isFeedbackAction(action)) return refuseAction(c, 400, 'Bad value for action', `action must be one of ${FEEDBACK_ACTIONS.join(', ')}`);
  if (!/^\d{1,9}$/.test(versionText)) return refuseAction(c, 400, 'Bad value for version', 'version must be the whole number the form was loaded with');
  const { db } = c.var.deps.database;
  const tenantId = c.var.tenant.id;
  // The URL names the type: an event of another type is not at this address.
  if (!(await getRiskEvent(db, tenantId, type, eventId))) return refuseAction(c, 404, 'Not found', notFound);

  let message = `${FEEDBACK_DONE[action]}.`;
  let status: 200 | 409 = 200;
  try {
    await setRiskEventStatus(db, { tenantId, eventId, action, version: Number(versionText), actor: adminActor(c.var.admin), now: c.var.deps.now() });
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    if (error.status !== 409) return refuseAction(c, 404, 'Not found', error.message);
    message = error.message;
    status = 409;
  }
  if (status === 200 && !wantsSwap(c)) return c.redirect(returnTo, 303);
  const event = await getRiskEvent(db, tenantId, type, eventId);
  if (!event) return refuseAction(c, 404, 'Not found', notFound);
  const row = <RiskEventRow event={event} canAct timeZone={c.var.admin.timezone} returnTo={returnTo} message={message} />;
  if (wantsSwap(c)) return c.html(row, status);
  return c.html(
    <EventConflictPage admin={layoutAdmin(c)} message={message} returnTo={returnTo}>
      {row}
    </EventConflictPage>,
    409,
  );
});
