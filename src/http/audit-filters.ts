import { FilterError, parsePeriodBound, PERIOD_BOUND_HINT, RANGES, type Range } from './list-filters.js';

// The audit log's query string: actor, action, target and period, cursor and limit.

// PostgreSQL text cannot hold NUL (a query with one fails), and no label or id has control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;

export const AUDIT_PARAMS = ['actor', 'action', 'target', 'range', 'from', 'to', 'cursor', 'limit'] as const;
export type AuditParam = (typeof AUDIT_PARAMS)[number];

export interface AuditFilters {
  /** Prefix of the actor's label (an admin's email, an API key's name, "system"), case-insensitive. */
  actor: string | null;
  action: string | null;
  target: string | null;
  range: Range | null;
  from: Date | null;
  to: Date | null;
  cursor: string | null;
  limit: number;
}

function single(query: URLSearchParams, name: AuditParam): string | null {
  const values = query.getAll(name).map((v) => v.trim()).filter((v) => v !== '');
  if (values.length > 1) throw new FilterError(name, `${name} takes one value, got ${values.length}`);
  return values[0] ?? null;
}

function parseTime(name: 'from' | 'to', value: string | null): Date | null {
  if (value === null) return null;
  const time = parsePeriodBound(name, value);
  if (!time) throw new FilterError(name, `${name} must be ${PERIOD_BOUND_HINT}`);
  return time;
}

export function parseAuditFilters(query: URLSearchParams): AuditFilters {
  const actor = single(query, 'actor');
  if (actor !== null && (actor.length > 200 || CONTROL.test(actor))) throw new FilterError('actor', 'actor must be at most 200 characters, without control characters');
  const action = single(query, 'action');
  if (action !== null && !/^[A-Za-z0-9_.-]{1,100}$/.test(action)) throw new FilterError('action', 'action must be an action name such as riskEvent.falsePositive, or its first part such as riskEvent');
  const target = single(query, 'target');
  if (target !== null && (target.length > 200 || CONTROL.test(target))) throw new FilterError('target', 'target must be at most 200 characters, without control characters');
  const range = single(query, 'range');
  if (range !== null && !(range in RANGES)) throw new FilterError('range', `range must be one of ${Object.keys(RANGES).join(', ')}`);
  const from = parseTime('from', single(query, 'from'));
  const to = parseTime('to', single(query, 'to'));
  if (from && to && from > to) throw new FilterError('from', 'from must be before to');
  const cursor = single(query, 'cursor');
  if (cursor !== null && cursor.length > 512) throw new FilterError('cursor', 'cursor is not one this list gave out');
  const limitText = single(query, 'limit');
  const limit = limitText === null ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : 0;
  if (limit < 1 || limit > 200) throw new FilterError('limit', 'limit must be a whole number from 1 to 200');
  return { actor, action, target, range: range as Range | null, from, to, cursor, limit };
}
