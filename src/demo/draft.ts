import type { City } from './cities.js';
import type { GraphSignIn } from './types.js';
import type { DemoUser } from './users.js';

/** A sign-in before it has its id and final time: what the generators produce and the stream orders. */
export interface Draft {
  at: number;
  user: DemoUser;
  city: City;
  ip: string;
  appDisplayName: string;
  clientAppUsed: string;
  browser: string;
  operatingSystem: string;
  errorCode: number;
}

export const WRONG_PASSWORD = 50126;
export const MFA_REQUIRED = 50074;

const FAILURE_REASONS: Record<number, string> = {
  [WRONG_PASSWORD]: 'Error validating credentials due to invalid username or password.',
  [MFA_REQUIRED]: 'Strong Authentication is required.',
};

export function toGraphSignIn(draft: Draft, id: string, at: number): GraphSignIn {
  const { user, city } = draft;
  return {
    id,
    createdDateTime: new Date(at).toISOString(),
    userId: user.graph.id,
    userPrincipalName: user.graph.userPrincipalName,
    userDisplayName: user.graph.displayName,
    appDisplayName: draft.appDisplayName,
    clientAppUsed: draft.clientAppUsed,
    ipAddress: draft.ip,
    status: draft.errorCode === 0 ? { errorCode: 0 } : { errorCode: draft.errorCode, failureReason: FAILURE_REASONS[draft.errorCode] },
    location: {
      city: city.name,
      state: city.state,
      countryOrRegion: city.country,
      geoCoordinates: { latitude: city.latitude, longitude: city.longitude },
    },
    deviceDetail: { browser: draft.browser, operatingSystem: draft.operatingSystem },
  };
}
