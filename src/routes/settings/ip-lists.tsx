import { isIP } from 'node:net';
import { Hono } from 'hono';
import { IpListsPage } from '../../../views/settings/ip-lists.js';
import type { AppEnv } from '../../app-env.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { listGlobalIpLists, lookupIp } from '../../queries/ip-lists.js';

// Read-only for every role: the global lists belong to the operator (riskdesk import ip-list).

export const ipListsRoutes = new Hono<AppEnv>().get('/settings/ip-lists', async (c) => {
  const { db } = c.var.deps.database;
  const query = (c.req.query('ip') ?? '').trim();
  // A zone id (fe80::1%eth0) passes isIP but not PostgreSQL's inet.
  const valid = query === '' || (isIP(query) !== 0 && !query.includes('%'));
  const [lists, lookup] = await Promise.all([listGlobalIpLists(db), valid && query !== '' ? lookupIp(db, c.var.tenant.id, query) : null]);
  return c.html(
    <IpListsPage
      layout={layoutAdmin(c)}
      timeZone={c.var.admin.timezone}
      lists={lists}
      query={query}
      lookup={lookup}
      error={valid ? undefined : `ip: "${query.slice(0, 64)}" is not an IP address (IPv4 or IPv6, without a /prefix)`}
    />,
    valid ? 200 : 400,
  );
});
