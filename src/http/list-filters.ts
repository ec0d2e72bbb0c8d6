import type { Context } from 'hono';
import { isIP } from 'node:net';
import { RETENTION_DAYS } from '../actions/retention.js';
import {
  EVENT_STATUSES,
  RISK_EVENT_TYPES,
  RISK_LEVELS,
  RISK_STATES,
  type Edition,
  type EventStatus,
  type RiskEventType,
  type RiskLevel,
  type RiskState,
} from '../db/schema.js';
import type { AppEnv } from '../app-env.js';
import { URL_SAFE_ID, URL_SAFE_ID_RULE } from '../db/ids.js';
import { parseIso8601 } from '../iso8601.js';

// The list filters (docs/console.md), parsed and validated once for every list and export.
// A parameter a list does not offer is ignored; a bad value of one it offers is a FilterError.

export const RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 } as const;
export type Range = keyof typeof RANGES;
export const SORTS = ['-time', 'time', '-level', 'level'] as const;
export type Sort = (typeof SORTS)[number];
export const RESULTS = ['success', 'failure'] as const;
export type SignInResult = (typeof RESULTS)[number];

export type FilterParam =
  | 'range'
  | 'from'
  | 'to'
  | 'status'
  | 'level'
  | 'type'
  | 'user'
  | 'userId'
  | 'ip'
  | 'country'
  | 'result'
  | 'app'
  | 'state'
  | 'columns'
  | 'sort'
  | 'cursor'
  | 'limit';

export interface ListSpec {
  params: readonly FilterParam[];
  sorts: readonly Sort[];
  /** The columns `columns=` may choose from, in table order, and those shown without it. */
  columns?: { all: readonly string[]; defaults: readonly string[] };
}

export interface ListFilters {
  period: { from: Date; to: Date; range: Range | null; capped: boolean; retentionDays: number } | null;
  statuses: EventStatus[];
  level: RiskLevel | null;
  types: RiskEventType[];
  user: string | null;
  userId: string | null;
  /** An address or a CIDR block, in the form PostgreSQL's inet reads. */
  ip: string | null;
  country: string | null;
  result: SignInResult | null;
  app: string | null;
  states: RiskState[];
  columns: string[];
  sort: Sort;
  cursor: string | null;
  limit: number;
}

export class FilterError<P extends string = FilterParam> extends Error {
  readonly status = 400;

  constructor(
    readonly parameter: P,
    message: string,
  ) {
    super(message);
  }

