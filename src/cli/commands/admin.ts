import { OPERATOR } from '../../actions/audit-record.js';
import { createAdminInTenant, resetAdminPassword } from '../../actions/admins.js';
import { CliError, str, type CommandContext, type CommandResult } from '../context.js';

export async function adminCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  const { db } = ctx.database;
  const { options } = ctx;
  switch (sub) {
    case 'create': {
      const password = typeof options.password === 'string' ? options.password : undefined;
      const { admin, temporaryPassword, tenantDomain } = await createAdminInTenant(
        db,
        { tenant: str(options.tenant), email: str(options.email), role: str(options.role), password },
        OPERATOR,
      );
      const json: Record<string, string> = { id: admin.id, email: admin.email, role: admin.role, tenant: tenantDomain };
      if (temporaryPassword) json.password = temporaryPassword;
      const text =
        `Created ${admin.role} ${admin.email} in ${tenantDomain}` +
        (temporaryPassword ? `\nTemporary password (shown once, must be changed at first sign-in): ${temporaryPassword}` : '');
      return { json, text };
    }
    case 'reset-password': {
      const { admin, temporaryPassword } = await resetAdminPassword(db, str(options.email), OPERATOR);
      return {
        json: { id: admin.id, email: admin.email, password: temporaryPassword },
        text: `Temporary password for ${admin.email} (shown once, must be changed at sign-in; all sessions ended): ${temporaryPassword}`,
      };
    }
    default:
      throw new CliError(`unknown command "admin ${sub ?? ''}": use admin create or admin reset-password`);
  }
}
