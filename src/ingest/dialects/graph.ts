import { isObject, type Dialect, type Mapped, type SkipReason } from './shape.js';

/** Fields only a Graph signIn (v1.0 or beta) has in camelCase; one of them is enough to call a record one. */
const GRAPH_FIELDS = ['createdDateTime', 'userPrincipalName', 'userId', 'ipAddress', 'appDisplayName', 'status', 'location', 'servicePrincipalId'];

export function looksLikeGraph(record: Record<string, unknown>): boolean {
  return GRAPH_FIELDS.some((field) => field in record);
}

/** Passes as is: the validator reads Graph's names. Beta says who signed in with `signInEventTypes`. */
export const graphSignIn: Dialect = {
  label: 'Graph signIn',
  map(record): Mapped {
    const skip = nonUserOf(record);
    if (skip) return { skip };
    const types = eventTypesOf(record);
    if (record.isInteractive === undefined && types.length > 0) {
      return { signIn: { ...record, isInteractive: types.includes('interactiveUser') } };
    }
    return { signIn: record };
  },
};

function eventTypesOf(record: Record<string, unknown>): string[] {
  const types = record.signInEventTypes;
  return Array.isArray(types) ? types.filter((type): type is string => typeof type === 'string') : [];
}

/** A service principal or managed identity: named so by its event types, or a service principal id with no user at all. */
export function nonUserOf(record: Record<string, unknown>): SkipReason | null {
  const types = eventTypesOf(record);
  if (types.includes('managedIdentity')) return 'managedIdentity';
  if (types.includes('servicePrincipal')) return 'servicePrincipal';
  const hasUser = [record.userPrincipalName, record.userId].some((value) => typeof value === 'string' && value !== '');
  const servicePrincipal = [record.servicePrincipalId, record.servicePrincipalName].some((value) => typeof value === 'string' && value !== '');
  if (hasUser || !servicePrincipal) return null;
  const msi = isObject(record.managedServiceIdentity) ? record.managedServiceIdentity.msiType : undefined;
  return typeof msi === 'string' && msi !== 'none' ? 'managedIdentity' : 'servicePrincipal';
}
