import { describeLogins, seedDemo } from '../../demo/seed.js';
import { CliError, type CommandContext, type CommandResult } from '../context.js';

/** riskdesk demo [--sign-ins N] [--seed S] [--force]: creates Contoso and Fabrikam with generated history. */
export async function demoCommand(sub: string | undefined, ctx: CommandContext): Promise<CommandResult> {
  if (sub !== undefined) throw new CliError(`unexpected argument "${sub}"; usage: riskdesk demo [--sign-ins N] [--seed S] [--force]`);
  const result = await seedDemo(ctx.database.db, {
    seed: integerOption(ctx.options.seed, '--seed', 0),
    signIns: integerOption(ctx.options['sign-ins'], '--sign-ins', 1),
    force: ctx.options.force === true,
    nodeEnv: ctx.config.nodeEnv,
    progress: ctx.progress,
  });
  if (!result.created) {
    return { json: result, text: `The demo tenants exist already (${result.existing.join(', ')}); nothing changed.` };
  }
  const counts = result.tenants.map((t) => `  ${t.domain} (${t.edition}): ${t.inserted} sign-ins, ${t.riskDetections} risk detections`).join('\n');
  return { json: result, text: `Created the demo tenants:\n${counts}\nSign in with:\n${describeLogins(result.logins)}` };
}

function integerOption(value: string | boolean | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new CliError(`${name} must be an integer of at least ${min}, got "${String(value)}"`);
  return number;
}
