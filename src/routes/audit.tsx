import { Hono, type Context } from 'hono';
import { AuditPage, AuditResults } from '../../views/audit.js';
import { ErrorPage, ErrorPanel } from '../../views/errors.js';
import type { AppEnv } from '../app-env.js';
import { isPremium } from '../auth/permissions.js';
import { requestQuery } from '../http/filters.js';
import { layoutAdmin } from '../http/layout-admin.js';
import { renderPageOrFragment } from '../http/render.js';
import { AuditFilterError, listAuditEntries, parseAuditFilters } from '../queries/audit.js';
import { FilterError } from '../queries/filters.js';

function badParameter(c: Context<AppEnv>, parameter: string, message: string) {
  const title = `Invalid value for ${parameter}`;
  return renderPageOrFragment(
    c,
    () => <ErrorPage status={400} title={title} message={message} admin={layoutAdmin(c)} />,
    () => <ErrorPanel status={400} title={title} message={message} />,
    400,
  );
}

export const auditRoutes = new Hono<AppEnv>().get('/audit', async (c) => {
  const { admin, tenant } = c.var;
  const query = requestQuery(c);
  try {
    const filters = parseAuditFilters(query);
    const page = await listAuditEntries(c.var.deps.database.db, tenant.id, filters, c.var.deps.now());
    const props = { ...page, filters, query, premium: isPremium(tenant.edition), timeZone: admin.timezone };
    return renderPageOrFragment(
      c,
      () => <AuditPage {...props} admin={layoutAdmin(c)!} />,
      () => <AuditResults {...props} />,
    );
  } catch (error) {
    if (error instanceof AuditFilterError || error instanceof FilterError) return badParameter(c, error.parameter, error.message);
    throw error;
  }
});
