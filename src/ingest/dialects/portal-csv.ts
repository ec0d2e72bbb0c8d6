import { compact, integerOf, pick, utcTimeOf, type Dialect, type Mapped } from './shape.js';

/** Headers of the Entra portal's "Download" CSV of sign-ins (interactive, non-interactive, service principal, managed identity). */
const PORTAL_HEADERS = ['Date (UTC)', 'Request ID', 'Username', 'IP address', 'Sign-in error code'];

export function looksLikePortalCsv(columns: string[]): boolean {
  return PORTAL_HEADERS.filter((header) => columns.includes(header)).length >= 2;
}

/** The portal writes these as words; Graph's enum values are what Riskdesk stores and exports. */
const CONDITIONAL_ACCESS: Record<string, string> = { success: 'success', failure: 'failure', 'not applied': 'notApplied', notapplied: 'notApplied' };
const REQUIREMENT: Record<string, string> = {
  'single-factor authentication': 'singleFactorAuthentication',
  'multifactor authentication': 'multiFactorAuthentication',
  'multi-factor authentication': 'multiFactorAuthentication',
};

/** One row of the portal CSV. `Location` is "City, State, CC" (parts may be missing); there are no coordinates. */
export const portalCsv: Dialect = {
  label: 'portal CSV',
  map(row): Mapped {
    if (pick(row, 'Managed Identity type', 'Managed identity type') !== undefined && pick(row, 'Username') === undefined) return { skip: 'managedIdentity' };
    if (pick(row, 'Username', 'User ID') === undefined && pick(row, 'Service principal ID', 'Service principal name') !== undefined) return { skip: 'servicePrincipal' };
    const status = String(row.Status ?? '').trim().toLowerCase();
    const code = pick(row, 'Sign-in error code');
    const words = (value: unknown, table: Record<string, string>) => (typeof value === 'string' ? (table[value.trim().toLowerCase()] ?? value) : value);
    return {
      signIn: compact({
        id: pick(row, 'Request ID'),
        createdDateTime: utcTimeOf(pick(row, 'Date (UTC)')),
        userId: pick(row, 'User ID'),
        userPrincipalName: pick(row, 'Username'),
        userDisplayName: pick(row, 'User'),
        appDisplayName: pick(row, 'Application'),
        appId: pick(row, 'Application ID'),
        clientAppUsed: pick(row, 'Client app'),
        ipAddress: pick(row, 'IP address'),
        // A failure without its code must not pass as a success: the validator names the missing integer.
        status: { errorCode: code === undefined ? (status === 'success' || status === '' ? 0 : row.Status) : integerOf(code), failureReason: pick(row, 'Failure reason') },
        location: locationOf(row.Location),
        deviceDetail: { browser: pick(row, 'Browser'), operatingSystem: pick(row, 'Operating System', 'Operating system') },
        userAgent: pick(row, 'User agent'),
        correlationId: pick(row, 'Correlation ID'),
        conditionalAccessStatus: words(pick(row, 'Conditional Access', 'Conditional access'), CONDITIONAL_ACCESS),
        authenticationRequirement: words(pick(row, 'Authentication requirement'), REQUIREMENT),
        riskLevelDuringSignIn: lowerFirst(pick(row, 'Risk level during sign-in')),
        riskState: lowerFirst(pick(row, 'Risk state')),
      }),
    };
  },
};

function lowerFirst(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\s+(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toLowerCase()) : value;
}

/** "Seattle, Washington, US" / "Seattle, US" / "US". */
function locationOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parts = value.split(',').map((part) => part.trim());
  const countryOrRegion = parts.pop();
  return compact({ city: parts[0] || undefined, state: parts.length > 1 ? parts.slice(1).join(', ') || undefined : undefined, countryOrRegion: countryOrRegion || undefined });
}
