import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { assertDataDirFree } from '../db/lock.js';
import { migrate } from '../db/migrate.js';

/** What every command gets: parsed options, the migrated database, and where to report progress. */
export interface CommandContext {
  config: Config;
  database: Database;
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Progress lines; written to standard error only when it is a terminal. */
  progress(message: string): void;
}

/** The result a command prints: JSON with --json, else its text. */
export interface CommandResult {
  json: unknown;
  text: string;
}

export class CliError extends Error {}

/** Opens the configured database (refusing a DATA_DIR the server holds) and applies pending migrations. */
export async function openForCommand(env: NodeJS.ProcessEnv = process.env): Promise<{ config: Config; database: Database }> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  if (!config.databaseUrl) assertDataDirFree(config.dataDir);
  const database = await openDatabase(config);
  await migrate(database);
  return { config, database };
}

export function str(value: string | boolean | undefined): string {
  return typeof value === 'string' ? value : '';
}

export function requireFiles(ctx: CommandContext, count: 'one' | 'many'): string[] {
  if (ctx.positionals.length === 0) throw new CliError('FILE is required');
  if (count === 'one' && ctx.positionals.length > 1) throw new CliError(`expected one FILE, got ${ctx.positionals.length}`);
  return ctx.positionals;
}

export async function readListFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
