import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { RISKY_SIGN_INS_PATH, RiskySignInsPage, RiskySignInsResults } from '../../../views/security/risky-sign-ins.js';
import type { AppEnv } from '../../app-env.js';
import { canInvestigate, isPremium } from '../../auth/permissions.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { pushListUrl, renderPageOrFragment, withFiltersOf } from '../../http/render.js';
import { listQuery, listUrl, requestQuery } from '../../http/list-filters.js';
import { getRiskySignInsPage, RISKY_SIGN_INS_SPEC } from '../../queries/risky-sign-ins.js';
import { parseBulkOutcome } from '../../http/bulk-outcome.js';

/**
 * The list for a query string: the GET handler, and the bulk form when it refuses a submission
 * (the list again, its filters kept, the message next to the form).
 */
export function renderRiskySignIns(c: Context<AppEnv>, rawQuery: URLSearchParams, refusal?: { message: string; status: ContentfulStatusCode }) {
  return withFiltersOf(c, RISKY_SIGN_INS_SPEC, rawQuery, async (filters) => {
    const { admin, tenant } = c.var;
    const data = await getRiskySignInsPage(c.var.deps.database.db, tenant.id, filters);
    const query = listQuery(rawQuery, RISKY_SIGN_INS_SPEC);
    const props = {
      ...data,
      filters,
      query,
      premium: isPremium(tenant.edition),
      canAct: canInvestigate(admin.role),
      timeZone: admin.timezone,
      returnTo: listUrl(RISKY_SIGN_INS_PATH, query),
      bulkError: refusal?.message,
    };
    pushListUrl(c, RISKY_SIGN_INS_PATH, query);
    return renderPageOrFragment(
      c,
      () => <RiskySignInsPage {...props} admin={layoutAdmin(c)!} outcome={parseBulkOutcome(rawQuery)} />,
      () => <RiskySignInsResults {...props} />,
      refusal?.status,
    );
  });
}

export const riskySignInsRoutes = new Hono<AppEnv>().get(RISKY_SIGN_INS_PATH, (c) => renderRiskySignIns(c, requestQuery(c)));
