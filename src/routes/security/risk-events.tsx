import { Hono } from 'hono';
import { RiskEventDetailsPage } from '../../../views/security/risk-events-details.js';
import { RiskEventTypePage, RiskEventTypeResults, TypeSummary } from '../../../views/security/risk-event-type.js';
import { RiskEventsPage, RiskEventsResults } from '../../../views/security/risk-events.js';
import { TYPE_NAMES_2017 } from '../../../views/security/risk-events-about.js';
import type { AppEnv } from '../../app-env.js';
import { canInvestigate } from '../../auth/permissions.js';
import { URL_SAFE_ID } from '../../db/ids.js';
import { RISK_EVENT_TYPES, type RiskEventType } from '../../db/schema.js';
import { csvRow, exportFileName, setDownloadHeaders } from '../../http/csv.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { renderPageOrFragment, withFilters } from '../../http/render.js';
import { detectionSettingsOf } from '../../ingest/settings.js';
import { listQuery, listUrl, requestQuery } from '../../http/list-filters.js';
import { getRiskEventDetails } from '../../queries/risk-events-details.js';
import { countRiskEventsByType, getRiskEventTypePage, RISK_EVENT_TYPE_SPEC, RISK_EVENTS_EXPORT_SPEC, RISK_EVENTS_SPEC } from '../../queries/risk-events.js';

export function isRiskEventType(value: string): value is RiskEventType {
  return (RISK_EVENT_TYPES as readonly string[]).includes(value);
}

const CSV_HEADER = ['Risk event type', 'Name', 'Risk level', 'Active', 'Closed', 'Users affected', 'Last detected'];

export const riskEventsRoutes = new Hono<AppEnv>()
  .get('/security/risk-events', (c) =>
    withFilters(c, RISK_EVENTS_SPEC, async (filters) => {
      const types = await countRiskEventsByType(c.var.deps.database.db, c.var.tenant.id, filters);
      const props = { types, filters, query: listQuery(requestQuery(c), RISK_EVENTS_SPEC), timeZone: c.var.admin.timezone };
      return renderPageOrFragment(
        c,
        () => <RiskEventsPage {...props} admin={layoutAdmin(c)!} />,
        () => <RiskEventsResults {...props} />,
      );
    }),
  )
  .get('/security/risk-events/export.csv', (c) =>
    withFilters(c, RISK_EVENTS_EXPORT_SPEC, async (filters) => {
      const types = await countRiskEventsByType(c.var.deps.database.db, c.var.tenant.id, filters);
      const lines = types.map((t) => csvRow([t.riskEventType, TYPE_NAMES_2017[t.riskEventType], t.riskLevel, t.active, t.closed, t.usersAffected, t.lastDetected.toISOString()]));
      setDownloadHeaders(c, 'text/csv; charset=utf-8', exportFileName(c.var.tenant.domain, 'risk-events', filters.period, 'csv'));
      return c.body(csvRow(CSV_HEADER) + lines.join(''));
    }),
  )
  .get('/security/risk-events/:type', (c) => {
    const type = c.req.param('type');
    if (!isRiskEventType(type)) return c.notFound();
    return withFilters(c, RISK_EVENT_TYPE_SPEC, async (filters) => {
      const { admin, tenant } = c.var;
      const data = await getRiskEventTypePage(c.var.deps.database.db, tenant.id, type, filters, admin.timezone);
      const query = listQuery(requestQuery(c), RISK_EVENT_TYPE_SPEC);
      const props = {
        ...data,
        type,
        filters,
        query,
        canAct: canInvestigate(admin.role),
        timeZone: admin.timezone,
        returnTo: listUrl(c.req.path, query),
      };
      return renderPageOrFragment(
        c,
        () => <RiskEventTypePage {...props} admin={layoutAdmin(c)!} settings={detectionSettingsOf(tenant.detectionSettings)} />,
        () => (
          <>
            <RiskEventTypeResults {...props} />
            <TypeSummary timeline={data.timeline} users={data.users} oob />
          </>
        ),
      );
    });
  })
  .get('/security/risk-events/:type/:eventId', async (c) => {
    const type = c.req.param('type');
    const eventId = c.req.param('eventId');
    if (!isRiskEventType(type) || !URL_SAFE_ID.test(eventId)) return c.notFound();
    const { admin, tenant } = c.var;
    const details = await getRiskEventDetails(c.var.deps.database.db, tenant.id, type, eventId, { edition: tenant.edition, now: c.var.deps.now() });
    if (!details) return c.notFound();
    return c.html(<RiskEventDetailsPage {...details} admin={layoutAdmin(c)!} canAct={canInvestigate(admin.role)} timeZone={admin.timezone} returnTo={c.req.path} />);
  });
