import { createTenant, setTenantEdition } from '../../actions/tenants.js';
import { listTenants } from '../../queries/tenants.js';
import type { Tenant } from '../../db/schema.js';
import { CliError, str, type CommandContext, type CommandResult } from '../context.js';

const shape = (tenant: Tenant) => ({ id: tenant.id, name: tenant.name, domain: tenant.domain, edition: tenant.edition });

export async function tenantCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  const { db } = ctx.database;
  const { options } = ctx;
  switch (sub) {
    case 'create': {
      const tenant = await createTenant(db, { name: str(options.name), domain: str(options.domain), edition: str(options.edition) });
      return { json: shape(tenant), text: `Created tenant ${tenant.name} (${tenant.domain}, ${tenant.edition}) with id ${tenant.id}` };
    }
    case 'list': {
      const all = (await listTenants(db)).map(shape);
      const text = all.length === 0 ? 'No tenants yet.' : all.map((t) => `${t.domain}\t${t.edition}\t${t.name}\t${t.id}`).join('\n');
      return { json: { tenants: all }, text };
    }
    case 'set-edition': {
      const tenant = await setTenantEdition(db, str(options.tenant), str(options.edition));
      return { json: shape(tenant), text: `${tenant.domain} is now ${tenant.edition}` };
    }
    default:
      throw new CliError(`unknown command "tenant ${sub ?? ''}": use tenant create, tenant list or tenant set-edition`);
  }
}
