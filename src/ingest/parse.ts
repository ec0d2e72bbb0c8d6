import { parse as parseCsvSync } from 'csv-parse/sync';
import { graphObjectFromCsvRow } from './csv.js';
import { ParseError } from './errors.js';
import type { SignInRecord } from './types.js';
import { validateSignIn } from './validate.js';

export type SignInFormat = 'json' | 'ndjson' | 'csv';

/** Parses a whole body in one of the three formats; one bad record throws a ParseError for the batch. */
export function parseSignIns(text: string, format: SignInFormat): SignInRecord[] {
  if (format === 'ndjson') return parseNdjson(text);
  if (format === 'csv') return parseCsv(text);
  return parseGraphJson(text);
}

/** A JSON array of Graph signIn objects, or a Graph page {"value": [...]}. */
export function parseGraphJson(text: string): SignInRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ParseError(0, 'body', `not valid JSON (${(error as Error).message})`);
  }
  return graphRecordsOf(parsed).map((raw, index) => validateSignIn(raw, { index }));
}

export function graphRecordsOf(parsed: unknown): unknown[] {
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { value?: unknown }).value)) {
    return (parsed as { value: unknown[] }).value;
  }
  throw new ParseError(0, 'body', 'expected a JSON array or a Graph page {"value": [...]}');
}

/** One JSON object a line; blank lines are skipped, and errors name the line. */
export function parseNdjson(text: string, firstLine = 1, firstIndex = 0): SignInRecord[] {
  const records: SignInRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const record = parseNdjsonLine(lines[i], { index: firstIndex + records.length, line: firstLine + i });
    if (record) records.push(record);
  }
  return records;
}

export function parseNdjsonLine(line: string, where: { index: number; line: number }): SignInRecord | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (error) {
    throw new ParseError(where.index, 'record', `not valid JSON (${(error as Error).message})`, where.line);
  }
  return validateSignIn(raw, where);
}

/** CSV with a header row; see docs/import-formats.md for the columns. */
export function parseCsv(text: string): SignInRecord[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsvSync(text, { columns: true, skip_empty_lines: true, bom: true, info: true });
  } catch (error) {
    throw new ParseError(0, 'csv', (error as Error).message);
  }
  return rows.map((row, index) => validateSignIn(graphObjectFromCsvRow(row.record), { index, line: row.info.lines }));
}
