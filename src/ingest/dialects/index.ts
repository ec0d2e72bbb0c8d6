import { graphObjectFromCsvRow, isGraphCsvColumn } from '../csv.js';
import { azureMonitorRecord, looksLikeAzureMonitor } from './azure-monitor.js';
import { graphSignIn, looksLikeGraph } from './graph.js';
import { looksLikePortalCsv, portalCsv } from './portal-csv.js';
import { looksLikeSentinel, sentinelColumns, sentinelSignIn } from './sentinel.js';
import type { Dialect, Mapped } from './shape.js';

/** Graph's own CSV (flat or dotted column names, docs/import-formats.md) is the Graph dialect written as rows. */
const graphCsv: Dialect = { label: 'Graph signIn CSV', map: (row) => graphSignIn.map(graphObjectFromCsvRow(row as Record<string, string>)) };

/** The dialect of one JSON record, or null when it is none Riskdesk knows. Envelopes first: they also hold Graph names inside. */
export function dialectOfRecord(record: Record<string, unknown>): Dialect | null {
  if (looksLikeAzureMonitor(record)) return azureMonitorRecord;
  if (looksLikeSentinel(record)) return sentinelSignIn;
  if (looksLikeGraph(record)) return graphSignIn;
  return null;
}

export function dialectOfCsvHeader(columns: string[]): Dialect | null {
  if (looksLikePortalCsv(columns)) return portalCsv;
  if (looksLikeSentinel(sentinelColumns(Object.fromEntries(columns.map((column) => [column, ''] as const))))) return sentinelSignIn;
  if (columns.some((column) => isGraphCsvColumn(column.trim()))) return graphCsv;
  return null;
}

export function mapRecord(dialect: Dialect, record: Record<string, unknown>): Mapped {
  return dialect.map(record);
}

/** "fields A, B, C, … (N in all)" for error messages. */
export function fieldList(names: string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, … (${names.length} in all)` : shown || '(none)';
}
