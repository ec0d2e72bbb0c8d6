import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import type { AppEnv } from '../../app-env.js';
import { csvRow, exportFileName, setDownloadHeaders } from '../../http/csv.js';
import { withFilters } from '../../http/render.js';
import { log } from '../../log.js';
import type { ListFilters } from '../../http/list-filters.js';
import { toGraphRiskDetection } from '../../queries/graph.js';
import { iterateRiskySignIns, listRiskEventsOfSignIns, RISKY_SIGN_INS_EXPORT_SPEC } from '../../queries/risky-sign-in-export.js';
import type { RiskySignInListRow } from '../../queries/risky-sign-ins.js';
import { listEntraDetailsOfSignIns, type SignInEntraDetails } from '../../queries/sign-in-entra-details.js';

// The contract's columns, then what Entra recorded (appended, so readers of the first 13 keep working).
const CSV_HEADER = [
  'Sign-in time', 'User', 'UPN', 'IP', 'City', 'State', 'Country', 'Risk level', 'Status', 'Risk event types', 'Result', 'App', 'Sign-in id',
  'Sign-in time (microseconds)', 'User agent', 'Correlation id', 'App id', 'Interactive', 'Conditional Access', 'Authentication requirement',
  'Entra said: risk level during sign-in', 'Entra said: risk state', 'Truncated fields',
];

function csvLine(row: RiskySignInListRow, details: SignInEntraDetails | undefined): string {
  return csvRow([
    row.createdDateTime.toISOString(),
    row.userDisplayName,
    row.userPrincipalName,
    row.ipAddress,
    row.city,
    row.state,
    row.countryOrRegion,
    row.riskLevel,
    row.riskStatus,
    row.riskEventTypes.join(';'),
    row.errorCode === 0 ? 'success' : `failure ${row.errorCode}`,
    row.appDisplayName,
    row.id,
    details?.createdDateTime,
    details?.userAgent,
    details?.correlationId,
    details?.appId,
    details?.isInteractive === null || details?.isInteractive === undefined ? null : String(details.isInteractive),
    details?.conditionalAccessStatus,
    details?.authenticationRequirement,
    details?.riskLevelDuringSignIn,
    details?.riskState,
    row.truncatedFields.join(';'),
  ]);
}

function download(c: Context<AppEnv>, filters: ListFilters, type: string, extension: string, write: (chunk: (text: string) => Promise<unknown>) => Promise<void>) {
  setDownloadHeaders(c, type, exportFileName(c.var.tenant.domain, 'risky-sign-ins', filters.period, extension));
  return stream(
    c,
    async (out) => {
      await write((text) => out.write(text));
    },
    async (error) => {
      // The status is sent already: log, and end the body short rather than pretend it is whole.
      log.error('export failed', { path: c.req.path, error: String(error?.stack ?? error) });
    },
  );
}

export const exportRoutes = new Hono<AppEnv>()
  .get('/security/risky-sign-ins/export.csv', (c) =>
    withFilters(c, RISKY_SIGN_INS_EXPORT_SPEC, async (filters) =>
      download(c, filters, 'text/csv; charset=utf-8', 'csv', async (write) => {
        await write(csvRow(CSV_HEADER));
        for await (const rows of iterateRiskySignIns(c.var.deps.database.db, c.var.tenant.id, filters)) {
          const details = await listEntraDetailsOfSignIns(c.var.deps.database.db, c.var.tenant.id, rows.map((row) => row.id));
          await write(rows.map((row) => csvLine(row, details.get(row.id))).join(''));
        }
      }),
    ),
  )
  .get('/security/risky-sign-ins/export.json', (c) =>
    withFilters(c, RISKY_SIGN_INS_EXPORT_SPEC, async (filters) =>
      download(c, filters, 'application/json; charset=utf-8', 'json', async (write) => {
        const { db } = c.var.deps.database;
        let first = true;
        await write('{"value":[');
        for await (const rows of iterateRiskySignIns(db, c.var.tenant.id, filters)) {
          const events = await listRiskEventsOfSignIns(db, c.var.tenant.id, rows.map((row) => row.id));
          if (events.length === 0) continue;
          await write(`${first ? '' : ','}${events.map((event) => JSON.stringify(toGraphRiskDetection(event))).join(',')}`);
          first = false;
        }
        await write(']}');
      }),
    ),
  );
