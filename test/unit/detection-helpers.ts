import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../src/db/schema.js';
import { detectionSignInOf } from '../../src/ingest/ingest.js';
import { detect } from '../../src/detection/engine.js';
import type { CredentialFailure, DetectedEvent, ListMatch, TrustedMatch } from '../../src/detection/types.js';
import type { SignInRecord } from '../../src/ingest/types.js';

export const EARTH_RADIUS_KM = 6371.0088;

/** A point `km` north of (lat, lon) along the meridian. */
export function north(km: number, from = { latitude: 10, longitude: 0 }) {
  return { latitude: from.latitude + (km / EARTH_RADIUS_KM) * (180 / Math.PI), longitude: from.longitude };
}


export interface Scenario {
  settings?: Partial<DetectionSettings>;
  anonymous?: string[];
  malware?: string[];
  trusted?: string[];
  storedFailures?: Record<string, CredentialFailure[]>;
}

/** Runs detection over one batch with empty history; answers each sign-in's events by id. */
export function judgeAll(records: SignInRecord[], scenario: Scenario = {}): Map<string, DetectedEvent[]> {
  const listMatches = new Map<string, ListMatch[]>();
  for (const ip of scenario.anonymous ?? []) listMatches.set(ip, [{ kind: 'anonymous', list: 'tor', entry: `${ip}/32` }]);
  for (const ip of scenario.malware ?? []) listMatches.set(ip, [...(listMatches.get(ip) ?? []), { kind: 'malware', list: 'botnet', entry: `${ip}/32` }]);
  const trusted = new Map<string, TrustedMatch>((scenario.trusted ?? []).map((ip) => [ip, { name: 'VPN', entry: `${ip}/32` }]));
  const output = detect({
    settings: { ...DEFAULT_DETECTION_SETTINGS, ...scenario.settings },
    signIns: records.map(detectionSignInOf).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)),
    profiles: new Map(),
    familiar: new Map(),
    replay: new Map(),
    listMatches,
    trusted,
    failures: new Map(Object.entries(scenario.storedFailures ?? {})),
  });
  return new Map(output.verdicts.map((verdict) => [verdict.signIn.id, verdict.events]));
}

export function typesOf(events: DetectedEvent[] | undefined): string[] {
  return (events ?? []).map((event) => event.riskEventType).sort();
}
