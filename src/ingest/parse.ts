import { parse as parseCsvSync } from 'csv-parse/sync';
import type { SkipCounts } from './dialects/shape.js';
import { ParseError, UnknownShapeError } from './errors.js';
import { SignInReader } from './records.js';
import { containerOf, withoutBom } from './sniff.js';
import type { SignInRecord } from './types.js';

export interface ParsedSignIns {
  records: SignInRecord[];
  received: number;
  skipped: SkipCounts;
}

/** Parses a whole body, its layout and dialect told by content; one bad record throws a ParseError for the batch. */
export function parseSignIns(input: string): ParsedSignIns {
  const text = withoutBom(input);
  const reader = new SignInReader();
  const container = containerOf(text, true);
  const records = container === 'json' ? readJsonDocument(reader, text) : container === 'jsonl' ? readJsonLines(reader, text) : container === 'csv' ? readCsv(reader, text) : [];
  return { records, received: reader.received, skipped: reader.skipped };
}

/** A JSON array, a Graph page {"value": [...]}, an Event Hub message {"records": [...]}, or one record. */
export function readJsonDocument(reader: SignInReader, text: string): SignInRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ParseError(0, 'body', `not valid JSON (${(error as Error).message})`);
  }
  return reader.json(parsed);
}

/** One JSON value a line (CRLF or LF); blank lines are skipped, and errors name the line. */
export function readJsonLines(reader: SignInReader, text: string): SignInRecord[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => readJsonLine(reader, line, i + 1));
}

export function readJsonLine(reader: SignInReader, line: string, lineNumber: number): SignInRecord[] {
  const trimmed = withoutBom(line).trim();
  if (trimmed === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw new ParseError(reader.received, 'record', `not valid JSON (${(error as Error).message})`, lineNumber);
  }
  return reader.json(value, lineNumber);
}

export const CSV_OPTIONS = { skip_empty_lines: true, bom: true, info: true, relax_column_count: true } as const;

/** CSV with a header row; the header says which dialect (docs/import-formats.md). */
export function readCsv(reader: SignInReader, text: string): SignInRecord[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsvSync(text, { ...CSV_OPTIONS, columns: (header: string[]) => (reader.csvHeader(header), header) });
  } catch (error) {
    if (error instanceof ParseError || error instanceof UnknownShapeError) throw error;
    throw new ParseError(reader.received, 'csv', (error as Error).message);
  }
  return rows.flatMap((row) => reader.csvRow(row.record, row.info.lines));
}

// The three entry points below keep their old names for callers that know the layout.
export const parseGraphJson = (text: string): SignInRecord[] => readJsonDocument(new SignInReader(), withoutBom(text));
export const parseNdjson = (text: string): SignInRecord[] => readJsonLines(new SignInReader(), withoutBom(text));
export const parseCsv = (text: string): SignInRecord[] => readCsv(new SignInReader(), withoutBom(text));

export function graphRecordsOf(parsed: unknown): unknown[] {
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { value?: unknown }).value)) {
    return (parsed as { value: unknown[] }).value;
  }
  throw new ParseError(0, 'body', 'expected a JSON array or a Graph page {"value": [...]}');
}
