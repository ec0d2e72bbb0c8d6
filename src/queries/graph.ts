import type { EventStatus, RiskEvent } from '../db/schema.js';

export function graphRiskStateOf(event: Pick<RiskEvent, 'status' | 'riskEventType'>): string {
  const states: Record<EventStatus, string> = {
    active: event.riskEventType === 'adminConfirmedUserCompromised' ? 'confirmedCompromised' : 'atRisk',
    dismissedAsFixed: 'dismissed',
    dismissedAsFalsePositive: 'confirmedSafe',
    dismissedAsIgnore: 'dismissed',
    remediated: 'remediated',
  };
  return states[event.status];
}

/** A risk event as a Microsoft Graph riskDetection; evidence goes to additionalInfo as a JSON string of {Key, Value}, as Graph does. */
export function toGraphRiskDetection(event: RiskEvent) {
  const hasCoordinates = event.latitude !== null && event.longitude !== null;
  return {
    id: event.id,
    requestId: event.requestId,
    correlationId: null,
    riskEventType: event.riskEventType,
    riskState: graphRiskStateOf(event),
    riskLevel: event.riskLevel,
    riskDetail: event.riskDetail,
    source: 'Riskdesk',
    detectionTimingType: event.detectionTimingType,
    activity: event.activity,
    tokenIssuerType: 'AzureAD',
    ipAddress: event.ipAddress,
    location:
      event.city === null && event.countryOrRegion === null && !hasCoordinates
        ? null
        : {
            city: event.city,
            state: event.state,
            countryOrRegion: event.countryOrRegion,
            geoCoordinates: hasCoordinates ? { latitude: event.latitude, longitude: event.longitude } : null,
          },
    activityDateTime: event.activityDateTime.toISOString(),
    detectedDateTime: event.detectedDateTime.toISOString(),
    lastUpdatedDateTime: event.lastUpdatedDateTime.toISOString(),
    userId: event.userId,
    userDisplayName: event.userDisplayName,
    userPrincipalName: event.userPrincipalName,
    additionalInfo: JSON.stringify(event.evidence.map((item) => ({ Key: item.key, Value: item.value }))),
  };
}

export type GraphRiskDetection = ReturnType<typeof toGraphRiskDetection>;
