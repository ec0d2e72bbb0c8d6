import { requireTenantByDomain } from '../../actions/tenants.js';
import { listRiskEventsDetectedSince } from '../../queries/detections.js';
import { toGraphRiskDetection } from '../../queries/graph.js';
import { parseInstant } from '../../iso8601.js';
import { CliError, str, type CommandContext, type CommandResult } from '../context.js';

/** riskdesk detections --tenant DOMAIN [--since ISO]: a Graph page of riskDetection (--since filters detectedDateTime). */
export async function detectionsCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  if (sub !== undefined) throw new CliError(`unexpected argument "${sub}"; usage: riskdesk detections --tenant DOMAIN [--since ISO]`);
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  const since = parseSince(ctx.options.since);
  const page = { value: (await listRiskEventsDetectedSince(db, tenant.id, since)).map(toGraphRiskDetection) };
  return { json: page, text: JSON.stringify(page, null, 2) };
}

export function parseSince(value: string | boolean | undefined): Date | null {
  if (value === undefined) return null;
  const since = typeof value === 'string' ? parseInstant(value) : null;
  if (!since) throw new CliError(`--since must be an ISO 8601 time such as 2026-01-31T00:00:00Z, got "${String(value)}"`);
  return since;
}
