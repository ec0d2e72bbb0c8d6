/** One validated sign-in, whatever format it came in (docs/import-formats.md). */
export interface SignInRecord {
  id: string;
  createdDateTime: Date;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  appDisplayName: string | null;
  clientAppUsed: string | null;
  ipAddress: string | null;
  errorCode: number;
  failureReason: string | null;
  city: string | null;
  state: string | null;
  countryOrRegion: string | null;
  latitude: number | null;
  longitude: number | null;
  browser: string | null;
  operatingSystem: string | null;
  /** Microseconds past createdDateTime's millisecond, when the source had them. */
  microseconds?: number;
  // As Entra recorded them; absent when the source did not say. riskLevelDuringSignIn and riskState
  // are Entra's own judgement ("Entra said"), never Riskdesk's.
  userAgent?: string;
  correlationId?: string;
  appId?: string;
  isInteractive?: boolean;
  conditionalAccessStatus?: string;
  authenticationRequirement?: string;
  riskLevelDuringSignIn?: string;
  riskState?: string;
  /** Fields (Graph paths such as "deviceDetail.browser") whose text was cut to the stored limit. */
  truncated?: string[];
}

export interface RecordBatch {
  records: SignInRecord[];
  offset: number;
}
