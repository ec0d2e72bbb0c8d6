import { runRetention } from '../../actions/retention.js';
import { CliError, type CommandContext, type CommandResult } from '../context.js';

export async function retentionCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  if (sub !== 'run') throw new CliError(`unknown command "retention ${sub ?? ''}": use retention run`);
  const removed = await runRetention(ctx.database.db, new Date());
  return {
    json: removed,
    text: `Removed ${removed.signIns} sign-ins, ${removed.riskEvents} closed risk events, ${removed.sessions} expired sessions and ${removed.loginAttempts} old login attempts.`,
  };
}
