import { basename } from 'node:path';
import { OPERATOR } from '../../actions/audit-record.js';
import { requireTenantByDomain } from '../../actions/tenants.js';
import { importIpList, importTrustedLocation } from '../../lists/ip-lists.js';
import { importLeakedCredentials } from '../../lists/leaked.js';
import { parseIpList, parseLeakList } from '../../lists/parse-list.js';
import { CliError, readListFile, requireFiles, str, type CommandContext, type CommandResult } from '../context.js';

/** riskdesk import ip-list --kind anonymous|malware FILE [--replace], or --kind trusted --tenant DOMAIN --name NAME FILE. */
export async function importIpListCommand(ctx: CommandContext): Promise<CommandResult> {
  const [file] = requireFiles(ctx, 'one');
  const kind = str(ctx.options.kind);
  const replace = ctx.options.replace === true;
  const { db } = ctx.database;
  if (kind !== 'anonymous' && kind !== 'malware' && kind !== 'trusted') throw new CliError('--kind must be anonymous, malware or trusted');
  const text = await readListFile(file);
  const parsed = withFile(file, () => parseIpList(text));
  const result =
    kind === 'trusted'
      ? await importTrustedLocation(db, await requireTenantByDomain(db, str(ctx.options.tenant)), { name: str(ctx.options.name), entries: parsed, replace }, OPERATOR)
      : await importIpList(db, { kind, name: str(ctx.options.name) || basename(file), entries: parsed, replace });
  return { json: result, text: `${result.list}: ${result.added} added, ${result.removed} removed (${result.entries} entries in ${file})` };
}

/** riskdesk import leaked --tenant DOMAIN FILE [--replace]: judges existing users at once. */
export async function importLeakedCommand(ctx: CommandContext): Promise<CommandResult> {
  const [file] = requireFiles(ctx, 'one');
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  const text = await readListFile(file);
  const entries = withFile(file, () => parseLeakList(text));
  const result = await importLeakedCredentials(db, tenant, { entries, source: basename(file), replace: ctx.options.replace === true }, OPERATOR);
  return {
    json: result,
    text: `Leak list for ${tenant.domain}: ${result.added} added, ${result.removed} removed, ${result.riskDetections} users with leaked credentials detected`,
  };
}

function withFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
}
