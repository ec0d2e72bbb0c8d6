import { eq, sql } from 'drizzle-orm';
import { OPERATOR, type Actor } from '../actions/audit-record.js';
import type { Config } from '../config.js';
import { openSecret } from '../crypto/secrets.js';
import { rows, type Db } from '../db/client.js';
import { graphConnections, type GraphConnection, type Tenant } from '../db/schema.js';
import { addSkips, noSkips } from '../ingest/dialects/shape.js';
import { ingestSignIns, type IngestResult } from '../ingest/ingest.js';
import { SignInReader } from '../ingest/records.js';
import { fetchPage, fetchToken, GraphError, type GraphEndpoint } from './client.js';

export interface PullResult extends IngestResult {
  /** The createdDateTime the pull started from (the last stored one, or --since). */
  from: string;
  pages: number;
}

export interface PullOptions {
  since?: Date;
  actor?: Actor;
  progress?(result: PullResult): void;
}

/** Oldest first, one ingestion transaction a page, from the latest stored createdDateTime: after a crash it resumes, and re-fetched sign-ins are duplicates by id. */
export async function pullGraphSignIns(db: Db, config: Config, tenant: Tenant, options: PullOptions = {}): Promise<PullResult> {
  const connection = await requireConnection(db, tenant);
  const endpoint: GraphEndpoint = {
    baseUrl: config.graphBaseUrl,
    tokenUrl: config.graphTokenUrl,
    directoryTenantId: connection.directoryTenantId,
    clientId: connection.clientId,
    clientSecret: openSecret(connection.sealedClientSecret, config.secretsKey),
  };
  const from = await resumePoint(db, tenant.id, options.since);
  const result: PullResult = { received: 0, inserted: 0, duplicates: 0, riskDetections: 0, skipped: noSkips(), truncated: 0, from: from.toISOString(), pages: 0 };
  try {
    let token = await fetchToken(endpoint);
    let url: string | null = firstPageUrl(endpoint.baseUrl, from);
    let renewed = false;
    while (url) {
      const page = await fetchPage(url, token);
      if (page.status === 401 && !renewed) {
        // A token can expire during a long history; one fresh token, then a 401 is an answer.
        token = await fetchToken(endpoint);
        renewed = true;
        continue;
      }
      if (page.status !== 200) throw new GraphError(`Microsoft Graph answered ${page.status} for page ${result.pages + 1}${graphMessage(page.body)}`);
      const reader = new SignInReader();
      const records = reader.json(page.body);
      const part = await ingestSignIns(db, tenant, records, { actor: options.actor ?? OPERATOR, skipped: reader.skipped });
      result.received += part.received;
      result.inserted += part.inserted;
      result.duplicates += part.duplicates;
      result.riskDetections += part.riskDetections;
      result.truncated += part.truncated;
      addSkips(result.skipped, part.skipped);
      result.pages++;
      options.progress?.(result);
      url = nextLinkOf(page.body, endpoint.baseUrl);
      renewed = false;
    }
  } catch (error) {
    await db.update(graphConnections).set({ lastError: (error as Error).message.slice(0, 1000), updatedAt: new Date() }).where(eq(graphConnections.tenantId, tenant.id));
    if (error instanceof GraphError) throw new GraphError(`${error.message} (${result.inserted} sign-ins of earlier pages were imported; run it again to resume)`);
    throw error;
  }
  await db.update(graphConnections).set({ lastPulledAt: new Date(), lastError: null, updatedAt: new Date() }).where(eq(graphConnections.tenantId, tenant.id));
  return result;
}

async function requireConnection(db: Db, tenant: Tenant): Promise<GraphConnection> {
  const [connection] = await db.select().from(graphConnections).where(eq(graphConnections.tenantId, tenant.id));
  if (!connection) throw new GraphError(`${tenant.domain} has no Graph app registration; store one with riskdesk graph connect`);
  return connection;
}

/** The later of --since and the latest stored sign-in; with neither, the last 30 days (Entra keeps no more for most editions). */
async function resumePoint(db: Db, tenantId: string, since: Date | undefined): Promise<Date> {
  const [latest] = await rows<{ at: string | null }>(
    db,
    sql`select to_char(max(created_date_time) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from sign_in_ids where tenant_id = ${tenantId}::uuid`,
  );
  const stored = latest?.at ? new Date(latest.at) : null;
  const candidates = [since, stored].filter((at): at is Date => at instanceof Date && !Number.isNaN(at.getTime()));
  if (candidates.length === 0) return new Date(Date.now() - 30 * 86_400_000);
  return new Date(Math.max(...candidates.map((at) => at.getTime())));
}

function firstPageUrl(baseUrl: string, from: Date): string {
  const query = new URLSearchParams({ $filter: `createdDateTime ge ${from.toISOString()}`, $orderby: 'createdDateTime asc', $top: '1000' });
  return `${baseUrl}/auditLogs/signIns?${query.toString().replace(/\+/g, '%20')}`;
}

/** The next page, only on Graph's own origin: the bearer token is never sent elsewhere. */
function nextLinkOf(body: unknown, baseUrl: string): string | null {
  const link = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['@odata.nextLink'] : undefined;
  if (typeof link !== 'string' || link === '') return null;
  let url: URL;
  try {
    url = new URL(link, baseUrl);
  } catch {
    throw new GraphError(`Microsoft Graph gave a next link that is not a URL: ${link.slice(0, 200)}`);
  }
  if (url.origin !== new URL(baseUrl).origin) throw new GraphError(`Microsoft Graph gave a next link on another origin (${url.origin}); not following it`);
  return url.toString();
}

function graphMessage(body: unknown): string {
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const code = typeof error?.code === 'string' ? error.code : null;
  const message = typeof error?.message === 'string' ? error.message.slice(0, 300) : null;
  return code || message ? `: ${[code, message].filter(Boolean).join(': ')}` : '';
}
