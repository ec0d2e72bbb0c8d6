import { graphSignIn } from './graph.js';
import { compact, integerOf, isObject, pick, type Dialect, type Mapped, type SkipReason } from './shape.js';

/** Diagnostic-settings categories of Entra ID: the user sign-in logs, and the others a mixed stream carries. */
const USER_SIGN_INS = new Set(['SignInLogs', 'NonInteractiveUserSignInLogs']);
const NON_USER: Record<string, SkipReason> = {
  ServicePrincipalSignInLogs: 'servicePrincipal',
  ManagedIdentitySignInLogs: 'managedIdentity',
};

/** An Azure Monitor resource log record: the envelope (time, category, ...) with the event under `properties`. */
export function looksLikeAzureMonitor(record: Record<string, unknown>): boolean {
  return 'properties' in record && ['category', 'operationName', 'time', 'resourceId'].some((field) => field in record);
}

/** `properties` is a Graph beta signIn; the envelope fills what it lacks (`location` a country code, `resultType` the error code as text). */
export const azureMonitorRecord: Dialect = {
  label: 'Azure Monitor diagnostic records',
  map(record): Mapped {
    const category = typeof record.category === 'string' ? record.category : null;
    if (category !== null && NON_USER[category]) return { skip: NON_USER[category] };
    if (category !== null && !USER_SIGN_INS.has(category)) return { skip: 'otherLog' };
    // A record whose properties are not an object is a malformed sign-in; the validator names it.
    const properties = isObject(record.properties) ? record.properties : { properties: record.properties };
    const envelope = compact({
      id: pick(properties, 'id'),
      createdDateTime: pick(properties, 'createdDateTime') ?? record.time,
      ipAddress: pick(properties, 'ipAddress') ?? pick(record, 'callerIpAddress'),
      correlationId: pick(properties, 'correlationId') ?? pick(record, 'correlationId'),
      status: properties.status ?? (record.resultType === undefined ? undefined : { errorCode: integerOf(record.resultType), failureReason: pick(record, 'resultDescription') }),
      location: properties.location ?? (typeof record.location === 'string' && record.location !== '' ? { countryOrRegion: record.location } : undefined),
      isInteractive: properties.isInteractive ?? (category === 'NonInteractiveUserSignInLogs' ? false : category === 'SignInLogs' ? true : undefined),
    });
    return graphSignIn.map({ ...properties, ...envelope });
  },
};
