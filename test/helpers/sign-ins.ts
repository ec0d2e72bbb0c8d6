import type { SignInRecord } from '../../src/ingest/types.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const PLACES = {
  seattle: { city: 'Seattle', state: 'Washington', countryOrRegion: 'US', latitude: 47.6062, longitude: -122.3321 },
  redmond: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US', latitude: 47.674, longitude: -122.1215 },
  portland: { city: 'Portland', state: 'Oregon', countryOrRegion: 'US', latitude: 45.5152, longitude: -122.6784 },
  london: { city: 'London', state: 'England', countryOrRegion: 'GB', latitude: 51.5074, longitude: -0.1278 },
  paris: { city: 'Paris', state: 'Ile-de-France', countryOrRegion: 'FR', latitude: 48.8566, longitude: 2.3522 },
  tokyo: { city: 'Tokyo', state: 'Tokyo', countryOrRegion: 'JP', latitude: 35.6762, longitude: 139.6503 },
} as const;

type Place = Pick<SignInRecord, 'city' | 'state' | 'countryOrRegion' | 'latitude' | 'longitude'>;

let counter = 0;

/** A successful sign-in of alice from Seattle at T0 unless told otherwise. */
export function signIn(overrides: Partial<SignInRecord> & { place?: Place; atMs?: number } = {}): SignInRecord {
  const { place = PLACES.seattle, atMs, ...rest } = overrides;
  counter++;
  return {
    id: `s${String(counter).padStart(8, '0')}`,
    createdDateTime: new Date(atMs ?? T0),
    userId: 'u-alice',
    userPrincipalName: 'alice@contoso.com',
    userDisplayName: 'Alice',
    appDisplayName: 'Office 365',
    clientAppUsed: 'Browser',
    ipAddress: '10.0.0.1',
    errorCode: 0,
    failureReason: null,
    browser: 'Edge',
    operatingSystem: 'Windows',
    ...place,
    ...rest,
  };
}

/** The same sign-in as a Graph signIn object. */
export function toGraph(record: SignInRecord): Record<string, unknown> {
  return {
    id: record.id,
    createdDateTime: record.createdDateTime.toISOString(),
    userId: record.userId,
    userPrincipalName: record.userPrincipalName,
    userDisplayName: record.userDisplayName,
    appDisplayName: record.appDisplayName,
    clientAppUsed: record.clientAppUsed,
    ipAddress: record.ipAddress,
    status: { errorCode: record.errorCode, failureReason: record.failureReason },
    location: {
      city: record.city,
      state: record.state,
      countryOrRegion: record.countryOrRegion,
      geoCoordinates: record.latitude === null ? null : { latitude: record.latitude, longitude: record.longitude, altitude: null },
    },
    deviceDetail: { browser: record.browser, operatingSystem: record.operatingSystem, deviceId: '' },
    riskLevelAggregated: 'none',
  };
}
