import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseCsvStream } from 'csv-parse';
import { graphObjectFromCsvRow } from './csv.js';
import { ParseError } from './errors.js';
import { parseGraphJson, parseNdjsonLine, type SignInFormat } from './parse.js';
import type { SignInRecord } from './types.js';
import { validateSignIn } from './validate.js';

export function formatOfFile(path: string): SignInFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  if (extension === '.csv') return 'csv';
  if (extension === '.json') return 'json';
  throw new ParseError(0, 'file', `${path}: unknown format "${extension}"; use .json, .ndjson, .jsonl or .csv`);
}

/**
 * Reads a sign-in file in batches: NDJSON and CSV stream, so memory stays bounded whatever the
 * file's size; a Graph JSON document is one value and is parsed whole.
 */
export async function* readSignInFile(path: string, batchSize: number): AsyncGenerator<SignInRecord[]> {
  const format = formatOfFile(path);
  if (format === 'json') {
    const records = parseGraphJson(await readFile(path, 'utf8'));
    for (let i = 0; i < records.length; i += batchSize) yield records.slice(i, i + batchSize);
    return;
  }
  let batch: SignInRecord[] = [];
  for await (const record of format === 'ndjson' ? streamNdjson(path) : streamCsv(path)) {
    batch.push(record);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* streamNdjson(path: string): AsyncGenerator<SignInRecord> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  for await (const text of lines) {
    line++;
    const record = parseNdjsonLine(text, { index, line });
    if (!record) continue;
    index++;
    yield record;
  }
}

async function* streamCsv(path: string): AsyncGenerator<SignInRecord> {
  const parser = createReadStream(path).pipe(parseCsvStream({ columns: true, skip_empty_lines: true, bom: true, info: true }));
  let index = 0;
  try {
    for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield validateSignIn(graphObjectFromCsvRow(row.record), { index, line: row.info.lines });
      index++;
    }
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError(index, 'csv', (error as Error).message);
  }
}
