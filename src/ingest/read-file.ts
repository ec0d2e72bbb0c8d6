import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse as parseCsvStream } from 'csv-parse';
import { noSkips, type SkipCounts } from './dialects/shape.js';
import { ParseError, UnknownShapeError } from './errors.js';
import { CSV_OPTIONS, readJsonDocument, readJsonLine } from './parse.js';
import { SignInReader } from './records.js';
import { containerOf, withoutBom, type Container } from './sniff.js';
import type { SignInRecord } from './types.js';

export interface FileBatch {
  records: SignInRecord[];
  received: number;
  skipped: SkipCounts;
}

const HEAD_BYTES = 64 * 1024;

/** Tells a file's layout from its first 64 KB, whatever its name (.json, .log, .txt, PT1H.json, ...). */
export async function containerOfFile(path: string): Promise<Container> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    return containerOf(buffer.subarray(0, bytesRead).toString('utf8'), bytesRead < HEAD_BYTES);
  } finally {
    await file.close();
  }
}

/** JSON lines and CSV stream, so memory stays bounded; a JSON document is one value and is parsed whole. */
export async function* readSignInFile(path: string, batchSize: number): AsyncGenerator<FileBatch> {
  const container = await containerOfFile(path);
  const reader = new SignInReader();
  if (container === 'empty') return;
  if (container === 'json') {
    const records = readJsonDocument(reader, withoutBom(await readFile(path, 'utf8')));
    const skipped = reader.skipped;
    for (let i = 0; i < Math.max(records.length, 1); i += batchSize) {
      const part = records.slice(i, i + batchSize);
      // The whole document's skipped and received counts go with its first batch.
      yield i === 0 ? { records: part, received: reader.received - records.length + part.length, skipped } : { records: part, received: part.length, skipped: noSkips() };
    }
    return;
  }
  let batch: SignInRecord[] = [];
  let counted = { received: 0, skipped: noSkips() };
  const take = (): FileBatch => {
    const out = { records: batch, received: reader.received - counted.received, skipped: difference(reader.skipped, counted.skipped) };
    counted = { received: reader.received, skipped: { ...reader.skipped } };
    batch = [];
    return out;
  };
  for await (const records of container === 'jsonl' ? streamJsonLines(path, reader) : streamCsv(path, reader)) {
    batch.push(...records);
    if (batch.length >= batchSize) yield take();
  }
  if (batch.length > 0 || reader.received > counted.received) yield take();
}

function difference(now: SkipCounts, before: SkipCounts): SkipCounts {
  const out = noSkips();
  for (const key of Object.keys(out) as (keyof SkipCounts)[]) out[key] = now[key] - before[key];
  return out;
}

async function* streamJsonLines(path: string, reader: SignInReader): AsyncGenerator<SignInRecord[]> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) yield readJsonLine(reader, text, ++line);
}

async function* streamCsv(path: string, reader: SignInReader): AsyncGenerator<SignInRecord[]> {
  const parser = createReadStream(path).pipe(parseCsvStream({ ...CSV_OPTIONS, columns: (header: string[]) => (reader.csvHeader(header), header) }));
  try {
    for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield reader.csvRow(row.record, row.info.lines);
    }
  } catch (error) {
    if (error instanceof ParseError || error instanceof UnknownShapeError) throw error;
    throw new ParseError(reader.received, 'csv', (error as Error).message);
  }
}
