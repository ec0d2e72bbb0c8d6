import { makeCityIp } from './addresses.js';
import type { City } from './cities.js';
import { haversineKm } from '../detection/geo.js';
import { browserFor, MOBILE_APPS, type App } from './devices.js';
import type { Draft } from './draft.js';
import { createRandom, STREAMS, type Random } from './random.js';
import { atLocalTime, DAY, HOUR, MINUTE, type Timeline } from './timeline.js';
import type { DemoUser } from './users.js';

/** A business trip: at home until `depart`, in the air until `arrive`, away until `backDepart`, home from `backArrive`. */
export interface Trip {
  city: City;
  depart: number;
  arrive: number;
  backDepart: number;
  backArrive: number;
}

export interface Place {
  at: number;
  city: City;
  away: boolean;
}

const CRUISE_KMH = 800;

/**
 * Travellers fly to their branch office early on, while the detector is still learning them (so
 * that office becomes familiar), and again later. A flight takes distance / 800 km/h plus 90
 * minutes, so no trip ever looks faster than 900 km/h.
 */
export function planTrips(user: DemoUser, timeline: Timeline, seed: readonly [number, number]): Trip[] {
  const branch = user.branch;
  if (!branch) return [];
  const random = createRandom(seed[0], seed[1], user.tenant, STREAMS.trips, user.index);
  const last = timeline.days - 5;
  const starts = [random.int(2, 6), ...(random.chance(0.6) ? [random.int(18, 26)] : []), random.int(last - 22, last - 3)];
  return starts.map((slot) => planTrip(user.home, branch, timeline, slot, random.int(2, 4), random));
}

function planTrip(home: City, city: City, timeline: Timeline, slot: number, nights: number, random: Random): Trip {
  const flight = Math.round((haversineKm(home, city) / CRUISE_KMH) * HOUR + 90 * MINUTE);
  const depart = atLocalTime(timeline.windowStart(slot), home.utcOffsetHours, random.int(11 * 60, 15 * 60) * MINUTE);
  const arrive = depart + flight;
  let backDepart = atLocalTime(timeline.windowStart(slot + nights), city.utcOffsetHours, random.int(12 * 60, 17 * 60) * MINUTE);
  if (backDepart < arrive + 12 * HOUR) backDepart += DAY;
  return { city, depart, arrive, backDepart, backArrive: backDepart + flight };
}

/** The city the user is in at `at`, counting the destination from take-off. */
export function locateUser(user: DemoUser, trips: Trip[], at: number): City {
  const trip = trips.find((candidate) => at >= candidate.depart && at < candidate.backDepart);
  return trip ? trip.city : user.home;
}

/** Where a sign-in planned for `at` happens; one planned in the air moves to just before take-off or just after landing. */
export function placeSignIn(user: DemoUser, trips: Trip[], at: number, random: Random): Place {
  for (const trip of trips) {
    if (at < trip.depart) break;
    if (at >= trip.backArrive) continue;
    const slack = random.int(5, 60) * MINUTE;
    if (at < trip.arrive) {
      return at - trip.depart < (trip.arrive - trip.depart) / 2
        ? { at: trip.depart - slack, city: user.home, away: false }
        : { at: trip.arrive + slack, city: trip.city, away: true };
    }
    if (at < trip.backDepart) return { at, city: trip.city, away: true };
    return at - trip.backDepart < (trip.backArrive - trip.backDepart) / 2
      ? { at: trip.backDepart - slack, city: trip.city, away: true }
      : { at: trip.backArrive + slack, city: user.home, away: false };
  }
  return { at, city: user.home, away: false };
}

/** One sign-in on landing (mail on the phone), so each visit leaves a trace even for the quietest traveller. */
export function draftArrivals(user: DemoUser, trips: Trip[], seed: readonly [number, number]): Draft[] {
  const random = createRandom(seed[0], seed[1], user.tenant, STREAMS.trips, user.index, 1);
  const app: App = MOBILE_APPS[0];
  const device = user.mobile ?? user.desktop;
  return trips.map((trip) => ({
    at: trip.arrive + random.int(20, 90) * MINUTE,
    user,
    city: trip.city,
    ip: makeCityIp(trip.city, 'visitor', user.tenant, user.index),
    appDisplayName: app.appDisplayName,
    clientAppUsed: app.clientAppUsed,
    browser: browserFor(app, device),
    operatingSystem: device.operatingSystem,
    errorCode: 0,
  }));
}
