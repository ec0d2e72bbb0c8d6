import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { ParseError } from './errors.js';
import type { SignInRecord } from './types.js';
import { URL_SAFE_ID, URL_SAFE_ID_RULE } from '../db/ids.js';
import { parseIso8601 } from '../iso8601.js';

const COUNTRY = /^[A-Za-z]{2}$/;
/** Longest stored text, in characters (code points); longer text is cut to it, ending in "…". */
export const MAX_TEXT = 1024;
const ELLIPSIS = '…';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type Where = { index: number; line?: number };

/** Validates one Graph signIn object (unknown fields ignored) into a SignInRecord, or throws a ParseError naming the field. */
export function validateSignIn(raw: unknown, where: Where): SignInRecord {
  const fail = (field: string, problem: string): never => {
    throw new ParseError(where.index, field, problem, where.line);
  };
  if (!isObject(raw)) return fail('record', 'not a JSON object');
  const status = objectAt(raw, 'status', fail);
  const location = objectAt(raw, 'location', fail);
  const coordinates = location ? objectAt(location, 'geoCoordinates', fail, 'location.') : null;
  const device = objectAt(raw, 'deviceDetail', fail);
  const truncated: string[] = [];
  // Whoever signs in controls these fields, so over-long text is cut and marked rather than refusing the batch.
  const text = (source: Record<string, unknown> | null, key: string, field = key) => {
    const value = optionalText(source?.[key], field, fail);
    if (value === null) return value;
    const cut = cutText(value);
    if (cut === value) return value;
    truncated.push(field);
    return cut;
  };

  const latitude = coordinate(coordinates?.latitude, 'location.geoCoordinates.latitude', 90, fail);
  const longitude = coordinate(coordinates?.longitude, 'location.geoCoordinates.longitude', 180, fail);
  if ((latitude === null) !== (longitude === null)) {
    fail(latitude === null ? 'location.geoCoordinates.latitude' : 'location.geoCoordinates.longitude', 'latitude and longitude go together');
  }
  const country = text(location, 'countryOrRegion', 'location.countryOrRegion');
  if (country !== null && !COUNTRY.test(country)) fail('location.countryOrRegion', `must be an ISO 3166 alpha-2 code, got ${quoted(country)}`);

  const userPrincipalName = text(raw, 'userPrincipalName') ?? fail('userPrincipalName', 'is required');
  const record: SignInRecord = {
    id: requiredId(raw.id, 'id', fail),
    createdDateTime: time(raw.createdDateTime, fail),
    userId: userIdOf(raw.userId, userPrincipalName, fail),
    userPrincipalName,
    userDisplayName: text(raw, 'userDisplayName'),
    appDisplayName: text(raw, 'appDisplayName'),
    clientAppUsed: text(raw, 'clientAppUsed'),
    ipAddress: ipAddress(raw.ipAddress, fail),
    errorCode: errorCode(status?.errorCode, fail),
    failureReason: text(status, 'failureReason', 'status.failureReason'),
    city: text(location, 'city', 'location.city'),
    state: text(location, 'state', 'location.state'),
    countryOrRegion: country === null ? null : country.toUpperCase(),
    latitude,
    longitude,
    browser: text(device, 'browser', 'deviceDetail.browser'),
    operatingSystem: text(device, 'operatingSystem', 'deviceDetail.operatingSystem'),
    ...entraDetails(raw, text, fail),
  };
  if (truncated.length > 0) record.truncated = truncated;
  return record;
}

/**
 * At most this many bytes of UTF-8 are kept too: PostgreSQL's B-tree indexes (the prefix searches
 * on lower(name) and lower(UPN)) refuse an entry over 2,704 bytes, so 1,024 characters of CJK
 * (3,072 bytes) or emoji would fail the whole import. 1,536 leaves room for lower() to lengthen text.
 */
export const MAX_TEXT_BYTES = 1536;
const ELLIPSIS_BYTES = 3;

/**
 * Cuts text to MAX_TEXT code points and MAX_TEXT_BYTES bytes of UTF-8, the last character being
 * "…", so a surrogate pair is never split; text within both limits is left whole.
 */
