import { Hono } from 'hono';
import { riskEventColumns, RiskEventRow } from '../../../views/security/risk-events-row.js';
import { adminActor } from '../../actions/audit-record.js';
import { setRiskEventStatus } from '../../actions/feedback.js';
import type { AppEnv } from '../../app-env.js';
import { URL_SAFE_ID } from '../../db/ids.js';
import { refuse } from '../../http/render.js';
import { getRiskEvent } from '../../queries/risk-events.js';
import { isRiskEventType } from './risk-events.js';
import { answerRowAction, isRefusal, parseStatusForm } from './row-action.js';

export const riskEventStatusRoutes = new Hono<AppEnv>().post('/security/risk-events/:type/:eventId/status', async (c) => {
  const { type, eventId } = c.req.param();
  const { db } = c.var.deps.database;
  const tenantId = c.var.tenant.id;
  const notFound = { status: 404, message: `There is no risk event ${eventId} of type ${type}.` } as const;
  if (!isRiskEventType(type) || !URL_SAFE_ID.test(eventId)) return refuse(c, notFound);
  const form = await parseStatusForm(c, `/security/risk-events/${type}`);
  if (isRefusal(form)) return refuse(c, form);
  // The URL names the type: an event of another type is not at this address.
  if (!(await getRiskEvent(db, tenantId, type, eventId))) return refuse(c, notFound);
  return answerRowAction(c, {
    form,
    list: { path: '/security/risk-events', label: 'Risk events' },
    table: { caption: 'The risk event as it is now', columns: riskEventColumns(false) },
    run: () => setRiskEventStatus(db, { tenantId, eventId, action: form.action, version: form.version, actor: adminActor(c.var.admin), now: c.var.deps.now() }),
    freshRow: async (message) => {
      const event = await getRiskEvent(db, tenantId, type, eventId);
      return event ? <RiskEventRow event={event} canAct timeZone={c.var.admin.timezone} returnTo={form.returnTo} message={message} /> : null;
    },
  });
});
