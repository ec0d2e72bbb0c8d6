import { describe, expect, it } from 'vitest';
import { haversineKm } from '../../src/detection/geo.js';
import { DAY, HOUR, PLACES, signIn, T0 } from '../helpers/sign-ins.js';
import { judgeAll, north, typesOf } from './detection-helpers.js';

const home = { city: 'Home', state: null, countryOrRegion: 'AA', latitude: 10, longitude: 0 };

/** `count` clean sign-ins from home, the first at T0 and the last `spanDays` later. */
function history(count: number, spanDays: number, place = home) {
  return Array.from({ length: count }, (_, i) => signIn({ atMs: T0 + (count === 1 ? 0 : (i * spanDays * DAY) / (count - 1)), place }));
}

function judgeAfter(records: ReturnType<typeof history>, next: ReturnType<typeof signIn>, scenario = {}) {
  return typesOf(judgeAll([...records, next], scenario).get(next.id));
}

const tokyo = (atMs: number, overrides = {}) => signIn({ atMs, place: PLACES.tokyo, ...overrides });

describe('unfamiliarFeatures', () => {
  it('fires past learning: first clean sign-in 14 days earlier and 5 clean sign-ins before', () => {
    const events = judgeAll([...history(5, 10), tokyo(T0 + 14 * DAY)]);
    const [event] = [...events.values()].at(-1)!;
    expect(event).toMatchObject({ riskEventType: 'unfamiliarFeatures', riskLevel: 'medium', detectionTimingType: 'realtime' });
    const evidence = Object.fromEntries(event.evidence.map((item) => [item.key, item.value]));
    expect(evidence.nearestFamiliarLocation).toBe('Home, AA');
    expect(Number(evidence.nearestFamiliarDistanceKm)).toBeGreaterThan(8000);
  });

  it('stays quiet while learning: 13 days after the first clean sign-in, or only 4 clean sign-ins', () => {
    expect(judgeAfter(history(5, 10), tokyo(T0 + 14 * DAY - 1))).toEqual([]);
    expect(judgeAfter(history(5, 10), tokyo(T0 + 13 * DAY))).toEqual([]);
    expect(judgeAfter(history(4, 10), tokyo(T0 + 20 * DAY))).toEqual([]);
    expect(judgeAfter(history(5, 10), tokyo(T0 + 20 * DAY))).toEqual(['unfamiliarFeatures']);
  });

  it('treats a place within the radius as familiar, inclusive, and one just beyond it as unfamiliar', () => {
    const near = { city: 'Near', state: null, countryOrRegion: 'AA', ...north(100) };
    const exact = haversineKm({ latitude: 10, longitude: 0 }, near);
    const next = signIn({ atMs: T0 + 20 * DAY, place: near });
    expect(judgeAfter(history(5, 10), next, { settings: { familiarRadiusKm: exact } })).toEqual([]);
    expect(judgeAfter(history(5, 10), signIn({ atMs: T0 + 20 * DAY, place: { ...near, ...north(100.5) } }))).toEqual(['unfamiliarFeatures']);
    expect(judgeAfter(history(5, 10), signIn({ atMs: T0 + 20 * DAY, place: { ...near, ...north(99.5) } }))).toEqual([]);
  });

  it('treats the same (country, city) as familiar whatever the coordinates, and matches by name only without coordinates', () => {
    expect(judgeAfter(history(5, 10), signIn({ atMs: T0 + 20 * DAY, place: { ...home, ...north(3000) } }))).toEqual([]);
    expect(judgeAfter(history(5, 10), signIn({ atMs: T0 + 20 * DAY, place: { ...home, latitude: null, longitude: null } }))).toEqual([]);
    const elsewhere = { city: 'Elsewhere', state: null, countryOrRegion: 'AA', latitude: null, longitude: null };
    expect(judgeAfter(history(5, 10), signIn({ atMs: T0 + 20 * DAY, place: elsewhere }))).toEqual(['unfamiliarFeatures']);
  });

  it('stays quiet for a trusted IP', () => {
    expect(judgeAfter(history(5, 10), tokyo(T0 + 20 * DAY, { ipAddress: '172.16.0.1' }), { trusted: ['172.16.0.1'] })).toEqual([]);
  });

  it('does not learn from a listed IP or a trusted location: the place stays unfamiliar', () => {
    const listed = tokyo(T0 + 20 * DAY, { ipAddress: '203.0.113.7' });
    const vpn = tokyo(T0 + 21 * DAY, { ipAddress: '172.16.0.1' });
    const later = tokyo(T0 + 22 * DAY);
    const events = judgeAll([...history(5, 10), listed, vpn, later], { anonymous: ['203.0.113.7'], trusted: ['172.16.0.1'] });
    expect(typesOf(events.get(listed.id))).toEqual(['anonymizedIPAddress', 'unfamiliarFeatures']);
    expect(typesOf(events.get(vpn.id))).toEqual([]);
    expect(typesOf(events.get(later.id))).toEqual(['unfamiliarFeatures']);
  });

  it('learns from a clean sign-in: the next one from there is familiar', () => {
    const learningInTokyo = [...history(5, 10), tokyo(T0 + 11 * DAY)];
    expect(judgeAfter(learningInTokyo, tokyo(T0 + 20 * DAY))).toEqual([]);
  });

  it('does not count a flagged sign-in as clean', () => {
    const flagged = tokyo(T0 + 15 * DAY);
    const events = judgeAll([...history(5, 10), flagged, tokyo(T0 + 15 * DAY + HOUR)]);
    expect(typesOf(events.get(flagged.id))).toEqual(['unfamiliarFeatures']);
    expect([...events.values()].at(-1)!.map((event) => event.riskEventType)).toEqual(['unfamiliarFeatures']);
  });
});