export function cutText(value: string): string {
  if (value.length <= MAX_TEXT && Buffer.byteLength(value) <= MAX_TEXT_BYTES) return value;
  let count = 0;
  let bytes = 0;
  let kept = 0;
  let fits = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char);
    count += 1;
    bytes += size;
    if (count > MAX_TEXT || bytes > MAX_TEXT_BYTES) return value.slice(0, fits) + ELLIPSIS;
    kept += char.length;
    // The longest prefix that still leaves room for the ellipsis, in characters and in bytes.
    if (count < MAX_TEXT && bytes <= MAX_TEXT_BYTES - ELLIPSIS_BYTES) fits = kept;
  }
  return value;
}

/** Absent members stay off the record, so a record without them equals one built before they existed. */
function entraDetails(raw: Record<string, unknown>, text: (source: Record<string, unknown>, key: string) => string | null, fail: Fail): Partial<SignInRecord> {
  const details: Partial<SignInRecord> = {};
  for (const key of ['userAgent', 'correlationId', 'appId', 'conditionalAccessStatus', 'authenticationRequirement', 'riskLevelDuringSignIn', 'riskState'] as const) {
    const value = text(raw, key);
    if (value !== null) details[key] = value;
  }
  if (raw.isInteractive !== undefined && raw.isInteractive !== null) {
    if (typeof raw.isInteractive !== 'boolean') fail('isInteractive', 'must be true or false');
    details.isInteractive = raw.isInteractive as boolean;
  }
  const micros = microsecondsOf(raw.createdDateTime);
  if (micros > 0) details.microseconds = micros;
  return details;
}

/** Entra writes 7 fractional digits; a Date keeps 3, PostgreSQL 6: the 4th to 6th travel beside the Date. */
function microsecondsOf(value: unknown): number {
  const fraction = typeof value === 'string' ? /:\d{2}\.(\d+)/.exec(value)?.[1] : undefined;
  return fraction && fraction.length > 3 ? Number(fraction.slice(3, 6).padEnd(3, '0')) : 0;
}

type Fail = (field: string, problem: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(source: Record<string, unknown>, key: string, fail: Fail, prefix = ''): Record<string, unknown> | null {
  const value = source[key];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) return fail(`${prefix}${key}`, 'must be an object');
  return value;
}

function optionalText(value: unknown, field: string, fail: Fail): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return fail(field, 'must be a string');
  if (value.includes('\u0000')) return fail(field, 'contains a NUL character');
  if (value === '') return null;
  // A lone surrogate has no UTF-8 form, so PostgreSQL could not store it: it becomes U+FFFD, as decoders do.
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

function requiredId(value: unknown, field: string, fail: Fail): string {
  const id = optionalText(value, field, fail);
  if (id === null) return fail(field, 'is required');
  if (!URL_SAFE_ID.test(id)) return fail(field, URL_SAFE_ID_RULE);
  return id;
}

const NO_USER = /^(0{8}-0{4}-0{4}-0{4}-0{12})?$/;

/** Graph leaves userId empty (or zeros) for accounts that do not exist, as in spraying: the id is derived from the UPN, the same for every attempt. */
function userIdOf(value: unknown, userPrincipalName: string, fail: Fail): string {
  if (value === undefined || value === null || (typeof value === 'string' && NO_USER.test(value))) {
    return `upn-${createHash('sha256').update(userPrincipalName.toLowerCase()).digest('hex').slice(0, 32)}`;
  }
  return requiredId(value, 'userId', fail);
}

function time(value: unknown, fail: Fail): Date {
  const text = optionalText(value, 'createdDateTime', fail);
  if (text === null) return fail('createdDateTime', 'is required');
  const parsed = parseIso8601(text);
  if (!parsed?.zoned) return fail('createdDateTime', `not an ISO 8601 time with a zone: ${quoted(text)}`);
  return parsed.at;
}

function ipAddress(value: unknown, fail: Fail): string | null {
  const text = optionalText(value, 'ipAddress', fail);
  if (text === null) return null;
  const version = isIP(text);
  if (version === 0) return fail('ipAddress', `not an IP address: ${quoted(text)}`);
  // One spelling per IPv6 address, so the same address always matches itself.
  return version === 6 ? new URL(`http://[${text}]/`).hostname.slice(1, -1) : text;
}

function errorCode(value: unknown, fail: Fail): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail('status.errorCode', 'must be an integer');
  return value;
}

function coordinate(value: unknown, field: string, limit: number, fail: Fail): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(field, 'must be a number');
  if (value < -limit || value > limit) return fail(field, `must be between -${limit} and ${limit}, got ${value}`);
  return value;
}

/** The offending value in an error message, short enough that a 1 MB field cannot make a 1 MB answer. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
