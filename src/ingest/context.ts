import type { Queryable } from '../db/client.js';
import type { DetectionInput } from '../detection/engine.js';
import type { CredentialFailure, DetectionSettings, DetectionSignIn, FamiliarLocation, ListMatch, TrustedMatch, UserProfile } from '../detection/types.js';
import {
  loadCleanHistory,
  loadCredentialFailures,
  loadFamiliarLocations,
  loadListMatches,
  loadProfiles,
  loadTrustedMatches,
  loadUsersWithCleanSince,
} from './load.js';

/** A late arrival (stored clean sign-ins at or after the user's earliest in the batch) gets the profile as it stood, and its later clean sign-ins are replayed, not judged again. */
export async function loadDetectionInput(
  db: Queryable,
  tenantId: string,
  settings: DetectionSettings,
  signIns: DetectionSignIn[],
): Promise<DetectionInput> {
  const earliest = new Map<string, number>();
  for (const signIn of signIns) if (!earliest.has(signIn.userId)) earliest.set(signIn.userId, signIn.at);
  const userIds = [...earliest.keys()];
  const successes = signIns.filter((signIn) => signIn.errorCode === 0 && signIn.ipAddress !== null);
  const ips = [...new Set(successes.map((signIn) => signIn.ipAddress!))];
  const windowMs = settings.sprayWindowMinutes * 60_000;
  // Independent reads, sent together so postgres.js pipelines them: one round trip.
  const [profiles, familiar, cleanSince, listMatches, trusted, failures] = await Promise.all([
    loadProfiles(db, tenantId, userIds),
    loadFamiliarLocations(db, tenantId, userIds),
    loadUsersWithCleanSince(db, tenantId, earliest),
    ips.length > 0 ? loadListMatches(db, ips) : new Map<string, ListMatch[]>(),
    ips.length > 0 ? loadTrustedMatches(db, tenantId, ips) : new Map<string, TrustedMatch>(),
    ips.length > 0 ? loadCredentialFailures(db, tenantId, ips, successes[0].at - windowMs, successes[successes.length - 1].at) : new Map<string, CredentialFailure[]>(),
  ]);

  // A user is late when a stored clean sign-in is not before their earliest one in the batch.
  const learned = (userId: string) => (profiles.get(userId)?.cleanCount ?? 0) > 0;
  const late = new Map([...earliest].filter(([userId, at]) => (learned(userId) && cleanSince.has(userId)) || (profiles.get(userId)?.lastClean?.at ?? -Infinity) >= at));
  const { replay, lastBefore } = late.size > 0 ? await loadCleanHistory(db, tenantId, late) : { replay: new Map(), lastBefore: new Map() };
  for (const [userId, since] of late) {
    profiles.set(userId, profileBefore(profiles.get(userId)!, since, lastBefore.get(userId) ?? null, replay.get(userId)?.length ?? 0));
    familiar.set(userId, familiarBefore(familiar.get(userId) ?? [], since));
  }
  return { settings, signIns, profiles, familiar, replay, listMatches, trusted, failures };
}

function profileBefore(current: UserProfile, since: number, lastBefore: UserProfile['lastClean'], replayed: number): UserProfile {
  // The stored row may be past retention; the profile's own copy still serves when it is early enough.
  const kept = current.lastClean !== null && current.lastClean.at < since ? current.lastClean : null;
  return {
    lastClean: lastBefore ?? kept,
    firstCleanAt: current.firstCleanAt !== null && current.firstCleanAt < since ? current.firstCleanAt : null,
    cleanCount: Math.max(0, current.cleanCount - replayed),
  };
}

function familiarBefore(locations: FamiliarLocation[], since: number): FamiliarLocation[] {
  return locations.filter((location) => location.source === 'feedback' || location.firstSeenAt < since);
}
