import { Hono } from 'hono';
import { SignInsPage, SignInsResults } from '../../../views/security/sign-ins.js';
import type { AppEnv } from '../../app-env.js';
import { isPremium } from '../../auth/permissions.js';
import { pushListUrl, requestQuery, withFilters } from '../../http/filters.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { renderPageOrFragment } from '../../http/render.js';
import { listQuery } from '../../http/list-filters.js';
import { getSignInsPage, SIGN_INS_SPEC } from '../../queries/sign-ins.js';

export const signInsRoutes = new Hono<AppEnv>().get('/security/sign-ins', (c) =>
  withFilters(c, SIGN_INS_SPEC, async (filters) => {
    const data = await getSignInsPage(c.var.deps.database.db, c.var.tenant.id, filters);
    const props = { ...data, filters, query: listQuery(requestQuery(c), SIGN_INS_SPEC), premium: isPremium(c.var.tenant.edition), timeZone: c.var.admin.timezone };
    pushListUrl(c, c.req.path, props.query);
    return renderPageOrFragment(
      c,
      () => <SignInsPage {...props} admin={layoutAdmin(c)!} />,
      () => <SignInsResults {...props} />,
    );
  }),
);
