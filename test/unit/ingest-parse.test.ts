import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/ingest/errors.js';
import { parseCsv, parseGraphJson, parseNdjson } from '../../src/ingest/parse.js';
import { PLACES, signIn, toGraph } from '../helpers/sign-ins.js';

const records = [
  signIn({ place: PLACES.seattle }),
  signIn({ place: { city: null, state: null, countryOrRegion: null, latitude: null, longitude: null }, ipAddress: '2001:db8::1', errorCode: 50126, failureReason: 'Invalid username or password, "quoted", and a comma' }),
  signIn({ place: PLACES.london, userDisplayName: null, appDisplayName: 'Azure Portal' }),
];

const CSV_COLUMNS = ['id', 'createdDateTime', 'userId', 'userPrincipalName', 'userDisplayName', 'appDisplayName', 'clientAppUsed', 'ipAddress', 'errorCode', 'failureReason', 'city', 'state', 'countryOrRegion', 'latitude', 'longitude', 'browser', 'operatingSystem'] as const;

function toCsv(): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = value instanceof Date ? value.toISOString() : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [CSV_COLUMNS.join(','), ...records.map((record) => CSV_COLUMNS.map((column) => cell(record[column])).join(','))].join('\n');
}

function errorOf(action: () => unknown): ParseError {
  try {
    action();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

describe('sign-in parsers', () => {
  it('parse a Graph array, a Graph page, NDJSON and CSV to the same sign-ins', () => {
    const graph = records.map(toGraph);
    expect(parseGraphJson(JSON.stringify(graph))).toEqual(records);
    expect(parseGraphJson(JSON.stringify({ '@odata.context': 'x', value: graph }))).toEqual(records);
    expect(parseNdjson(`${graph.map((item) => JSON.stringify(item)).join('\n')}\n\n`)).toEqual(records);
    expect(parseCsv(toCsv())).toEqual(records);
  });

  it('accepts Graph dotted column names in CSV', () => {
    const csv = 'id,createdDateTime,userId,userPrincipalName,status.errorCode,location.city,location.countryOrRegion,location.geoCoordinates.latitude,location.geoCoordinates.longitude\n' +
      'x1,2026-01-01T00:00:00Z,u1,a@contoso.com,50126,Seattle,us,47.6,-122.3\n';
    expect(parseCsv(csv)[0]).toMatchObject({ errorCode: 50126, city: 'Seattle', countryOrRegion: 'US', latitude: 47.6, longitude: -122.3 });
  });

  it.each([
    [{ id: undefined }, 'id'],
    [{ id: 'has space' }, 'id'],
    [{ createdDateTime: 'yesterday' }, 'createdDateTime'],
    [{ createdDateTime: '2026-01-01T00:00:00' }, 'createdDateTime'],
    [{ userId: 'not/url-safe' }, 'userId'],
    [{ userPrincipalName: '' }, 'userPrincipalName'],
    [{ ipAddress: '300.1.1.1' }, 'ipAddress'],
    [{ userDisplayName: 'bad\u0000name' }, 'userDisplayName'],
    [{ status: { errorCode: 1.5 } }, 'status.errorCode'],
    [{ status: { errorCode: '50126' } }, 'status.errorCode'],
    [{ location: { countryOrRegion: 'USA' } }, 'location.countryOrRegion'],
    [{ location: { city: 'x\u0000' } }, 'location.city'],
    [{ location: { geoCoordinates: { latitude: 90.5, longitude: 0 } } }, 'location.geoCoordinates.latitude'],
    [{ location: { geoCoordinates: { latitude: 0, longitude: -181 } } }, 'location.geoCoordinates.longitude'],
  ])('rejects %j naming the record and the field %s', (override, field) => {
    const good = toGraph(signIn());
    const bad = { ...good, ...override };
    const error = errorOf(() => parseGraphJson(JSON.stringify([good, bad])));
    expect(error).toMatchObject({ index: 1, field, status: 400 });
    // The record is named by index and, when its id is readable, by id.
    const named = field === 'id' ? 'record 1: ' : `record 1 (id ${String(good.id)}): `;
    expect(error.message).toContain(`${named}${field}:`);
  });

  it('gives an attempt on an account that does not exist (no userId) a user id derived from its UPN', () => {
    const [none, zeros, other] = parseGraphJson(
      JSON.stringify([
        { ...toGraph(signIn()), userId: '', userPrincipalName: 'Ghost@contoso.com', status: { errorCode: 50034 } },
        { ...toGraph(signIn()), userId: '00000000-0000-0000-0000-000000000000', userPrincipalName: 'ghost@contoso.com' },
        { ...toGraph(signIn()), userId: null, userPrincipalName: 'phantom@contoso.com' },
      ]),
    );
    expect(none.userId).toMatch(/^upn-[0-9a-f]{32}$/);
    expect(zeros.userId).toBe(none.userId);
    expect(other.userId).not.toBe(none.userId);
  });

  it('names the line in NDJSON and CSV errors', () => {
    const good = JSON.stringify(toGraph(signIn()));
    expect(errorOf(() => parseNdjson(`${good}\n\n{"id":"a"`))).toMatchObject({ index: 1, line: 3, field: 'record' });
    const csv = 'id,createdDateTime,userId,userPrincipalName,ipAddress\na,2026-01-01T00:00:00Z,u,a@x.com,1.2.3.4\nb,2026-01-01T00:00:00Z,u,a@x.com,1.2.3\n';
    expect(errorOf(() => parseCsv(csv))).toMatchObject({ index: 1, line: 3, field: 'ipAddress' });
  });

  it('refuses a body in no known shape, listing what it saw, and one that is not JSON', () => {
    expect(() => parseGraphJson('{"items": []}')).toThrow(/^not a sign-in log Riskdesk knows: first record has fields items — supported: Graph signIn, /);
    expect(errorOf(() => parseGraphJson('[{'))).toMatchObject({ field: 'body' });
  });
});
