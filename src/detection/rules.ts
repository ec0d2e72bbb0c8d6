import { eventOf } from './catalog.js';
import { describePlace, hasCoordinates, hasLocation, haversineKm, type Familiarity } from './geo.js';
import type { CredentialFailure, DetectedEvent, DetectionSettings, DetectionSignIn, ListMatch, UserProfile } from './types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

const iso = (at: number) => new Date(at).toISOString();
const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** anonymizedIPAddress and malwareInfectedIPAddress: the IP is on a list of that kind (the first match is the evidence). */
export function judgeListedIp(matches: ListMatch[]): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const kind of ['anonymous', 'malware'] as const) {
    const match = matches.find((candidate) => candidate.kind === kind);
    if (!match) continue;
    events.push(
      eventOf(kind === 'anonymous' ? 'anonymizedIPAddress' : 'malwareInfectedIPAddress', [
        { key: 'list', value: `${match.kind}: ${match.list}` },
        { key: 'matchedEntry', value: match.entry },
      ]),
    );
  }
  return events;
}

/**
 * suspiciousIPAddress: in the window before the sign-in (inclusive at its start), credential
 * failures from the same IP for at least the minimum of distinct UPNs. `failures` is sorted by
 * (time, id); only those ingested before the sign-in in (time, id) order count.
 */
export function judgeSuspiciousIp(signIn: DetectionSignIn, failures: CredentialFailure[], settings: DetectionSettings): DetectedEvent | null {
  const from = signIn.at - settings.sprayWindowMinutes * MINUTE;
  const upns = new Set<string>();
  let count = 0;
  let first = Infinity;
  for (let i = lowerBound(failures, from); i < failures.length; i++) {
    const failure = failures[i];
    if (failure.at > signIn.at || (failure.at === signIn.at && failure.id >= signIn.id)) break;
    upns.add(failure.upn);
    count++;
    first = Math.min(first, failure.at);
  }
  if (upns.size < settings.sprayMinDistinctUpns) return null;
  return eventOf('suspiciousIPAddress', [
    { key: 'failureCount', value: String(count) },
    { key: 'distinctUserPrincipalNames', value: String(upns.size) },
    { key: 'windowMinutes', value: String(settings.sprayWindowMinutes) },
    { key: 'firstFailureDateTime', value: iso(first) },
  ]);
}

function lowerBound(failures: CredentialFailure[], from: number): number {
  let low = 0;
  let high = failures.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (failures[middle].at < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * unlikelyTravel: the last clean sign-in with coordinates lies at least the minimum distance away,
 * and getting here in the time between needs more than the maximum speed (zero time counts).
 */
export function judgeUnlikelyTravel(
  signIn: DetectionSignIn,
  profile: UserProfile,
  familiarity: Familiarity,
  settings: DetectionSettings,
): DetectedEvent | null {
  const previous = profile.lastClean;
  if (!previous || !hasCoordinates(previous) || !hasCoordinates(signIn) || familiarity.familiar) return null;
  const distanceKm = haversineKm(previous, signIn);
  if (distanceKm < settings.travelMinDistanceKm) return null;
  const elapsedMs = Math.max(0, signIn.at - previous.at);
  const speedKmh = elapsedMs === 0 ? Infinity : distanceKm / (elapsedMs / 3_600_000);
  if (!(speedKmh > settings.travelMaxSpeedKmh)) return null;
  return eventOf('unlikelyTravel', [
    { key: 'previousSignInId', value: previous.id },
    { key: 'previousSignInDateTime', value: iso(previous.at) },
    { key: 'previousLocation', value: describePlace(previous) },
    { key: 'previousLatitude', value: String(previous.latitude) },
    { key: 'previousLongitude', value: String(previous.longitude) },
    { key: 'distanceKm', value: String(round(distanceKm, 1)) },
    { key: 'elapsedMinutes', value: String(round(elapsedMs / MINUTE, 1)) },
    { key: 'speedKmh', value: Number.isFinite(speedKmh) ? String(Math.round(speedKmh)) : 'Infinity' },
  ]);
}

/** unfamiliarFeatures: past learning (first clean long enough ago, enough clean sign-ins) and the place is not familiar. */
export function judgeUnfamiliarFeatures(
  signIn: DetectionSignIn,
  profile: UserProfile,
  familiarity: Familiarity,
  settings: DetectionSettings,
): DetectedEvent | null {
  if (profile.firstCleanAt === null || signIn.at - profile.firstCleanAt < settings.learningDays * DAY) return null;
  if (profile.cleanCount < settings.learningMinSignIns) return null;
  if (!hasLocation(signIn) || familiarity.familiar) return null;
  const nearest = familiarity.nearest;
  return eventOf('unfamiliarFeatures', [
    { key: 'location', value: describePlace(signIn) },
    { key: 'nearestFamiliarLocation', value: nearest ? describePlace({ ...nearest.location, state: null }) : 'none' },
    { key: 'nearestFamiliarDistanceKm', value: nearest ? String(round(nearest.distanceKm, 1)) : 'unknown' },
    { key: 'cleanSignInsLearned', value: String(profile.cleanCount) },
  ]);
}
