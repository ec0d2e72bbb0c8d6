import { makeCityIp, isVpnIp, vpnIp } from './addresses.js';
import type { City } from './cities.js';
import { browserFor, DESKTOP_APPS, MOBILE_APPS, type Device } from './devices.js';
import { MFA_REQUIRED, WRONG_PASSWORD, type Draft } from './draft.js';
import { createRandom, hashInts, STREAMS, type Random } from './random.js';
import { atLocalTime, DAY, HOUR, isLocalWeekend, MINUTE, type Timeline } from './timeline.js';
import { locateUser, placeSignIn, type Place, type Trip } from './trips.js';
import type { DemoUser } from './users.js';

// [local hour, weight]: desks fill up from 8 and empty after 17; phones are used from breakfast to bedtime.
const OFFICE_HOURS: readonly [number, number][] = [
  [7, 2], [8, 8], [9, 12], [10, 10], [11, 9], [12, 6], [13, 8], [14, 9], [15, 8], [16, 7], [17, 4], [18, 2], [19, 1],
];
const WAKING_HOURS: readonly [number, number][] = [
  [6, 1], [7, 4], [8, 5], [9, 3], [10, 2], [11, 2], [12, 4], [13, 3], [14, 2], [15, 2], [16, 2], [17, 4], [18, 5],
  [19, 4], [20, 4], [21, 4], [22, 3], [23, 1],
];

export interface TrafficInput {
  seed: readonly [number, number];
  tenant: number;
  users: DemoUser[];
  trips: Trip[][];
  timeline: Timeline;
  vpnCity: City | null;
  total: number;
}

/** Drafts one day's ordinary traffic at a time; the whole history is never held. */
export interface TrafficPlan {
  draftSlot(slot: number): Draft[];
}

/**
 * Each (user, day) gets a weight from the user's activity, the weekday and some noise; the total is
 * shared out by cumulative rounding, so the days add up to exactly `total` without a second pass.
 */
export function planTraffic(input: TrafficInput): TrafficPlan {
  const { users, timeline, total } = input;
  const before = [0];
  for (let slot = 0; slot < timeline.days; slot++) {
    before.push(before[slot] + users.reduce((sum, user) => sum + weightOf(input, user, slot), 0));
  }
  const whole = before[timeline.days];
  if (total > 0 && (whole === 0 || !Number.isSafeInteger(whole * total))) throw new RangeError(`cannot spread ${total} sign-ins`);
  const share = (cumulative: number) => (total === 0 ? 0 : floorDivide(cumulative * total, whole));
  return {
    draftSlot(slot) {
      const drafts: Draft[] = [];
      let cumulative = before[slot];
      for (const user of users) {
        const from = share(cumulative);
        cumulative += weightOf(input, user, slot);
        const count = share(cumulative) - from;
        if (count > 0) drafts.push(...draftUserDay(input, user, slot, count));
      }
      return drafts;
    },
  };
}

function weightOf(input: TrafficInput, user: DemoUser, slot: number): number {
  if (user.activity === 0) return 0;
  const middle = input.timeline.windowStart(slot) + DAY / 2;
  const weekday = isLocalWeekend(middle, user.home.utcOffsetHours) ? 0.12 : 1;
  const noise = 0.6 + (0.8 * hashInts(input.seed[0], input.seed[1], input.tenant, STREAMS.weights, user.index, slot)) / 2 ** 32;
  return Math.round(100 * user.activity * weekday * noise);
}

function draftUserDay(input: TrafficInput, user: DemoUser, slot: number, count: number): Draft[] {
  const random = createRandom(input.seed[0], input.seed[1], input.tenant, STREAMS.traffic, user.index, slot);
  const trips = input.trips[user.index];
  const start = input.timeline.windowStart(slot);
  const local = locateUser(user, trips, start + DAY / 2);
  const weekend = isLocalWeekend(start + DAY / 2, local.utcOffsetHours);
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const phone = user.mobile !== null && random.chance(weekend ? 0.7 : 0.25) ? user.mobile : null;
    const [hour] = random.pickWeighted(phone ? WAKING_HOURS : OFFICE_HOURS, ([, weight]) => weight);
    const planned = atLocalTime(start, local.utcOffsetHours, hour * HOUR + random.int(0, HOUR - 1));
    const place = placeSignIn(user, trips, planned, random);
    drafts.push(phone ? draftOnPhone(user, phone, place, random) : draftAtDesk(input, user, place, random));
  }
  drafts.sort((a, b) => a.at - b.at);
  addMistypes(drafts, random);
  return drafts;
}

function draftAtDesk(input: TrafficInput, user: DemoUser, place: Place, random: Random): Draft {
  const app = random.pickWeighted(DESKTOP_APPS, (candidate) => candidate.weight);
  const throughVpn = input.vpnCity !== null && user.usesVpn && random.chance(0.4);
  const ip = throughVpn ? vpnIp(random.int(33, 46)) : place.away ? makeCityIp(place.city, 'visitor', user.tenant, user.index) : user.desktopIp;
  return {
    at: place.at,
    user,
    city: throughVpn && input.vpnCity ? input.vpnCity : place.city,
    ip,
    appDisplayName: app.appDisplayName,
    clientAppUsed: app.clientAppUsed,
    browser: browserFor(app, user.desktop),
    operatingSystem: user.desktop.operatingSystem,
    errorCode: 0,
  };
}

function draftOnPhone(user: DemoUser, phone: Device, place: Place, random: Random): Draft {
  const app = random.pickWeighted(MOBILE_APPS, (candidate) => candidate.weight);
  return {
    at: place.at,
    user,
    city: place.city,
    ip: place.away ? makeCityIp(place.city, 'visitor', user.tenant, user.index) : user.mobileIp,
    appDisplayName: app.appDisplayName,
    clientAppUsed: app.clientAppUsed,
    browser: browserFor(app, phone),
    operatingSystem: phone.operatingSystem,
    errorCode: 0,
  };
}

/** Now and then a user mistypes the password (or is asked for MFA) seconds before the sign-in that works. */
function addMistypes(drafts: Draft[], random: Random): void {
  for (let i = 0; i + 1 < drafts.length; i++) {
    const next = drafts[i + 1];
    if (!random.chance(0.1) || isVpnIp(next.ip) || next.at - drafts[i].at <= 3 * MINUTE) continue;
    drafts[i] = { ...next, at: next.at - random.int(15, 150) * 1000, errorCode: random.chance(0.7) ? WRONG_PASSWORD : MFA_REQUIRED };
  }
}

/** floor(a / b) for non-negative safe integers, exact even where the float quotient rounds up. */
function floorDivide(a: number, b: number): number {
  let quotient = Math.floor(a / b);
  if (quotient * b > a) quotient--;
  if ((quotient + 1) * b <= a) quotient++;
  return quotient;
}
