import { eq } from 'drizzle-orm';
import { OPERATOR } from '../../actions/audit-record.js';
import { connectGraph } from '../../actions/graph-connections.js';
import { requireTenantByDomain } from '../../actions/tenants.js';
import { SealedSecretError, SecretsKeyMissingError } from '../../crypto/secrets.js';
import { graphConnections } from '../../db/schema.js';
import { GraphError } from '../../graph/client.js';
import { pullGraphSignIns } from '../../graph/pull.js';
import { CliError, str, type CommandContext, type CommandResult } from '../context.js';
import { parseSince } from './detections.js';

/**
 * riskdesk graph connect --tenant DOMAIN --directory-tenant ID --client-id ID [--every MINUTES] < secret
 * riskdesk graph show --tenant DOMAIN
 * The secret comes on standard input so it never sits in the shell history or the process list.
 */
export async function graphCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  if (sub === 'connect') {
    if (process.stdin.isTTY) throw new CliError('pipe the client secret on standard input, e.g. riskdesk graph connect ... < secret.txt');
    const secret = (await readStdin()).replace(/\r?\n$/, '');
    const every = ctx.options.every;
    const scheduleMinutes = every === undefined ? null : /^\d+$/.test(str(every)) ? Number(every) : NaN;
    await connectGraph(db, tenant, { directoryTenantId: str(ctx.options['directory-tenant']), clientId: str(ctx.options['client-id']), clientSecret: secret, scheduleMinutes }, ctx.config.secretsKey, OPERATOR);
    return show(ctx, tenant.id, tenant.domain);
  }
  if (sub === 'show') return show(ctx, tenant.id, tenant.domain);
  throw new CliError(`unknown command "graph ${sub ?? ''}": use graph connect or graph show`);
}

async function show(ctx: CommandContext, tenantId: string, domain: string): Promise<CommandResult> {
  const [connection] = await ctx.database.db.select().from(graphConnections).where(eq(graphConnections.tenantId, tenantId));
  if (!connection) throw new CliError(`${domain} has no Graph app registration; store one with riskdesk graph connect`);
  // The secret is never shown again, sealed or not.
  const json = {
    tenant: domain,
    directoryTenantId: connection.directoryTenantId,
    clientId: connection.clientId,
    clientSecret: 'stored (sealed with SECRETS_KEY)',
    scheduleMinutes: connection.scheduleMinutes,
    lastPulledAt: connection.lastPulledAt?.toISOString() ?? null,
    lastError: connection.lastError,
  };
  const schedule = connection.scheduleMinutes === null ? 'no schedule' : `pulled every ${connection.scheduleMinutes} minutes by the server`;
  return { json, text: `${domain}: app ${connection.clientId} in directory ${connection.directoryTenantId}, secret stored, ${schedule}` };
}

export async function pullCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  if (sub !== 'graph') throw new CliError(`unknown command "pull ${sub ?? ''}": use pull graph --tenant DOMAIN [--since ISO]`);
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  const since = parseSince(ctx.options.since) ?? undefined;
  try {
    const result = await pullGraphSignIns(db, ctx.config, tenant, {
      since,
      progress: (r) => ctx.progress(`page ${r.pages}: ${r.received} read, ${r.inserted} new, ${r.riskDetections} risk detections`),
    });
    return {
      json: result,
      text: `Pulled ${result.received} records from Microsoft Graph since ${result.from} in ${result.pages} pages: ${result.inserted} new sign-ins in ${tenant.domain} (${result.duplicates} duplicates), ${result.riskDetections} risk detections`,
    };
  } catch (error) {
    if (error instanceof GraphError || error instanceof SecretsKeyMissingError || error instanceof SealedSecretError) throw new CliError(`pull graph: ${error.message}`);
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
