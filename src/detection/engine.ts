import { CREDENTIAL_FAILURE_CODES } from './catalog.js';
import { hasLocation, judgeFamiliarity, placeKey } from './geo.js';
import { judgeListedIp, judgeSuspiciousIp, judgeUnfamiliarFeatures, judgeUnlikelyTravel } from './rules.js';
import type {
  CleanSignIn,
  CredentialFailure,
  DetectedEvent,
  DetectionSettings,
  DetectionSignIn,
  FamiliarLocation,
  ListMatch,
  TrustedMatch,
  UserProfile,
} from './types.js';

/** Everything the rules need for one batch, loaded beforehand so that judging asks the database nothing. */
export interface DetectionInput {
  settings: DetectionSettings;
  signIns: DetectionSignIn[];
  /** Each user's profile as it stood before that user's earliest sign-in in the batch. */
  profiles: Map<string, UserProfile>;
  familiar: Map<string, FamiliarLocation[]>;
  /** Stored clean sign-ins at or after a user's earliest batch sign-in (late arrivals): learned from in order, not judged again. */
  replay: Map<string, CleanSignIn[]>;
  listMatches: Map<string, ListMatch[]>;
  trusted: Map<string, TrustedMatch>;
  /** Stored credential failures by IP, in the window before the batch's sign-ins. */
  failures: Map<string, CredentialFailure[]>;
}

export interface Verdict {
  signIn: DetectionSignIn;
  events: DetectedEvent[];
  clean: boolean;
}

export interface DetectionOutput {
  verdicts: Verdict[];
  profiles: Map<string, UserProfile>;
  learned: Map<string, FamiliarLocation[]>;
}

type Item = { signIn: DetectionSignIn; replay: false; userId: string } | { signIn: CleanSignIn; replay: true; userId: string };

export const compareByTimeAndId = (a: { at: number; id: string }, b: { at: number; id: string }) =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Judges a batch in (time, id) order, each sign-in against the history before it, learning from clean ones as it goes. */
export function detect(input: DetectionInput): DetectionOutput {
  const failures = mergeBatchFailures(input.failures, input.signIns);
  const items: Item[] = input.signIns.map((signIn) => ({ signIn, replay: false, userId: signIn.userId }) as Item);
  for (const [userId, stored] of input.replay) for (const signIn of stored) items.push({ signIn, replay: true, userId });
  items.sort((a, b) => compareByTimeAndId(a.signIn, b.signIn));

  const profiles = new Map<string, UserProfile>();
  const familiar = new Map<string, FamiliarLocation[]>();
  const changed = new Map<string, Map<string, FamiliarLocation>>();
  const verdicts: Verdict[] = [];
  const profileOf = (userId: string) => {
    let profile = profiles.get(userId);
    if (!profile) {
      profile = { ...(input.profiles.get(userId) ?? { lastClean: null, firstCleanAt: null, cleanCount: 0 }) };
      profiles.set(userId, profile);
      familiar.set(userId, (input.familiar.get(userId) ?? []).map((location) => ({ ...location })));
    }
    return profile;
  };

  for (const item of items) {
    const { userId } = item;
    const profile = profileOf(userId);
    const locations = familiar.get(userId)!;
    if (item.replay) {
      learn(profile, locations, item.signIn, changed, userId);
      continue;
    }
    const verdict = judge(item.signIn, profile, locations, failures, input);
    verdicts.push(verdict);
    if (verdict.clean) learn(profile, locations, item.signIn, changed, userId);
  }

  const learned = new Map([...changed].map(([userId, byKey]) => [userId, [...byKey.values()]]));
  const touched = new Set([...learned.keys(), ...verdicts.filter((v) => v.clean).map((v) => v.signIn.userId)]);
  return { verdicts, profiles: new Map([...touched].map((userId) => [userId, profiles.get(userId)!])), learned };
}

