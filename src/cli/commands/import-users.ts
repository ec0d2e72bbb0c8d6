import { OPERATOR } from '../../actions/audit-record.js';
import { requireTenantByDomain } from '../../actions/tenants.js';
import { importDirectoryUsers, parseDirectoryUsers } from '../../lists/users.js';
import { readListFile, requireFiles, str, type CommandContext, type CommandResult } from '../context.js';

/** riskdesk import users --tenant DOMAIN FILE: Graph user objects (id, userPrincipalName, displayName, mail). */
export async function importUsersCommand(ctx: CommandContext): Promise<CommandResult> {
  const [file] = requireFiles(ctx, 'one');
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  const users = parseDirectoryUsers(await readListFile(file));
  const result = await importDirectoryUsers(db, tenant, users, OPERATOR);
  return {
    json: result,
    text: `Imported ${result.received} users into ${tenant.domain} (${result.created} new), ${result.riskDetections} risk detections`,
  };
}
