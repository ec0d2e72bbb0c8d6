import { makeCityIp } from './addresses.js';
import { findCity, type City } from './cities.js';
import { haversineKm } from '../detection/geo.js';
import { DESKTOPS, MOBILES, type Device } from './devices.js';
import { makeGuid } from './ids.js';
import { FIRST_NAMES, LAST_NAMES, toMailPart } from './names.js';
import { createRandom, STREAMS, type Random } from './random.js';
import type { TenantProfile } from './tenants.js';
import type { GraphUser } from './types.js';

export interface DemoUser {
  index: number;
  tenant: number;
  graph: GraphUser;
  home: City;
  /** Relative sign-in rate; 0 for a dormant account. */
  activity: number;
  desktop: Device;
  mobile: Device | null;
  desktopIp: string;
  mobileIp: string;
  /** Some of this user's office sign-ins come through the tenant's trusted VPN. */
  usesVpn: boolean;
  /** Another office this user flies to now and then; null for those who stay home. */
  branch: City | null;
}

export function createUsers(profile: TenantProfile, seed: readonly [number, number]): DemoUser[] {
  const random = createRandom(seed[0], seed[1], profile.index, STREAMS.users);
  const offices = profile.offices.map((office) => ({ city: findCity(office.city), weight: office.weight }));
  const taken = new Set<string>();
  const users: DemoUser[] = [];
  for (let index = 0; index < profile.userCount; index++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const upn = `${claimLocalPart(`${toMailPart(first)}.${toMailPart(last)}`, taken)}@${profile.domain}`;
    const alias = `${toMailPart(first)[0]}${toMailPart(last)}`;
    const mail = random.chance(0.08) && !taken.has(alias) ? `${claimLocalPart(alias, taken)}@${profile.domain}` : upn;
    const home = random.pickWeighted(offices, (office) => office.weight).city;
    const activity = drawActivity(random);
    const branches = offices.map((office) => office.city).filter((city) => haversineKm(home, city) >= 500);
    users.push({
      index,
      tenant: profile.index,
      graph: { id: makeGuid(seed, 'user', profile.index, index), userPrincipalName: upn, displayName: `${first} ${last}`, mail },
      home,
      activity,
      desktop: random.pickWeighted(DESKTOPS, (device) => device.weight),
      mobile: random.chance(0.75) ? random.pickWeighted(MOBILES, (device) => device.weight) : null,
      desktopIp: makeCityIp(home, 'desktop', profile.index, index),
      mobileIp: makeCityIp(home, 'mobile', profile.index, index),
      usesVpn: profile.vpn !== null && random.chance(0.3),
      branch: activity >= 1 && branches.length > 0 && random.chance(0.1) ? random.pick(branches) : null,
    });
  }
  return users;
}

/** Users an incident can be pinned on without other plans getting in the way: active, and staying home. */
export function isQuietRegular(user: DemoUser): boolean {
  return user.activity >= 1 && user.branch === null;
}

function claimLocalPart(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${base}${suffix}`;
  taken.add(candidate);
  return candidate;
}

function drawActivity(random: Random): number {
  const draw = random.next();
  if (draw < 0.06) return 0;
  if (draw < 0.26) return 0.5;
  if (draw < 0.82) return 1;
  return 1.7;
}

/** A few real users' UPNs and mails (one in other letter case), plus entries that match nobody. */
export function pickLeakedEntries(users: DemoUser[], domain: string, seed: readonly [number, number], tenant: number): string[] {
  const random = createRandom(seed[0], seed[1], tenant, STREAMS.leaked);
  const pool = users.filter((user) => user.activity > 0);
  const chosen = new Set<DemoUser>();
  const take = (candidates: DemoUser[]) => {
    const free = candidates.filter((user) => !chosen.has(user));
    const user = random.pick(free);
    chosen.add(user);
    return user;
  };
  const aliased = pool.filter((user) => user.graph.mail !== user.graph.userPrincipalName);
  const entries = [take(pool).graph.userPrincipalName, take(pool).graph.userPrincipalName, capitalise(take(pool).graph.userPrincipalName)];
  if (aliased.length > 0) entries.push(take(aliased).graph.mail);
  entries.push(`svc-backup@${domain}`);
  if (tenant === 0) entries.push(`former-contractor@${domain}`);
  return entries;
}

function capitalise(upn: string): string {
  const [local, domain] = upn.split('@');
  return `${local
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.')}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`;
}
