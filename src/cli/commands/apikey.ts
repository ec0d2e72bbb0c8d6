import { OPERATOR } from '../../actions/audit-record.js';
import { requireTenantByDomain } from '../../actions/tenants.js';
import { createApiKey } from '../../auth/api-keys.js';
import { CliError, str, type CommandContext, type CommandResult } from '../context.js';

/** riskdesk apikey create --tenant DOMAIN --name NAME: {"id","name","key"}, the key shown this once. */
export async function apikeyCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  if (sub !== 'create') throw new CliError(`unknown command "apikey ${sub ?? ''}": use apikey create --tenant DOMAIN --name NAME`);
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  const { apiKey, key } = await createApiKey(db, { tenantId: tenant.id, name: str(ctx.options.name) }, OPERATOR, new Date());
  return {
    json: { id: apiKey.id, name: apiKey.name, key },
    text: `Created API key "${apiKey.name}" (${apiKey.id}) for ${tenant.domain}\nKey (shown once, store it now): ${key}`,
  };
}
