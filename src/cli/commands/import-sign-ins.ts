import { ActionError } from '../../actions/errors.js';
import { requireTenantByDomain } from '../../actions/tenants.js';
import { analyzeAfterBulkImport, BULK_IMPORT_ROWS } from '../../db/maintenance.js';
import { ingestSignIns, type IngestResult } from '../../ingest/ingest.js';
import { addSkips, noSkips, skippedTotal } from '../../ingest/dialects/shape.js';
import { readSignInFile } from '../../ingest/read-file.js';
import { MAX_TEXT } from '../../ingest/validate.js';
import { CliError, requireFiles, str, type CommandContext, type CommandResult } from '../context.js';

// Per-user work (profiles, familiar places, rollups) is paid once per batch, so large batches ingest faster;
// two batches (the one ingesting and the one read ahead) stay well under 200 MB of live heap.
const BATCH_SIZE = 50_000;

const zero = (): IngestResult => ({ received: 0, inserted: 0, duplicates: 0, riskDetections: 0, skipped: noSkips(), truncated: 0 });

function add(total: IngestResult, part: IngestResult): void {
  total.received += part.received;
  total.inserted += part.inserted;
  total.duplicates += part.duplicates;
  total.riskDetections += part.riskDetections;
  addSkips(total.skipped, part.skipped);
  total.truncated += part.truncated;
}

/** riskdesk import sign-ins --tenant DOMAIN FILE...: streams each file through ingestion in batches. */
export async function importSignInsCommand(ctx: CommandContext): Promise<CommandResult> {
  const files = requireFiles(ctx, 'many');
  const { db } = ctx.database;
  const tenant = await requireTenantByDomain(db, str(ctx.options.tenant));
  const totals = zero();
  const perFile: (IngestResult & { file: string })[] = [];
  for (const file of files) {
    const result = zero();
    try {
      for await (const batch of readAhead(readSignInFile(file, BATCH_SIZE))) {
        add(result, await ingestSignIns(db, tenant, batch.records, { skipped: batch.skipped }));
        ctx.progress(`${file}: ${result.received} read, ${result.inserted} new, ${result.riskDetections} risk detections`);
      }
    } catch (error) {
      throw new CliError(`${file}: ${describe(error)}${result.inserted + totals.inserted > 0 ? ` (nothing of that batch was written; ${totals.inserted + result.inserted} sign-ins of earlier batches were imported)` : ''}`);
    }
    add(totals, result);
    perFile.push({ file, ...result });
  }
  if (totals.inserted >= BULK_IMPORT_ROWS) await analyzeAfterBulkImport(db);
  const json = files.length > 1 ? { ...totals, files: perFile } : totals;
  const skipped = skippedTotal(totals.skipped);
  const text = `Imported ${totals.inserted} of ${totals.received} records into ${tenant.domain} (${totals.duplicates} duplicates${skipped > 0 ? `, ${skipped} skipped: ${skipSummary(totals)}` : ''}), ${totals.riskDetections} risk detections${totals.truncated > 0 ? `; ${totals.truncated} with text cut to ${MAX_TEXT} characters` : ''}`;
  return { json, text };
}

function skipSummary(result: IngestResult): string {
  return Object.entries(result.skipped).filter(([, count]) => count > 0).map(([kind, count]) => `${count} ${kind}`).join(', ');
}

/** Reads the next batch while the database ingests the current one. */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  for (;;) {
    // A read error surfaces when its batch is reached, after the batches before it are ingested.
    next.catch(() => {});
    const { value, done } = await next;
    if (done) return;
    next = source.next();
    yield value;
  }
}

function describe(error: unknown): string {
  if (error instanceof ActionError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  throw error;
}
