import { Hono } from 'hono';
import { UsersAtRiskPage, UsersAtRiskResults } from '../../../views/security/users-at-risk.js';
import type { AppEnv } from '../../app-env.js';
import { isPremium } from '../../auth/permissions.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { pushListUrl, renderPageOrFragment, withFilters } from '../../http/render.js';
import { listQuery, requestQuery } from '../../http/list-filters.js';
import { getUsersAtRiskPage, USERS_AT_RISK_SPEC } from '../../queries/users-at-risk.js';

export const usersAtRiskRoutes = new Hono<AppEnv>().get('/security/users-at-risk', (c) =>
  withFilters(c, USERS_AT_RISK_SPEC, async (filters) => {
    const data = await getUsersAtRiskPage(c.var.deps.database.db, c.var.tenant.id, filters);
    const props = { ...data, filters, query: listQuery(requestQuery(c), USERS_AT_RISK_SPEC), premium: isPremium(c.var.tenant.edition), timeZone: c.var.admin.timezone };
    pushListUrl(c, c.req.path, props.query);
    return renderPageOrFragment(
      c,
      () => <UsersAtRiskPage {...props} admin={layoutAdmin(c)!} />,
      () => <UsersAtRiskResults {...props} />,
    );
  }),
);
