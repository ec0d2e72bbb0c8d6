import type { SignInRecord } from '../../src/ingest/types.js';
import { toGraph } from './sign-ins.js';

/**
 * The same sign-in written in each dialect Riskdesk reads, after Microsoft's published schemas
 * (Graph signIn, Log Analytics SigninLogs, Azure Monitor resource logs, the portal's CSV download).
 */
const TENANT_ID = '72f988bf-0000-4000-8000-00000000c0de';

/** A SigninLogs row as a Log Analytics query export gives it; `strings` writes dynamic columns as JSON text. */
export function toSentinel(record: SignInRecord, strings = false): Record<string, unknown> {
  const dynamic = (value: unknown) => (strings ? JSON.stringify(value) : value);
  const at = record.createdDateTime.toISOString();
  return {
    TenantId: TENANT_ID,
    SourceSystem: 'Azure AD',
    TimeGenerated: at,
    OperationName: 'Sign-in activity',
    Category: 'SignInLogs',
    ResultType: String(record.errorCode),
    ResultDescription: record.failureReason ?? '',
    Identity: record.userDisplayName ?? '',
    Level: '4',
    Location: record.countryOrRegion ?? '',
    AppDisplayName: record.appDisplayName ?? '',
    AppId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    ClientAppUsed: record.clientAppUsed ?? '',
    CorrelationId: `corr-${record.id}`,
    CreatedDateTime: at,
    DeviceDetail: dynamic({ deviceId: '', operatingSystem: record.operatingSystem ?? '', browser: record.browser ?? '' }),
    IPAddress: record.ipAddress ?? '',
    IsInteractive: strings ? 'true' : true,
    Id: record.id,
    LocationDetails: dynamic({
      city: record.city ?? '',
      state: record.state ?? '',
      countryOrRegion: record.countryOrRegion ?? '',
      geoCoordinates: record.latitude === null ? {} : { latitude: record.latitude, longitude: record.longitude },
    }),
    RiskLevelDuringSignIn: 'none',
    RiskState: 'none',
    Status: dynamic(record.errorCode === 0 ? { errorCode: 0 } : { errorCode: record.errorCode, failureReason: record.failureReason }),
    UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
    UserDisplayName: record.userDisplayName ?? '',
    UserId: record.userId,
    UserPrincipalName: record.userPrincipalName,
    AuthenticationRequirement: 'singleFactorAuthentication',
    ConditionalAccessStatus: 'notApplied',
    Type: 'SigninLogs',
  };
}

/** An Azure Monitor diagnostic record (storage PT1H.json line, Event Hub record) of the given category. */
export function toAzureMonitor(record: SignInRecord, category = 'SignInLogs'): Record<string, unknown> {
  const graph = toGraph(record);
  return {
    time: record.createdDateTime.toISOString(),
    resourceId: `/tenants/${TENANT_ID}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category,
    tenantId: TENANT_ID,
    resultType: String(record.errorCode),
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: record.ipAddress,
    correlationId: `corr-${record.id}`,
    identity: record.userDisplayName,
    Level: 4,
    location: record.countryOrRegion,
    properties: { ...graph, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/120.0.0.0', correlationId: `corr-${record.id}`, isInteractive: category === 'SignInLogs', signInEventTypes: [category === 'SignInLogs' ? 'interactiveUser' : 'nonInteractiveUser'] },
  };
}

export function servicePrincipalRecord(id: string, at: string): Record<string, unknown> {
  return {
    time: at,
    operationName: 'Sign-in activity',
    category: 'ServicePrincipalSignInLogs',
    resultType: '0',
    callerIpAddress: '198.51.100.200',
    properties: { id, createdDateTime: at, servicePrincipalId: '3f0b6a3e-1d2c-4b5a-9e8f-7a6b5c4d3e2f', servicePrincipalName: 'nightly-backup', appId: 'a1b2c3d4-0000-4000-8000-000000000001', ipAddress: '198.51.100.200', status: { errorCode: 0 } },
  };
}

const PORTAL_HEADER = ['Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type', 'Application', 'Application ID', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Browser', 'Operating System', 'Conditional Access', 'Authentication requirement'];

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The Entra portal's "Download" CSV of interactive sign-ins; it has no coordinates. */
export function toPortalCsv(records: SignInRecord[], eol = '\n'): string {
  const rows = records.map((r) => [
    r.createdDateTime.toISOString().replace('.000Z', 'Z'),
    r.id,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/120.0.0.0',
    `corr-${r.id}`,
    r.userId,
    r.userDisplayName,
    r.userPrincipalName,
    'Member',
    r.appDisplayName,
    'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    r.ipAddress,
    [r.city, r.state, r.countryOrRegion].filter((part) => part !== null).join(', '),
    r.errorCode === 0 ? 'Success' : 'Failure',
    r.errorCode === 0 ? '' : r.errorCode,
    r.failureReason,
    r.clientAppUsed,
    r.browser,
    r.operatingSystem,
    'Not Applied',
    'Single-factor authentication',
  ]);
  return [PORTAL_HEADER, ...rows].map((row) => row.map(cell).join(',')).join(eol) + eol;
}

/** A Log Analytics CSV export of SigninLogs: dynamic columns as JSON text, time columns headed "[UTC]". */
export function toSentinelCsv(records: SignInRecord[], eol = '\n'): string {
  const rows = records.map((record) => toSentinel(record, true));
  const header = Object.keys(rows[0]);
  const named = header.map((column) => (column === 'TimeGenerated' || column === 'CreatedDateTime' ? `${column} [UTC]` : column));
  return [named, ...rows.map((row) => header.map((column) => row[column]))].map((row) => row.map(cell).join(',')).join(eol) + eol;
}

export const lines = (values: unknown[], eol = '\n') => values.map((value) => JSON.stringify(value)).join(eol) + eol;
