import { anonymousIp, makeCityIp, malwareIp, sprayIp } from './addresses.js';
import { findCitiesNear, findCity, type City } from './cities.js';
import { haversineKm } from '../detection/geo.js';
import { browserFor, DESKTOP_APPS } from './devices.js';
import { WRONG_PASSWORD, type Draft } from './draft.js';
import { createRandom, STREAMS, type Random } from './random.js';
import type { Scenario, TenantProfile } from './tenants.js';
import { atLocalTime, DAY, HOUR, MINUTE, type Timeline } from './timeline.js';
import { isQuietRegular, type DemoUser } from './users.js';

type Look = Pick<Draft, 'appDisplayName' | 'clientAppUsed' | 'browser' | 'operatingSystem'>;

const ATTACKER: Look = { appDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'Browser', browser: 'Chrome 126.0.0', operatingSystem: 'Windows 10' };
const SPRAYER: Look = { appDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'Other clients', browser: 'Python Requests 2.32', operatingSystem: 'Linux' };
const TOR_BROWSER: Look = { appDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'Browser', browser: 'Firefox 128.0', operatingSystem: 'Windows 10' };

interface Context {
  users: DemoUser[];
  random: Random;
  takeVictim(fits: (user: DemoUser) => boolean): DemoUser;
}

/**
 * The tenant's incidents, one per rule of docs/detection.md, each pinned on its own active user who stays
 * home, so that nothing else in the data can tip a rule one way or the other.
 */
export function draftScenarios(profile: TenantProfile, users: DemoUser[], timeline: Timeline, seed: readonly [number, number]): Draft[] {
  const random = createRandom(seed[0], seed[1], profile.index, STREAMS.scenarios);
  const used = new Set<DemoUser>();
  const context: Context = {
    users,
    random,
    takeVictim(fits) {
      const pool = users.filter((user) => isQuietRegular(user) && !used.has(user) && fits(user));
      if (pool.length === 0) throw new Error(`no demo user fits a ${profile.domain} scenario`);
      const victim = random.pick(pool);
      used.add(victim);
      return victim;
    },
  };
  const drafts = profile.scenarios.flatMap((scenario, index) =>
    draftScenario(scenario, index, timeline.end - Math.round(scenario.daysAgo * DAY), context),
  );
  if (drafts.some((draft) => draft.at >= timeline.end)) throw new Error(`a ${profile.domain} scenario ends after the data does`);
  return drafts;
}

function draftScenario(scenario: Scenario, index: number, at: number, context: Context): Draft[] {
  switch (scenario.kind) {
    case 'spray':
      return draftSpray(scenario.host, findCity(scenario.city), scenario.targets, at, context);
    case 'anonymous':
      return draftAnonymous(scenario.host, findCity(scenario.city), at, context);
    case 'malware':
      return draftInfectedDevice(scenario.host, at, context);
    case 'travel':
      return draftImpossibleTravel(findCity(scenario.city), index, at, context);
    case 'nearby':
      return draftUnfamiliarCity(at, context);
  }
}

/** Wrong passwords for several users from one IP within the hour, then one that works: suspiciousIPAddress. */
function draftSpray(host: number, city: City, targets: number, at: number, { users, random, takeVictim }: Context): Draft[] {
  const ip = sprayIp(host);
  const victim = takeVictim(() => true);
  const others = users.filter((user) => user.activity > 0 && user !== victim);
  const sprayed = [victim];
  while (sprayed.length < targets) {
    const user = random.pick(others);
    if (!sprayed.includes(user)) sprayed.push(user);
  }
  sprayed.sort((a, b) => a.index - b.index);
  const step = (40 * MINUTE) / targets;
  const failures = sprayed.map((user, i) => ({
    ...SPRAYER,
    at: at - 50 * MINUTE + Math.round(i * step) + random.int(0, 59_999),
    user,
    city,
    ip,
    errorCode: WRONG_PASSWORD,
  }));
  return [...failures, { ...ATTACKER, at, user: victim, city, ip, errorCode: 0 }];
}

/** A sign-in through a Tor exit after one wrong guess: anonymizedIPAddress. */
function draftAnonymous(host: number, city: City, at: number, { takeVictim }: Context): Draft[] {
  const victim = takeVictim(() => true);
  const ip = anonymousIp(host);
  return [
    { ...TOR_BROWSER, at: at - 4 * MINUTE, user: victim, city, ip, errorCode: WRONG_PASSWORD },
    { ...TOR_BROWSER, at, user: victim, city, ip, errorCode: 0 },
  ];
}

/** A user's own machine, at home and in office hours, talking through a botnet's address: malwareInfectedIPAddress. */
function draftInfectedDevice(host: number, at: number, { random, takeVictim }: Context): Draft[] {
  const victim = takeVictim(() => true);
  const first = atLocalTime(at - 12 * HOUR, victim.home.utcOffsetHours, random.int(9 * 60, 11 * 60) * MINUTE);
  return [0, 130, 325].map((minutes) => ({ ...deskLook(victim, random), at: first + minutes * MINUTE, user: victim, city: victim.home, ip: malwareIp(host), errorCode: 0 }));
}

/**
 * A clean sign-in at home, then one at least 1,500 km away within 25-70 minutes (over 1,285 km/h)
 * from a place the user never went: unlikelyTravel.
 */
function draftImpossibleTravel(city: City, index: number, at: number, { random, takeVictim }: Context): Draft[] {
  const victim = takeVictim((user) => haversineKm(user.home, city) >= 1500);
  return [
    { ...deskLook(victim, random), at: at - random.int(25, 70) * MINUTE, user: victim, city: victim.home, ip: victim.desktopIp, errorCode: 0 },
    { ...ATTACKER, at, user: victim, city, ip: makeCityIp(city, 'outsider', victim.tenant, index), errorCode: 0 },
  ];
}

/**
 * A user past learning (five clean sign-ins at home 14-18 days before, whatever else the traffic
 * brings) works a day from a city 150-450 km away: unfamiliarFeatures, too close for unlikelyTravel.
 */
function draftUnfamiliarCity(at: number, { random, takeVictim }: Context): Draft[] {
  const victim = takeVictim((user) => findCitiesNear(user.home, 150, 450).length > 0);
  const city = random.pick(findCitiesNear(victim.home, 150, 450));
  const home = victim.home;
  const learning = [14, 15, 16, 17, 18].map((days) => ({
    ...deskLook(victim, random),
    at: atLocalTime(at - days * DAY, home.utcOffsetHours, random.int(9 * 60, 17 * 60) * MINUTE),
    user: victim,
    city: home,
    ip: victim.desktopIp,
    errorCode: 0,
  }));
  const away = {
    ...deskLook(victim, random),
    at: atLocalTime(at - 12 * HOUR, city.utcOffsetHours, random.int(9 * 60, 16 * 60) * MINUTE),
    user: victim,
    city,
    ip: makeCityIp(city, 'visitor', victim.tenant, victim.index),
    errorCode: 0,
  };
  return [...learning, away];
}

function deskLook(user: DemoUser, random: Random): Look {
  const app = random.pickWeighted(DESKTOP_APPS, (candidate) => candidate.weight);
  return { appDisplayName: app.appDisplayName, clientAppUsed: app.clientAppUsed, browser: browserFor(app, user.desktop), operatingSystem: user.desktop.operatingSystem };
}
