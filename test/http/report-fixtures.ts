import type { Db } from '../../src/db/client.js';
import { directoryUsers, riskEvents, signIns, type EventStatus, type NewRiskEvent, type NewSignIn, type RiskEventType, type RiskLevel } from '../../src/db/schema.js';

// Report tests write rows straight into the tables, independent of the ingestion code.

export const NOW = new Date('2026-11-27T12:00:00Z');
export const HOUR = 3_600_000;

export interface RiskySpec extends Partial<NewSignIn> {
  id: string;
  level?: RiskLevel;
  status?: EventStatus;
  types?: RiskEventType[];
}

export function signInRow(tenantId: string, spec: Partial<NewSignIn> & { id: string }): NewSignIn {
  return {
    tenantId,
    createdDateTime: new Date(NOW.getTime() - HOUR),
    userId: 'user-1',
    userPrincipalName: 'alice@contoso.com',
    userDisplayName: 'Alice Archer',
    appDisplayName: 'Office 365',
    ipAddress: '198.51.100.7',
    city: 'Lisbon',
    countryOrRegion: 'PT',
    errorCode: 0,
    ...spec,
  };
}

/** A sign-in with its risk summary and one active-or-given-status event per type. */
export function riskyRows(tenantId: string, spec: RiskySpec): { signIn: NewSignIn; events: NewRiskEvent[] } {
  const { level = 'medium', status = 'active', types = ['unfamiliarFeatures'], ...rest } = spec;
  const signIn = signInRow(tenantId, { ...rest, riskLevel: level, riskStatus: status, riskEventTypes: [...types].sort(), riskUpdatedAt: rest.createdDateTime ?? NOW });
  const events = types.map((type): NewRiskEvent => ({
    tenantId,
    id: `${spec.id}-${type}`,
    riskEventType: type,
    riskLevel: level,
    detectionTimingType: 'realtime',
    activity: 'signin',
    dedupeKey: spec.id,
    requestId: spec.id,
    userId: signIn.userId,
    userPrincipalName: signIn.userPrincipalName,
    userDisplayName: signIn.userDisplayName,
    ipAddress: signIn.ipAddress,
    city: signIn.city,
    state: signIn.state,
    countryOrRegion: signIn.countryOrRegion,
    latitude: 38.72,
    longitude: -9.14,
    activityDateTime: signIn.createdDateTime,
    detectedDateTime: signIn.createdDateTime,
    lastUpdatedDateTime: signIn.createdDateTime,
    status,
    riskDetail: status === 'dismissedAsFalsePositive' ? 'adminConfirmedSigninSafe' : 'none',
    evidence: [{ key: 'nearestFamiliarLocation', value: 'Porto, PT (274 km)' }],
  }));
  return { signIn, events };
}

export async function insertRisky(db: Db, tenantId: string, specs: RiskySpec[]): Promise<void> {
  const all = specs.map((spec) => riskyRows(tenantId, spec));
  for (let i = 0; i < all.length; i += 500) {
    const chunk = all.slice(i, i + 500);
    await db.insert(signIns).values(chunk.map((r) => r.signIn));
    const events = chunk.flatMap((r) => r.events);
    if (events.length > 0) await db.insert(riskEvents).values(events);
  }
}

export async function insertSignIns(db: Db, tenantId: string, specs: (Partial<NewSignIn> & { id: string })[]): Promise<void> {
  for (let i = 0; i < specs.length; i += 500) await db.insert(signIns).values(specs.slice(i, i + 500).map((spec) => signInRow(tenantId, spec)));
}

export async function insertUsers(db: Db, tenantId: string, users: (Partial<typeof directoryUsers.$inferInsert> & { id: string; userPrincipalName: string })[]): Promise<void> {
  await db.insert(directoryUsers).values(users.map((user) => ({ tenantId, ...user })));
}

export const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
