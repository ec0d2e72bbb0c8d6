import type { GraphSignIn } from '../../src/demo/generate.js';

/**
 * The sign-in rules of docs/detection.md with their default numbers, written out again from the docs
 * on purpose: the demo's own tests check the data against the rules, not against our detector.
 */
export type SignInRiskType = 'anonymizedIPAddress' | 'malwareInfectedIPAddress' | 'suspiciousIPAddress' | 'unlikelyTravel' | 'unfamiliarFeatures';

export interface Detection {
  type: SignInRiskType;
  signIn: GraphSignIn;
}

interface Lists {
  anonymous: string[];
  malware: string[];
  trusted: string[];
}

interface Place {
  city: string;
  country: string;
  latitude: number;
  longitude: number;
}

interface Profile {
  lastClean: (Place & { at: number }) | null;
  firstCleanAt: number | null;
  cleanCount: number;
  familiar: Place[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export function detectSignInRisks(signIns: Iterable<GraphSignIn>, lists: Lists): Detection[] {
  const detections: Detection[] = [];
  const profiles = new Map<string, Profile>();
  const failures = new Map<string, { at: number; upn: string }[]>();
  for (const signIn of signIns) {
    const at = Date.parse(signIn.createdDateTime);
    const { errorCode } = signIn.status;
    if (errorCode !== 0) {
      if (errorCode === 50126 || errorCode === 50053) {
        const list = failures.get(signIn.ipAddress) ?? [];
        list.push({ at, upn: signIn.userPrincipalName.toLowerCase() });
        failures.set(signIn.ipAddress, list);
      }
      continue;
    }
    const coordinates = signIn.location.geoCoordinates;
    if (!coordinates) throw new Error('the reference detector expects coordinates on every sign-in');
    const place: Place = { city: signIn.location.city, country: signIn.location.countryOrRegion, ...coordinates };
    const profile = profiles.get(signIn.userId) ?? { lastClean: null, firstCleanAt: null, cleanCount: 0, familiar: [] };
    profiles.set(signIn.userId, profile);
    const trusted = inAny(signIn.ipAddress, lists.trusted);
    const anonymous = inAny(signIn.ipAddress, lists.anonymous);
    const malware = inAny(signIn.ipAddress, lists.malware);
    const familiar = profile.familiar.some((known) => (known.city === place.city && known.country === place.country) || distanceKm(known, place) <= 100);
    const types: SignInRiskType[] = [];
    if (anonymous) types.push('anonymizedIPAddress');
    if (malware) types.push('malwareInfectedIPAddress');
    const recent = (failures.get(signIn.ipAddress) ?? []).filter((failure) => failure.at >= at - 60 * MINUTE && failure.at < at);
    if (!trusted && new Set(recent.map((failure) => failure.upn)).size >= 5) types.push('suspiciousIPAddress');
    const last = profile.lastClean;
    if (!trusted && !familiar && last) {
      const km = distanceKm(last, place);
      const hours = (at - last.at) / 3_600_000;
      if (km >= 500 && (hours <= 0 || km / hours > 900)) types.push('unlikelyTravel');
    }
    const learned = profile.firstCleanAt !== null && at - profile.firstCleanAt >= 14 * DAY && profile.cleanCount >= 5;
    if (!trusted && !familiar && learned) types.push('unfamiliarFeatures');
    for (const type of types) detections.push({ type, signIn });
    if (types.length > 0 || trusted || anonymous || malware) continue;
    profile.lastClean = { ...place, at };
    profile.firstCleanAt ??= at;
    profile.cleanCount++;
    if (!familiar) profile.familiar.push(place);
  }
  return detections;
}

export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function inCidr(ip: string, cidr: string): boolean {
  const [network, bits = '32'] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(network) & mask) >>> 0);
}

function inAny(ip: string, cidrs: string[]): boolean {
  return cidrs.some((cidr) => inCidr(ip, cidr));
}

function toInt(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}
