import type { RiskEventType, RiskLevel } from './types.js';

export interface RiskEventKind {
  riskLevel: RiskLevel;
  detectionTimingType: 'realtime' | 'offline';
  activity: 'signin' | 'user';
}

/** Level, timing and activity of each risk event type (docs/detection.md). */
export const RISK_EVENT_KINDS: Record<RiskEventType, RiskEventKind> = {
  leakedCredentials: { riskLevel: 'high', detectionTimingType: 'offline', activity: 'user' },
  anonymizedIPAddress: { riskLevel: 'medium', detectionTimingType: 'realtime', activity: 'signin' },
  malwareInfectedIPAddress: { riskLevel: 'low', detectionTimingType: 'offline', activity: 'signin' },
  suspiciousIPAddress: { riskLevel: 'medium', detectionTimingType: 'offline', activity: 'signin' },
  unlikelyTravel: { riskLevel: 'medium', detectionTimingType: 'offline', activity: 'signin' },
  unfamiliarFeatures: { riskLevel: 'medium', detectionTimingType: 'realtime', activity: 'signin' },
  adminConfirmedUserCompromised: { riskLevel: 'high', detectionTimingType: 'offline', activity: 'user' },
};

export const CREDENTIAL_FAILURE_CODES: readonly number[] = [50126, 50053];

const RANK: Record<RiskLevel, number> = { low: 1, medium: 2, high: 3 };

export function highestLevel(levels: RiskLevel[]): RiskLevel | null {
  let best: RiskLevel | null = null;
  for (const level of levels) if (best === null || RANK[level] > RANK[best]) best = level;
  return best;
}

export function eventOf(riskEventType: RiskEventType, evidence: { key: string; value: string }[]) {
  const { riskLevel, detectionTimingType } = RISK_EVENT_KINDS[riskEventType];
  return { riskEventType, riskLevel, detectionTimingType, evidence };
}