  get title(): string {
    return `Invalid value for ${this.parameter}`;
  }
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
const DAY_MS = 86_400_000;
const CONTROL = /[\u0000-\u001f\u007f]/;

export function retentionDays(edition: Edition): number {
  return RETENTION_DAYS[edition];
}

/** Values of a parameter, empty ones dropped: a GET form sends `level=` for "any". */
function values(query: URLSearchParams, name: FilterParam): string[] {
  return query
    .getAll(name)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function single(query: URLSearchParams, name: FilterParam): string | null {
  const all = values(query, name);
  if (all.length > 1) throw new FilterError(name, `${name} takes one value, got ${all.length}`);
  return all[0] ?? null;
}

function oneOf<T extends string>(name: FilterParam, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new FilterError(name, `${name} must be one of ${allowed.join(', ')}; got "${clip(value)}"`);
  }
  return value as T;
}

function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

export const PERIOD_BOUND_HINT = 'an ISO 8601 date or time such as 2026-11-20 or 2026-11-20T08:00Z';

/** A `from`/`to` value as an instant (UTC unless it says otherwise), or null when it is not ISO 8601. */
export function parsePeriodBound(name: 'from' | 'to', value: string): Date | null {
  const parsed = parseIso8601(value);
  if (!parsed) return null;
  // A date alone as the end of a period means the whole of that day.
  return parsed.dateOnly && name === 'to' ? new Date(parsed.at.getTime() + DAY_MS - 1) : parsed.at;
}

function parseTime(name: 'from' | 'to', value: string): Date {
  const time = parsePeriodBound(name, value);
  if (!time) throw new FilterError(name, `${name} must be ${PERIOD_BOUND_HINT}; got "${clip(value)}"`);
  return time;
}

function parsePeriod(query: URLSearchParams, edition: Edition, now: Date): NonNullable<ListFilters['period']> {
  const retention = retentionDays(edition);
  const earliest = new Date(now.getTime() - retention * DAY_MS);
  const fromValue = single(query, 'from');
  const toValue = single(query, 'to');
  const rangeValue = single(query, 'range');
  const range = rangeValue === null ? null : oneOf('range', rangeValue, Object.keys(RANGES) as Range[]);

  if (fromValue !== null || toValue !== null) {
    // Explicit dates win over a range the form may still carry.
    const from = fromValue === null ? earliest : parseTime('from', fromValue);
    const to = toValue === null ? now : parseTime('to', toValue);
    if (from.getTime() > to.getTime()) throw new FilterError('from', 'from must be before to');
    return cap({ from, to, range: null }, earliest, retention);
  }
  const from = range === null ? earliest : new Date(now.getTime() - RANGES[range] * DAY_MS);
  return cap({ from, to: now, range }, earliest, retention);
}

function cap(period: { from: Date; to: Date; range: Range | null }, earliest: Date, retentionDays: number) {
  const capped = period.from.getTime() < earliest.getTime();
  const from = capped ? earliest : period.from;
  const to = period.to.getTime() < from.getTime() ? from : period.to;
  return { ...period, from, to, capped, retentionDays };
}

function parseIp(value: string): string {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
  if (family === 0 || rest.length > 0 || !prefixOk) {
    throw new FilterError('ip', `ip must be an IPv4 or IPv6 address or a CIDR block such as 203.0.113.0/24; got "${clip(value)}"`);
  }
  return value.toLowerCase();
}

function parseLimit(value: string | null): number {
  if (value === null) return DEFAULT_LIMIT;
  const limit = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new FilterError('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}; got "${clip(value)}"`);
  return limit;
}

/** Throws FilterError naming the first bad parameter. */
export function parseListFilters(query: URLSearchParams, spec: ListSpec, context: { edition: Edition; now: Date }): ListFilters {
  const has = (name: FilterParam) => spec.params.includes(name);
  const statuses = has('status') ? values(query, 'status').map((v) => oneOf('status', v, [...EVENT_STATUSES, 'all'] as const)) : [];
  const user = has('user') ? single(query, 'user') : null;
  if (user !== null && (user.length > 200 || CONTROL.test(user))) throw new FilterError('user', 'user must be at most 200 characters, without control characters');
  const userId = has('userId') ? single(query, 'userId') : null;
  if (userId !== null && !URL_SAFE_ID.test(userId)) throw new FilterError('userId', `userId ${URL_SAFE_ID_RULE}; got "${clip(userId)}"`);
  const ip = has('ip') ? single(query, 'ip') : null;
  const country = has('country') ? single(query, 'country') : null;
  if (country !== null && !/^[A-Za-z]{2}$/.test(country)) throw new FilterError('country', `country must be a two-letter ISO 3166 code such as RU; got "${clip(country)}"`);
  const level = has('level') ? single(query, 'level') : null;
  const result = has('result') ? single(query, 'result') : null;
  const app = has('app') ? single(query, 'app') : null;
  if (app !== null && (app.length > 200 || CONTROL.test(app))) throw new FilterError('app', 'app must be at most 200 characters, without control characters');
  const sort = single(query, 'sort');
  const cursor = has('cursor') ? single(query, 'cursor') : null;
  if (cursor !== null && cursor.length > 512) throw new FilterError('cursor', 'cursor is not one this list gave out');

  return {
    period: has('range') ? parsePeriod(query, context.edition, context.now) : null,
    statuses: statuses.includes('all') ? [] : [...new Set(statuses as EventStatus[])],
    level: level === null ? null : oneOf('level', level, RISK_LEVELS),
    types: has('type') ? [...new Set(values(query, 'type').map((v) => oneOf('type', v, RISK_EVENT_TYPES)))] : [],
    user,
    userId,
    ip: ip === null ? null : parseIp(ip),
    country: country === null ? null : country.toUpperCase(),
    result: result === null ? null : oneOf('result', result, RESULTS),
    app,
    columns: has('columns') ? parseColumns(query, spec) : [],
    states: has('state') ? [...new Set(values(query, 'state').map((v) => oneOf('state', v, RISK_STATES.filter((s) => s !== 'none'))))] : [],
    sort: sort === null ? spec.sorts[0] : oneOf('sort', sort, spec.sorts),
    cursor,
    limit: parseLimit(single(query, 'limit')),
  };
}

function parseColumns(query: URLSearchParams, spec: ListSpec): string[] {
  const choice = spec.columns;
  if (!choice) return [];
  const named = values(query, 'columns').flatMap((v) => v.split(',').map((part) => part.trim()).filter(Boolean));
  for (const name of named) oneOf('columns', name, choice.all);
  return named.length === 0 ? [...choice.defaults] : choice.all.filter((name) => named.includes(name));
}

export function levelsAtLeast(level: RiskLevel): RiskLevel[] {
  return RISK_LEVELS.slice(RISK_LEVELS.indexOf(level));
}

/** Which filters narrow the list (for the empty state and the "clear" link); the period is not one. */
export function activeFilterLabels(filters: ListFilters): string[] {
  const labels: string[] = [];
  if (filters.statuses.length > 0) labels.push(`status: ${filters.statuses.join(' or ')}`);
  if (filters.level) labels.push(`level: ${filters.level} or higher`);
  if (filters.types.length > 0) labels.push(`type: ${filters.types.join(' or ')}`);
  if (filters.user) labels.push(`user starts with "${filters.user}"`);
  if (filters.userId) labels.push(`user id: ${filters.userId}`);
  if (filters.ip) labels.push(`IP: ${filters.ip}`);
  if (filters.country) labels.push(`country: ${filters.country}`);
  if (filters.result) labels.push(`result: ${filters.result}`);
  if (filters.app) labels.push(`application starts with "${filters.app}"`);
  if (filters.states.length > 0) labels.push(`state: ${filters.states.join(' or ')}`);
  return labels;
}

/** Only the list's own non-empty parameters, so stray ones (a bulk outcome, say) do not travel on in links and returnTo. */
export function listQuery(query: URLSearchParams, spec: ListSpec): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of spec.params) {
    if (name === 'columns') continue;
    for (const value of values(query, name)) out.append(name, value);
  }
  const columns = columnsParam(query, spec);
  if (columns) out.set('columns', columns);
  return out;
}

/** The chosen columns as one `a,b,c` value, or null when they are the defaults (the URL stays short). */
function columnsParam(query: URLSearchParams, spec: ListSpec): string | null {
  if (!spec.columns || !spec.params.includes('columns')) return null;
  const named = values(query, 'columns').flatMap((v) => v.split(',').map((part) => part.trim()).filter(Boolean));
  const chosen = spec.columns.all.filter((name) => named.includes(name));
  if (chosen.length === 0 || chosen.join(',') === spec.columns.defaults.join(',')) return null;
  return chosen.join(',');
}

export function requestQuery(c: Context<AppEnv>): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

export function listUrl(path: string, query: URLSearchParams): string {
  // Commas need no escaping in a query string, and `columns=user,time` reads better in a bookmark.
  const search = query.toString().replace(/%2C/gi, ',');
  return search ? `${path}?${search}` : path;
}
