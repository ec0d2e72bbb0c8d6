export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string;
}

/** A Microsoft Graph signIn object as an Entra ID export gives it. */
export interface GraphSignIn {
  id: string;
  /** ISO 8601 UTC. */
  createdDateTime: string;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string;
  appDisplayName: string;
  clientAppUsed: string;
  ipAddress: string;
  status: { errorCode: number; failureReason?: string };
  location: {
    city: string;
    state: string;
    countryOrRegion: string;
    geoCoordinates: { latitude: number; longitude: number } | null;
  };
  deviceDetail: { browser: string; operatingSystem: string };
}

export interface DemoTenantData {
  users: GraphUser[];
  /** Strictly time-ordered, oldest first, and lazy: each iteration generates the sign-ins afresh. */
  signIns: Iterable<GraphSignIn>;
  anonymousIps: string[];
  malwareIps: string[];
  trusted: { name: string; ranges: string[] }[];
  leaked: string[];
}

export type DemoTenantKind = 'contoso' | 'fabrikam';

export interface DemoOptions {
  seed: number;
  now: Date;
  /** Exactly (default 15,000 for Contoso, 8,000 for Fabrikam); `riskdesk demo --sign-ins N` sets Contoso's. */
  signIns?: number;
}
