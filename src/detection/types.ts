import type { DetectionSettings, EvidenceItem, RiskEventType, RiskLevel } from '../db/schema.js';

export type { DetectionSettings, EvidenceItem, RiskEventType, RiskLevel };

export interface Place {
  city: string | null;
  state: string | null;
  countryOrRegion: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** What the rules read of a sign-in; `at` is epoch milliseconds. */
export interface DetectionSignIn extends Place {
  id: string;
  at: number;
  userId: string;
  userPrincipalName: string;
  ipAddress: string | null;
  errorCode: number;
}

export interface CleanSignIn extends Place {
  id: string;
  at: number;
}

/** The detector's per-user profile (docs/detection.md), as it stands before the sign-in being judged. */
export interface UserProfile {
  /** The last clean sign-in with coordinates: where unlikelyTravel measures from. */
  lastClean: CleanSignIn | null;
  firstCleanAt: number | null;
  cleanCount: number;
}

export interface FamiliarLocation {
  countryOrRegion: string;
  city: string;
  latitude: number | null;
  longitude: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  source: 'clean' | 'feedback';
}

export interface ListMatch {
  kind: 'anonymous' | 'malware';
  list: string;
  entry: string;
}

export interface TrustedMatch {
  name: string;
  entry: string;
}

/** A credential failure (errorCode 50126 or 50053); `upn` lower-cased. */
export interface CredentialFailure {
  id: string;
  at: number;
  upn: string;
}

export interface DetectedEvent {
  riskEventType: RiskEventType;
  riskLevel: RiskLevel;
  detectionTimingType: 'realtime' | 'offline';
  evidence: EvidenceItem[];
}
