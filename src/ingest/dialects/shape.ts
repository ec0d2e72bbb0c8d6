/** What a dialect makes of one record: a Graph signIn object for validateSignIn, or a reason to skip it. */
export type Mapped = { signIn: Record<string, unknown> } | { skip: SkipReason };

/** Records that are not user sign-ins: counted, never ingested (docs/import-formats.md). */
export const SKIP_REASONS = ['servicePrincipal', 'managedIdentity', 'otherLog'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type SkipCounts = Record<SkipReason, number>;

export const noSkips = (): SkipCounts => ({ servicePrincipal: 0, managedIdentity: 0, otherLog: 0 });

export function addSkips(total: SkipCounts, part: SkipCounts): void {
  for (const reason of SKIP_REASONS) total[reason] += part[reason];
}

export const skippedTotal = (counts: SkipCounts): number => SKIP_REASONS.reduce((sum, reason) => sum + counts[reason], 0);

export interface Dialect {
  label: string;
  map(record: Record<string, unknown>): Mapped;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const absent = (value: unknown) => value === undefined || value === null || value === '';

export function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (!absent(record[key])) return record[key];
  return undefined;
}

/** Log Analytics keeps dynamic columns (Status, LocationDetails, DeviceDetail) as JSON text in some exports. */
export function objectOrJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** An integer given as a number or as its text ("50126"); anything else is left for validation to name. */
export function integerOf(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return value;
}

export function numberOf(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

export function booleanOf(value: unknown): unknown {
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === '') return undefined;
  }
  return value;
}

const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(AM|PM)?$/i;

/** US-locale exports write UTC as "1/31/2026, 8:15:00.123 AM"; zone-less ISO text in these exports is UTC too (their headers say so). */
export function utcTimeOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const us = US_TIME.exec(text);
  if (us) {
    const [, month, day, year, hourText, minute, second = '00', fraction = '', half] = us;
    let hour = Number(hourText);
    if (half) hour = (hour % 12) + (half.toUpperCase() === 'PM' ? 12 : 0);
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}T${String(hour).padStart(2, '0')}:${minute}:${second}${fraction}Z`;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return `${text.replace(' ', 'T')}Z`;
  return value;
}

export function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
