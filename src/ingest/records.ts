import { dialectOfCsvHeader, dialectOfRecord, fieldList } from './dialects/index.js';
import { isObject, noSkips, type Dialect, type SkipCounts } from './dialects/shape.js';
import { ParseError, UnknownShapeError } from './errors.js';
import type { SignInRecord } from './types.js';
import { validateSignIn } from './validate.js';

/** Maps each record to a Graph signIn by its dialect, then validates it; `received` counts every record, `skipped` the non-user ones. */
export class SignInReader {
  readonly skipped: SkipCounts = noSkips();
  received = 0;
  private csvDialect: Dialect | null = null;

  /** One JSON value: a record, or (a JSON line may be one) a Graph page or Event Hub message holding records. */
  json(value: unknown, line?: number): SignInRecord[] {
    const inner = recordsIn(value);
    if (inner) return inner.flatMap((record) => this.json(record, line));
    const index = this.received++;
    if (!isObject(value)) throw new ParseError(index, 'record', 'not a JSON object', line);
    const dialect = dialectOfRecord(value);
    if (!dialect) {
      const fields = fieldList(Object.keys(value));
      if (index === 0) throw new UnknownShapeError(`first record has fields ${fields}`);
      throw new ParseError(index, 'record', `not a sign-in Riskdesk knows; it has fields ${fields}`, line, idOf(value));
    }
    return this.mapped(dialect, value, index, line);
  }

  csvHeader(columns: string[]): void {
    this.csvDialect = dialectOfCsvHeader(columns);
    if (!this.csvDialect) throw new UnknownShapeError(`a CSV file with columns ${fieldList(columns)}`);
  }

  csvRow(row: Record<string, string>, line?: number): SignInRecord[] {
    if (!this.csvDialect) throw new Error('csvHeader must come first');
    return this.mapped(this.csvDialect, row, this.received++, line);
  }

  private mapped(dialect: Dialect, record: Record<string, unknown>, index: number, line?: number): SignInRecord[] {
    const mapped = dialect.map(record);
    if ('skip' in mapped) {
      this.skipped[mapped.skip]++;
      return [];
    }
    try {
      return [validateSignIn(mapped.signIn, { index, line })];
    } catch (error) {
      const id = idOf(mapped.signIn);
      if (error instanceof ParseError && id !== undefined && error.field !== 'id') throw new ParseError(error.index, error.field, error.problem, error.line, id);
      throw error;
    }
  }
}

/** The records of an array, a Graph page {"value"} or an Event Hub message {"records"}; null for anything else. */
export function recordsIn(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return null;
  if (Array.isArray(value.value)) return value.value;
  if (Array.isArray(value.records)) return value.records;
  return null;
}

/** A record's id as its source names it, when it is short plain text worth quoting. */
function idOf(record: Record<string, unknown>): string | undefined {
  const id = record.id ?? record.Id ?? record['Request ID'] ?? (isObject(record.properties) ? record.properties.id : undefined);
  return typeof id === 'string' && id !== '' && id.length <= 128 && /^[\x21-\x7e]+$/.test(id) ? id : undefined;
}
