import { CliError, type CommandContext, type CommandResult } from '../context.js';
import { importIpListCommand, importLeakedCommand } from './import-lists.js';
import { importSignInsCommand } from './import-sign-ins.js';
import { importUsersCommand } from './import-users.js';

export async function importCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  switch (sub) {
    case 'sign-ins':
      return importSignInsCommand(ctx);
    case 'users':
      return importUsersCommand(ctx);
    case 'ip-list':
      return importIpListCommand(ctx);
    case 'leaked':
      return importLeakedCommand(ctx);
    default:
      throw new CliError(`unknown command "import ${sub ?? ''}": use import sign-ins, import users, import ip-list or import leaked`);
  }
}
