import { Hono } from 'hono';
import { SignInPage, SignInPanel } from '../../../views/security/sign-in.js';
import { SignInsPage, SignInsResults } from '../../../views/security/sign-ins.js';
import type { AppEnv } from '../../app-env.js';
import { isPremium } from '../../auth/permissions.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { pushListUrl, renderPageOrFragment, safeLocalPath, withFilters } from '../../http/render.js';
import { listQuery, requestQuery } from '../../http/list-filters.js';
import { getSignInDetail, getSignInsPage, SIGN_INS_SPEC } from '../../queries/sign-ins.js';
import { URL_SAFE_ID } from '../../db/ids.js';

const LISTS = ['/security/sign-ins', '/security/risky-sign-ins', '/security/users/'];

/** The filtered list (or user blade) the detail was opened from, else the sign-in log: never a page elsewhere. */
function backTo(value: string | undefined): string {
  const path = safeLocalPath(value, '/security/sign-ins');
  return LISTS.some((list) => path === list || path.startsWith(list.endsWith('/') ? list : `${list}?`)) ? path : '/security/sign-ins';
}

export const signInsRoutes = new Hono<AppEnv>()
  .get('/security/sign-ins', (c) =>
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
  )
  .get('/security/sign-ins/:signInId', async (c) => {
    const signInId = c.req.param('signInId');
    if (!URL_SAFE_ID.test(signInId)) return c.notFound();
    const { tenant, admin } = c.var;
    const detail = await getSignInDetail(c.var.deps.database.db, tenant.id, signInId, { edition: tenant.edition, now: c.var.deps.now() });
    if (!detail) return c.notFound();
    const props = { ...detail, premium: isPremium(tenant.edition), timeZone: admin.timezone, back: backTo(c.req.query('back')) };
    return renderPageOrFragment(
      c,
      () => <SignInPage {...props} inPanel={false} admin={layoutAdmin(c)!} />,
      () => <SignInPanel {...props} inPanel />,
    );
  });
