import { Hono } from 'hono';
import { AuditPage, AuditResults } from '../../views/audit.js';
import type { AppEnv } from '../app-env.js';
import { isPremium } from '../auth/permissions.js';
import { layoutAdmin } from '../http/layout-admin.js';
import { refuse, renderPageOrFragment } from '../http/render.js';
import { parseAuditFilters } from '../http/audit-filters.js';
import { listAuditEntries } from '../queries/audit.js';
import { FilterError, requestQuery } from '../http/list-filters.js';

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
    if (error instanceof FilterError) return refuse(c, error);
    throw error;
  }
});