function judge(
  signIn: DetectionSignIn,
  profile: UserProfile,
  familiar: FamiliarLocation[],
  failures: Map<string, CredentialFailure[]>,
  input: DetectionInput,
): Verdict {
  if (signIn.errorCode !== 0) return { signIn, events: [], clean: false };
  const listed = signIn.ipAddress ? (input.listMatches.get(signIn.ipAddress) ?? []) : [];
  const trusted = signIn.ipAddress ? input.trusted.has(signIn.ipAddress) : false;
  const events = judgeListedIp(listed);
  if (!trusted) {
    const familiarity = judgeFamiliarity(signIn, familiar, input.settings.familiarRadiusKm);
    const suspicious = signIn.ipAddress ? judgeSuspiciousIp(signIn, failures.get(signIn.ipAddress) ?? [], input.settings) : null;
    const travel = judgeUnlikelyTravel(signIn, profile, familiarity, input.settings);
    const unfamiliar = judgeUnfamiliarFeatures(signIn, profile, familiarity, input.settings);
    for (const event of [suspicious, travel, unfamiliar]) if (event) events.push(event);
  }
  return { signIn, events, clean: events.length === 0 && !trusted && listed.length === 0 };
}

/** A clean sign-in updates the profile and teaches its place. */
function learn(
  profile: UserProfile,
  familiar: FamiliarLocation[],
  signIn: CleanSignIn,
  changed: Map<string, Map<string, FamiliarLocation>>,
  userId: string,
): void {
  profile.cleanCount++;
  if (profile.firstCleanAt === null || signIn.at < profile.firstCleanAt) profile.firstCleanAt = signIn.at;
  const located = signIn.latitude !== null && signIn.longitude !== null;
  if (located && (profile.lastClean === null || compareByTimeAndId(signIn, profile.lastClean) > 0)) profile.lastClean = cleanOf(signIn);
  if (!hasLocation(signIn)) return;
  const key = placeKey(signIn) ?? '\u0000';
  const location = learnLocation(familiar, signIn, key);
  if (!changed.has(userId)) changed.set(userId, new Map());
  changed.get(userId)!.set(key, location);
}

function learnLocation(familiar: FamiliarLocation[], signIn: CleanSignIn, key: string): FamiliarLocation {
  const existing = familiar.find((location) => (placeKey(location) ?? '\u0000') === key);
  if (!existing) {
    const location: FamiliarLocation = {
      countryOrRegion: signIn.countryOrRegion ?? '',
      city: signIn.city ?? '',
      latitude: signIn.latitude,
      longitude: signIn.longitude,
      firstSeenAt: signIn.at,
      lastSeenAt: signIn.at,
      source: 'clean',
    };
    familiar.push(location);
    return location;
  }
  const earlier = signIn.at < existing.firstSeenAt;
  const coordinates = signIn.latitude !== null && (earlier || existing.latitude === null);
  if (earlier) existing.firstSeenAt = signIn.at;
  existing.lastSeenAt = Math.max(existing.lastSeenAt, signIn.at);
  if (coordinates) {
    existing.latitude = signIn.latitude;
    existing.longitude = signIn.longitude;
  }
  return existing;
}

function cleanOf(signIn: CleanSignIn): CleanSignIn {
  const { id, at, city, state, countryOrRegion, latitude, longitude } = signIn;
  return { id, at, city, state, countryOrRegion, latitude, longitude };
}

function mergeBatchFailures(stored: Map<string, CredentialFailure[]>, signIns: DetectionSignIn[]): Map<string, CredentialFailure[]> {
  const merged = new Map([...stored].map(([ip, list]) => [ip, [...list]]));
  for (const signIn of signIns) {
    if (!signIn.ipAddress || !CREDENTIAL_FAILURE_CODES.includes(signIn.errorCode)) continue;
    const list = merged.get(signIn.ipAddress) ?? [];
    list.push({ id: signIn.id, at: signIn.at, upn: signIn.userPrincipalName.toLowerCase() });
    merged.set(signIn.ipAddress, list);
  }
  for (const list of merged.values()) list.sort(compareByTimeAndId);
  return merged;
}
