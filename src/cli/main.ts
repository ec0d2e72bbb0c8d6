import { parseArgs } from 'node:util';
import { ActionError } from '../actions/errors.js';
import { DataDirLockedError } from '../db/lock.js';
import { adminCommand } from './commands/admin.js';
import { apikeyCommand } from './commands/apikey.js';
import { demoCommand } from './commands/demo.js';
import { detectionsCommand } from './commands/detections.js';
import { graphCommand, pullCommand } from './commands/graph.js';
import { importCommand } from './commands/import.js';
import { retentionCommand } from './commands/retention.js';
import { tenantCommand } from './commands/tenant.js';
import { CliError, openForCommand, type CommandContext, type CommandResult } from './context.js';

type Handler = (sub: string | undefined, ctx: CommandContext) => Promise<CommandResult>;

export const COMMANDS: Record<string, Handler> = {
  tenant: tenantCommand,
  admin: adminCommand,
  apikey: apikeyCommand,
  import: importCommand,
  detections: detectionsCommand,
  demo: demoCommand,
  retention: retentionCommand,
  graph: graphCommand,
  pull: pullCommand,
};

const USAGE = `usage: riskdesk <command> [options] [--json]
  tenant create --name NAME --domain DOMAIN --edition EDITION
  tenant list
  tenant set-edition --tenant DOMAIN --edition EDITION
  admin create --tenant DOMAIN --email EMAIL --role ROLE [--password PW]
  admin reset-password --email EMAIL
  apikey create --tenant DOMAIN --name NAME
  import sign-ins --tenant DOMAIN FILE...      (Graph, Sentinel, Azure Monitor or portal CSV; told by content)
  import users --tenant DOMAIN FILE
  import ip-list --kind anonymous|malware FILE [--replace]
  import ip-list --kind trusted --tenant DOMAIN --name NAME FILE [--replace]
  import leaked --tenant DOMAIN FILE [--replace]
  detections --tenant DOMAIN [--since ISO]
  graph connect --tenant DOMAIN --directory-tenant ID --client-id ID [--every MINUTES] < secret
  graph show --tenant DOMAIN
  pull graph --tenant DOMAIN [--since ISO]
  demo [--sign-ins N] [--seed S] [--force]
  retention run`;

const OPTIONS = {
  json: { type: 'boolean' },
  replace: { type: 'boolean' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  domain: { type: 'string' },
  edition: { type: 'string' },
  tenant: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  kind: { type: 'string' },
  since: { type: 'string' },
  seed: { type: 'string' },
  'sign-ins': { type: 'string' },
  'directory-tenant': { type: 'string' },
  'client-id': { type: 'string' },
  every: { type: 'string' },
} as const;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return fail((error as Error).message);
  }
  const [command, sub, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || parsed.values.help ? 0 : 1;
  }
  const handler = COMMANDS[command];
  if (!handler) return fail(`unknown command "${command}"; run riskdesk --help`);

  let opened;
  try {
    opened = await openForCommand();
  } catch (error) {
    return fail(messageOf(error));
  }
  const ctx: CommandContext = {
    ...opened,
    options: parsed.values,
    positionals: rest,
    progress: (message) => {
      if (process.stderr.isTTY) process.stderr.write(`${message}\n`);
    },
  };
  try {
    const result = await handler(sub, ctx);
    process.stdout.write(parsed.values.json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return 0;
  } catch (error) {
    return fail(messageOf(error));
  } finally {
    await opened.database.close();
  }
}

function messageOf(error: unknown): string {
  if (error instanceof CliError || error instanceof ActionError || error instanceof DataDirLockedError) return error.message;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

function fail(message: string): number {
  process.stderr.write(`riskdesk: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 1;
}

run(process.argv.slice(2)).then((code) => process.exit(code));
