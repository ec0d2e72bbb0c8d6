import { ActionError } from '../actions/errors.js';
import { RISK_EVENT_TYPES, RISK_STATES, type RiskEventType, type RiskState } from '../db/schema.js';
import { parseInstant } from '../iso8601.js';

// The query parameters of the API's Graph-shaped lists (docs/api.md), validated once for both.

export const DEFAULT_TOP = 100;
export const MAX_TOP = 1000;

export interface ApiListParams {
  since: Date | null;
  until: Date | null;
  riskEventType: RiskEventType | null;
  riskState: RiskState | null;
  userPrincipalName: string | null;
  top: number;
  skipToken: string | null;
}

function bad(message: string): never {
  throw new ActionError(400, message);
}

function time(name: string, value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  const parsed = parseInstant(value);
  if (!parsed) bad(`${name} must be an ISO 8601 time such as 2026-01-31T00:00:00Z, got "${value}"`);
  return parsed;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | null {
  if (value === undefined || value === '') return null;
  if (!(allowed as readonly string[]).includes(value)) bad(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function top(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TOP;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_TOP) bad(`$top must be a whole number from 1 to ${MAX_TOP}, got "${value}"`);
  return Number(value);
}

export function parseApiListParams(query: Record<string, string | undefined>): ApiListParams {
  const upn = query.userPrincipalName?.trim();
  if (upn !== undefined && (upn.length > 320 || upn.includes('\u0000'))) bad('userPrincipalName must be at most 320 characters');
  const params: ApiListParams = {
    since: time('since', query.since),
    until: time('until', query.until),
    riskEventType: oneOf('riskEventType', query.riskEventType, RISK_EVENT_TYPES),
    riskState: oneOf('riskState', query.riskState, RISK_STATES),
    userPrincipalName: upn ? upn : null,
    top: top(query.$top),
    skipToken: query.$skiptoken || null,
  };
  if (params.since && params.until && params.since > params.until) bad('since must not be after until');
  return params;
}
