import { Hono } from 'hono';
import { RiskySignInsPage, RiskySignInsResults } from '../../../views/security/risky-sign-ins.js';
import type { AppEnv } from '../../app-env.js';
import { canInvestigate, isPremium } from '../../auth/permissions.js';
import { listUrl, requestQuery, withFilters } from '../../http/filters.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { renderPageOrFragment } from '../../http/render.js';
import { listQuery } from '../../http/list-filters.js';
import { getRiskySignInsPage, RISKY_SIGN_INS_SPEC } from '../../queries/risky-sign-ins.js';
import { parseBulkOutcome } from '../../http/bulk-outcome.js';

export const riskySignInsRoutes = new Hono<AppEnv>().get('/security/risky-sign-ins', (c) =>
  withFilters(c, RISKY_SIGN_INS_SPEC, async (filters) => {
    const { admin, tenant } = c.var;
    const data = await getRiskySignInsPage(c.var.deps.database.db, tenant.id, filters);
    const query = listQuery(requestQuery(c), RISKY_SIGN_INS_SPEC);
    const props = {
      ...data,
      filters,
      query,
      premium: isPremium(tenant.edition),
      canAct: canInvestigate(admin.role),
      timeZone: admin.timezone,
      returnTo: listUrl(c.req.path, query),
    };
    return renderPageOrFragment(
      c,
      () => <RiskySignInsPage {...props} admin={layoutAdmin(c)!} outcome={parseBulkOutcome(requestQuery(c))} />,
      () => <RiskySignInsResults {...props} />,
    );
  }),
);
