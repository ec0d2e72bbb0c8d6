import { booleanOf, compact, integerOf, isObject, numberOf, objectOrJson, pick, utcTimeOf, type Dialect, type Mapped } from './shape.js';

/** Log Analytics tables of non-user sign-ins (the Type column). */
const NON_USER_TABLES: Record<string, 'servicePrincipal' | 'managedIdentity'> = {
  AADServicePrincipalSignInLogs: 'servicePrincipal',
  AADManagedIdentitySignInLogs: 'managedIdentity',
};
const NON_USER_CATEGORIES: Record<string, 'servicePrincipal' | 'managedIdentity'> = {
  ServicePrincipalSignInLogs: 'servicePrincipal',
  ManagedIdentitySignInLogs: 'managedIdentity',
};

const SENTINEL_FIELDS = ['TimeGenerated', 'CreatedDateTime', 'UserPrincipalName', 'ResultType', 'IPAddress', 'LocationDetails', 'OriginalRequestId'];

/** PascalCase columns of the SigninLogs family; a CSV export may suffix time columns with " [UTC]". */
export function looksLikeSentinel(record: Record<string, unknown>): boolean {
  return SENTINEL_FIELDS.some((field) => field in record);
}

/** Strips Log Analytics' " [UTC]" header suffix so CSV and JSON exports read the same. */
export function sentinelColumns(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/\s*\[UTC\]$/i, '').trim(), value]));
}

export const sentinelSignIn: Dialect = {
  label: 'Sentinel SigninLogs',
  map(raw): Mapped {
    const row = sentinelColumns(raw);
    const table = typeof row.Type === 'string' ? NON_USER_TABLES[row.Type] : undefined;
    const category = typeof row.Category === 'string' ? NON_USER_CATEGORIES[row.Category] : undefined;
    if (table ?? category) return { skip: (table ?? category)! };
    if (pick(row, 'UserPrincipalName', 'UserId') === undefined && pick(row, 'ServicePrincipalId', 'ServicePrincipalName') !== undefined) {
      return { skip: 'servicePrincipal' };
    }
    const status = objectOrJson(row.Status);
    const locationDetails = objectOrJson(row.LocationDetails);
    const device = objectOrJson(row.DeviceDetail);
    const statusObject = isObject(status) ? status : {};
    return {
      signIn: compact({
        id: pick(row, 'Id', 'OriginalRequestId'),
        createdDateTime: utcTimeOf(pick(row, 'CreatedDateTime', 'TimeGenerated')),
        userId: pick(row, 'UserId'),
        userPrincipalName: pick(row, 'UserPrincipalName'),
        userDisplayName: pick(row, 'UserDisplayName'),
        appDisplayName: pick(row, 'AppDisplayName'),
        appId: pick(row, 'AppId'),
        clientAppUsed: pick(row, 'ClientAppUsed'),
        ipAddress: pick(row, 'IPAddress'),
        // ResultType is the error code as text; Status may carry it too.
        status: status !== undefined && !isObject(status) ? status : {
          errorCode: integerOf(pick(row, 'ResultType') ?? statusObject.errorCode),
          failureReason: pick(statusObject, 'failureReason') ?? pick(row, 'ResultDescription'),
        },
        location: locationOf(locationDetails, row.Location),
        deviceDetail: isObject(device) ? { browser: device.browser, operatingSystem: device.operatingSystem } : device,
        userAgent: pick(row, 'UserAgent'),
        correlationId: pick(row, 'CorrelationId'),
        isInteractive: booleanOf(row.IsInteractive) ?? (row.Type === 'AADNonInteractiveUserSignInLogs' || row.Category === 'NonInteractiveUserSignInLogs' ? false : undefined),
        conditionalAccessStatus: pick(row, 'ConditionalAccessStatus'),
        authenticationRequirement: pick(row, 'AuthenticationRequirement'),
        riskLevelDuringSignIn: pick(row, 'RiskLevelDuringSignIn'),
        riskState: pick(row, 'RiskState'),
      }),
    };
  },
};

function locationOf(details: unknown, country: unknown): unknown {
  if (details !== undefined && !isObject(details)) return details;
  const place = details ?? {};
  const coordinates = objectOrJson(place.geoCoordinates);
  return {
    city: place.city,
    state: place.state,
    countryOrRegion: pick(place, 'countryOrRegion') ?? (country === '' ? undefined : country),
    geoCoordinates: isObject(coordinates) ? { latitude: numberOf(coordinates.latitude), longitude: numberOf(coordinates.longitude) } : coordinates,
  };
}
