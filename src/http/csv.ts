import type { Context } from 'hono';

// CSV per RFC 4180, with spreadsheet formula injection neutralised.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: a leading apostrophe defuses a formula, and quotes wrap what would break the row. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** "contoso.com-risk-events-2026-11-20-to-2026-11-27.csv": tenant, report and period. */
export function exportFileName(domain: string, report: string, period: { from: Date; to: Date } | null, extension: string): string {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return `${domain}-${report}${period ? `-${day(period.from)}-to-${day(period.to)}` : ''}.${extension}`;
}

export function setDownloadHeaders(c: Context, type: string, fileName: string): void {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
}
