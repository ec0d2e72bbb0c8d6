import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import type { AppEnv } from '../../app-env.js';
import { csvRow, exportFileName, setDownloadHeaders } from '../../http/csv.js';
import { withFilters } from '../../http/render.js';
import { log } from '../../log.js';
import type { ListFilters } from '../../http/list-filters.js';
import { toGraphRiskDetection } from '../../queries/graph.js';
import { iterateRiskySignInIds, iterateRiskySignInsCsv, listRiskEventsOfSignIns, RISKY_SIGN_INS_EXPORT_SPEC } from '../../queries/risky-sign-in-export.js';

// The contract's columns, then what Entra recorded (appended, so readers of the first 13 keep working);
// queries/risky-sign-in-export.ts builds the lines in this order.
const CSV_HEADER = [
  'Sign-in time', 'User', 'UPN', 'IP', 'City', 'State', 'Country', 'Risk level', 'Status', 'Risk event types', 'Result', 'App', 'Sign-in id',
  'Sign-in time (microseconds)', 'User agent', 'Correlation id', 'App id', 'Interactive', 'Conditional Access', 'Authentication requirement',
  'Entra said: risk level during sign-in', 'Entra said: risk state', 'Truncated fields',
];

function download(c: Context<AppEnv>, filters: ListFilters, type: string, extension: string, write: (chunk: (text: string) => Promise<unknown>) => Promise<void>) {
  setDownloadHeaders(c, type, exportFileName(c.var.tenant.domain, 'risky-sign-ins', filters.period, extension));
  return stream(
    c,
    async (out) => {
      await write((text) => out.write(text));
    },
    async (error) => {
      log.error('export failed', { path: c.req.path, error: String(error?.stack ?? error) });
      // The 200 went out before the first page was read, and a chunked body that ends normally reads as
      // whole: cut the connection instead, so the browser or curl reports the download as failed.
      // c.env is @hono/node-server's; app.request() has no connection to cut.
      (c.env as HttpBindings | undefined)?.outgoing.destroy();
    },
  );
}

export const exportRoutes = new Hono<AppEnv>()
  .get('/security/risky-sign-ins/export.csv', (c) =>
    withFilters(c, RISKY_SIGN_INS_EXPORT_SPEC, async (filters) =>
      download(c, filters, 'text/csv; charset=utf-8', 'csv', async (write) => {
        await write(csvRow(CSV_HEADER));
        for await (const lines of iterateRiskySignInsCsv(c.var.deps.database.db, c.var.tenant.id, filters)) await write(lines);
      }),
    ),
  )
  .get('/security/risky-sign-ins/export.json', (c) =>
    withFilters(c, RISKY_SIGN_INS_EXPORT_SPEC, async (filters) =>
      download(c, filters, 'application/json; charset=utf-8', 'json', async (write) => {
        const { db } = c.var.deps.database;
        let first = true;
        await write('{"value":[');
        for await (const ids of iterateRiskySignInIds(db, c.var.tenant.id, filters)) {
          const events = await listRiskEventsOfSignIns(db, c.var.tenant.id, ids);
          if (events.length === 0) continue;
          await write(`${first ? '' : ','}${events.map((event) => JSON.stringify(toGraphRiskDetection(event))).join(',')}`);
          first = false;
        }
        await write(']}');
      }),
    ),
  );
