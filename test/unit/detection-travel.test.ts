import { describe, expect, it } from 'vitest';
import { haversineKm } from '../../src/detection/geo.js';
import { HOUR, MINUTE, PLACES, signIn, T0 } from '../helpers/sign-ins.js';
import { judgeAll, north, typesOf } from './detection-helpers.js';

const origin = { city: 'Origin', state: null, countryOrRegion: 'AA', latitude: 10, longitude: 0 };
const away = (km: number) => ({ city: 'Away', state: null, countryOrRegion: 'BB', ...north(km) });

function travel(km: number, elapsedMs: number) {
  const first = signIn({ atMs: T0, place: origin });
  const second = signIn({ atMs: T0 + elapsedMs, place: away(km), ipAddress: '10.9.9.9' });
  return typesOf(judgeAll([first, second]).get(second.id));
}

describe('unlikelyTravel', () => {
  it('measures distance by haversine with the mean Earth radius', () => {
    expect(haversineKm({ latitude: 10, longitude: 0 }, { latitude: north(500).latitude, longitude: 0 })).toBeCloseTo(500, 6);
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 })).toBeCloseTo((6371.0088 * Math.PI) / 180, 9);
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(6371.0088 * Math.PI, 6);
  });

  it('fires at 500 km and stays quiet at 499 km, both reached in no time', () => {
    expect(travel(500.000001, 0)).toEqual(['unlikelyTravel']);
    expect(travel(499, 0)).toEqual([]);
  });

  it('fires above 900 km/h and stays quiet at exactly 900 km/h and below', () => {
    expect(travel(1800, 2 * HOUR - MINUTE)).toEqual(['unlikelyTravel']);
    expect(travel(1799.99, 2 * HOUR)).toEqual([]);
    expect(travel(1800, 3 * HOUR)).toEqual([]);
  });

  it('counts any distance in zero time', () => {
    expect(travel(600, 0)).toEqual(['unlikelyTravel']);
  });

  it('records the previous sign-in, distance, elapsed minutes and speed as evidence', () => {
    const first = signIn({ atMs: T0, place: origin });
    const second = signIn({ atMs: T0 + HOUR, place: away(1000) });
    const [event] = judgeAll([first, second]).get(second.id)!;
    const evidence = Object.fromEntries(event.evidence.map((item) => [item.key, item.value]));
    expect(event).toMatchObject({ riskLevel: 'medium', detectionTimingType: 'offline' });
    expect(evidence).toMatchObject({ previousSignInId: first.id, previousLocation: 'Origin, AA', distanceKm: '1000', elapsedMinutes: '60', speedKmh: '1000' });
  });

  it('stays quiet when the destination is familiar or the IP is trusted', () => {
    const home = signIn({ atMs: T0 - 10 * HOUR, place: away(1000) });
    const first = signIn({ atMs: T0, place: origin });
    const back = signIn({ atMs: T0 + HOUR, place: away(1000) });
    expect(typesOf(judgeAll([home, first, back]).get(back.id))).toEqual([]);

    const start = signIn({ atMs: T0, place: origin });
    const vpn = signIn({ atMs: T0 + HOUR, place: away(1000), ipAddress: '192.168.7.7' });
    expect(typesOf(judgeAll([start, vpn], { trusted: ['192.168.7.7'] }).get(vpn.id))).toEqual([]);
  });

  it('compares with the last clean sign-in: a flagged sign-in does not become the previous one', () => {
    const seattle = signIn({ atMs: T0, place: PLACES.seattle });
    const flagged = signIn({ atMs: T0 + HOUR, place: PLACES.london, ipAddress: '203.0.113.9' });
    const london = signIn({ atMs: T0 + 2 * HOUR, place: PLACES.london });
    const events = judgeAll([seattle, flagged, london], { anonymous: ['203.0.113.9'] });
    expect(typesOf(events.get(flagged.id))).toEqual(['anonymizedIPAddress', 'unlikelyTravel']);
    expect(typesOf(events.get(london.id))).toEqual(['unlikelyTravel']);
  });

  it('ignores failed sign-ins as previous sign-ins and does not judge them', () => {
    const seattle = signIn({ atMs: T0, place: PLACES.seattle });
    const failed = signIn({ atMs: T0 + HOUR, place: PLACES.london, errorCode: 50126 });
    const paris = signIn({ atMs: T0 + 2 * HOUR, place: PLACES.paris });
    const events = judgeAll([seattle, failed, paris]);
    expect(typesOf(events.get(failed.id))).toEqual([]);
    expect(typesOf(events.get(paris.id))).toEqual(['unlikelyTravel']);
  });

  it('does not judge a sign-in without coordinates, and measures from the last clean sign-in that has them', () => {
    const seattle = signIn({ atMs: T0, place: PLACES.seattle });
    const noCoordinates = signIn({ atMs: T0 + HOUR, place: { ...PLACES.london, latitude: null, longitude: null } });
    const paris = signIn({ atMs: T0 + 2 * HOUR, place: PLACES.paris });
    const events = judgeAll([seattle, noCoordinates, paris]);
    expect(typesOf(events.get(noCoordinates.id))).toEqual([]);
    const [travel] = events.get(paris.id)!;
    expect(travel.riskEventType).toBe('unlikelyTravel');
    expect(travel.evidence).toContainEqual({ key: 'previousSignInId', value: seattle.id });
  });
});
