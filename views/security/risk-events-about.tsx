import type { DetectionSettings, RiskEventType } from '../../src/db/schema.js';

// What each risk event type detects and how (docs/detection.md), with the tenant's thresholds.

/** The names the 2017 console gave the types. */
export const TYPE_NAMES_2017: Record<RiskEventType, string> = {
  leakedCredentials: 'Users with leaked credentials',
  anonymizedIPAddress: 'Sign-ins from anonymous IP addresses',
  malwareInfectedIPAddress: 'Sign-ins from infected devices',
  suspiciousIPAddress: 'Sign-ins from IP addresses with suspicious activity',
  unlikelyTravel: 'Impossible travel to atypical locations',
  unfamiliarFeatures: 'Sign-ins from unfamiliar locations',
  adminConfirmedUserCompromised: 'Users confirmed compromised by an admin',
};

export function describeRiskEventType(type: RiskEventType, s: DetectionSettings): string[] {
  switch (type) {
    case 'leakedCredentials':
      return [
        "The user's UPN or mail equals, ignoring case, an entry of a leak list imported for this tenant.",
        'Judged when a list is imported and when a user first appears; once per user per entry.',
      ];
    case 'anonymizedIPAddress':
      return ['A successful sign-in came from an IP address on an anonymous list (Tor exit nodes, anonymising VPNs).', 'Detected in real time, as the sign-in is ingested.'];
    case 'malwareInfectedIPAddress':
      return ['A successful sign-in came from an IP address on a malware list (botnets, command-and-control sinkholes).'];
    case 'suspiciousIPAddress':
      return [
        `In the ${s.sprayWindowMinutes} minutes before a successful sign-in, the same IP address had credential failures (invalid password, locked account) for at least ${s.sprayMinDistinctUpns} distinct UPNs, known users or not.`,
        'Sign-ins from trusted locations are not judged.',
      ];
    case 'unlikelyTravel':
      return [
        `The user's last clean sign-in lies at least ${s.travelMinDistanceKm} km away, and reaching here in the time between would need more than ${s.travelMaxSpeedKmh} km/h (any distance in no time counts).`,
        `The location is not familiar to the user (within ${s.familiarRadiusKm} km of a clean sign-in or a sign-in marked a false positive), and the IP is not in a trusted location. There is no learning period.`,
      ];
    case 'unfamiliarFeatures':
      return [
        `A sign-in from a location not familiar to the user (none of their clean sign-ins within ${s.familiarRadiusKm} km, nor one marked a false positive).`,
        `Judged only once the user is past learning: a first clean sign-in at least ${s.learningDays} days earlier and at least ${s.learningMinSignIns} clean sign-ins before. Trusted locations are not judged.`,
      ];
    case 'adminConfirmedUserCompromised':
      return ['An admin pressed Confirm compromised on the user blade. The user stays confirmed compromised while this event is active.'];
  }
}
